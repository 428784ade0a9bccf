"""docker/ cannot be built here (no Docker engine): these checks parse it and hold it to the
project. Production settings are checked with Django's own deployment checks."""
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SETTINGS_SOURCE = (REPO / "aifashion" / "settings.py").read_text()


def compose() -> dict:
    return yaml.safe_load((REPO / "docker" / "compose.yaml").read_text())


def test_compose_has_the_five_services_with_health_checks():
    services = compose()["services"]
    assert set(services) == {"web", "worker", "beat", "redis", "postgres"}
    for name, service in services.items():
        if name != "beat":
            assert service["healthcheck"]["test"], name
    assert services["web"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_compose_commands_match_the_project():
    services = compose()["services"]
    worker = services["worker"]["command"]
    assert worker[:4] == ["celery", "-A", "aifashion", "worker"] and worker[worker.index("-Q") + 1] == "gpu"
    assert "--prefetch-multiplier" in worker and worker[worker.index("--prefetch-multiplier") + 1] == "1"
    assert services["beat"]["command"][:4] == ["celery", "-A", "aifashion", "beat"]
    assert "gunicorn aifashion.wsgi" in " ".join(services["web"]["command"])
    gpu = services["worker"]["deploy"]["resources"]["reservations"]["devices"][0]
    assert gpu["driver"] == "nvidia" and "gpu" in gpu["capabilities"]
    from aifashion.celery import app
    import aifashion.wsgi  # noqa: F401 - the module gunicorn loads

    assert app.main == "aifashion"


def test_every_environment_name_is_read_by_the_settings():
    names = [line.split("=", 1)[0] for line in (REPO / "docker" / "example.env").read_text().splitlines()
             if line and not line.startswith("#")]
    names += list(compose()["x-app"]["environment"])
    for name in set(names) - {"POSTGRES_PASSWORD"}:  # that one configures the postgres image
        assert f'"{name}"' in SETTINGS_SOURCE, name
    assert "POSTGRES_PASSWORD" in compose()["services"]["postgres"]["environment"]


def test_dockerfile_is_multi_stage_non_root_with_cpu_and_cuda_variants():
    text = (REPO / "docker" / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", text, re.M)) >= 2
    assert re.search(r"^ARG VARIANT=cpu", text, re.M) and "cuda" in text
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user and user[-1] not in ("root", "0")
    for copied in re.findall(r"^COPY (?!--from)(?:--\S+ )?(\S+)", text, re.M):
        assert copied == "." or (REPO / copied).exists(), copied
    assert "healthz" in text


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "PRODUCTION")}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=full_env, capture_output=True, text=True)


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", PRODUCTION="true",
                        SECRET_KEY="k" * 20 + "-production-only-" + "x9Q#" * 10, ALLOWED_HOSTS="fashion.example.com")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", PRODUCTION="true")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_beat_runs_the_job_sweeper_and_cleanup_and_their_tasks_exist(settings):
    from aifashion.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {"jobs.tasks.jobs_sweep_run", "jobs.tasks.jobs_cleanup_run"}
    assert scheduled <= set(app.tasks)
    sweep = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "jobs.tasks.jobs_sweep_run")
    assert sweep["schedule"] < settings.JOBS_STALE_SECONDS

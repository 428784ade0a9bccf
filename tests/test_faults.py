"""Faults on loopback, with the real processes: a worker killed mid-job, Redis stopped and
restarted, PostgreSQL cut off briefly. Nothing is lost; nothing answers 500."""
import io
import os
import signal
import time
from contextlib import ExitStack

import pytest
import requests
from PIL import Image

from aifashion.processes import beat_process, job_wait, manage, site_session, web_process, worker_process
from tests.live import TcpProxy, private_redis, process_env, scratch_database
from tryon.stock import stock_names, stock_path


@pytest.fixture
def stack_env(tryon_models, tmp_path):
    with scratch_database() as database_url, private_redis(tmp_path) as (redis_url, start_redis, stop_redis):
        env = process_env(DATABASE_URL=database_url, REDIS_URL=redis_url, MEDIA_ROOT=str(tmp_path / "media"),
                          AIFASHION_WEIGHTS_DIR=str(tryon_models), CELERY_VISIBILITY_TIMEOUT="5",
                          RATE_LIMIT_TRYON="100000/m", RATE_LIMIT_PATTERNS="100000/m")
        manage(env, "migrate", "--noinput")
        yield env, start_redis, stop_redis


def big_photo() -> bytes:
    """A 5-megapixel photo: slow enough that a job is caught while it runs."""
    image = Image.open(stock_path(stock_names()[0])).resize((1800, 2700))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def post_tryon(visitor, url, photo: bytes, seed: int = 1) -> requests.Response:
    return visitor.post(url + "/api/tryon", data={"category": "floral", "seed": str(seed)},
                        files={"photo": ("me.jpg", photo, "image/jpeg")}, timeout=60)


def test_a_worker_killed_mid_job_is_replaced_and_the_job_completes_once(stack_env, tmp_path):
    env, _, _ = stack_env
    with ExitStack() as stack:
        url = stack.enter_context(web_process(env, tmp_path / "web.log"))
        first = stack.enter_context(worker_process(env, tmp_path / "worker.log", pool="solo"))
        visitor = site_session(url)
        job = post_tryon(visitor, url, big_photo()).json()
        deadline = time.time() + 60
        while visitor.get(url + job["status_url"], timeout=10).json()["status"] != "running":
            assert time.time() < deadline, "the job never started"
            time.sleep(0.02)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        assert visitor.get(url + job["status_url"], timeout=10).json()["status"] == "running"
        stack.enter_context(worker_process(env, tmp_path / "worker.log", pool="solo"))
        done = job_wait(visitor, url, job, timeout=120)
        assert done["status"] == "done", done["error"]
        assert sorted(done["results"]) == ["garments", "pattern", "result"]
        log = (tmp_path / "worker.log").read_text()
        assert log.count(f"job {job['id']} done") == 1
        result = visitor.get(url + done["results"]["result"], timeout=10)
        assert Image.open(io.BytesIO(result.content)).size == (1365, 2048)


def test_redis_stopped_and_restarted_loses_no_queued_job(stack_env, tmp_path):
    env, start_redis, stop_redis = stack_env
    with web_process(env, tmp_path / "web.log") as url:
        visitor = site_session(url)
        photo = stock_path(stock_names()[1]).read_bytes()
        queued = [post_tryon(visitor, url, photo, seed).json() for seed in (1, 2)]  # no worker yet
        assert all(job["status"] == "queued" for job in queued)
        stop_redis()
        refused = post_tryon(visitor, url, photo, 3)
        assert refused.status_code == 503 and "retry" in refused.json()["error"]
        assert visitor.get(url + queued[0]["status_url"], timeout=10).status_code == 200
        start_redis()
        with worker_process(env, tmp_path / "worker.log"):
            for job in queued:
                assert job_wait(visitor, url, job)["status"] == "done"
            again = post_tryon(visitor, url, photo, 4)
            assert again.status_code == 202
            assert job_wait(visitor, url, again.json())["status"] == "done"


def test_postgres_cut_off_briefly_gives_503_then_recovers_without_restart(tryon_models, tmp_path):
    with scratch_database() as database_url:
        proxy = TcpProxy(5432)
        proxied = database_url.replace(":5432/", f":{proxy.port}/")
        env = process_env(DATABASE_URL=proxied, MEDIA_ROOT=str(tmp_path / "media"), AIFASHION_WEIGHTS_DIR=str(tryon_models))
        manage(env, "migrate", "--noinput")
        with web_process(env, tmp_path / "web.log") as url:
            visitor = site_session(url)
            assert visitor.get(url + "/healthz", timeout=10).json()["database"] == "ok"
            job = visitor.post(url + "/api/patterns", json={"category": "floral", "size": 64}, timeout=30).json()
            proxy.cut()
            down = [visitor.get(url + job["status_url"], timeout=30) for _ in range(3)]
            assert {r.status_code for r in down} == {503}, [r.text for r in down]
            assert "retry" in down[-1].json()["error"]
            assert visitor.get(url + "/healthz", timeout=30).status_code == 503
            proxy.restore()
            deadline = time.time() + 20
            while (status := visitor.get(url + job["status_url"], timeout=30)).status_code != 200:
                assert status.status_code == 503 and time.time() < deadline
                time.sleep(0.5)
            assert job_wait(visitor, url, status.json())["status"] == "done"


def test_a_job_whose_message_was_lost_is_swept_back_by_beat_and_completes(random_generator_weights, tmp_path):
    import redis

    with scratch_database() as database_url, private_redis(tmp_path) as (redis_url, _, _):
        env = process_env(DATABASE_URL=database_url, REDIS_URL=redis_url, MEDIA_ROOT=str(tmp_path / "media"),
                          AIFASHION_WEIGHTS_DIR=str(random_generator_weights), JOBS_STALE_SECONDS="3",
                          JOBS_SWEEP_SECONDS="1")
        manage(env, "migrate", "--noinput")
        with web_process(env, tmp_path / "web.log") as url:
            visitor = site_session(url)
            job = visitor.post(url + "/api/patterns", json={"category": "floral", "size": 64}, timeout=30).json()
            redis.Redis.from_url(env["REDIS_URL"]).flushdb()  # the queued message is lost
            with worker_process(env, tmp_path / "worker.log"), beat_process(env, tmp_path / "beat.log"):
                done = job_wait(visitor, url, job, timeout=60)
        assert done["status"] == "done", done["error"]
        assert f"job {job['id']} re-enqueued (attempt 2)" in (tmp_path / "worker.log").read_text()

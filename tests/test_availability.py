"""/healthz, rate limits and outages: clear answers, never a 500."""
import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_dependency(client):
    response = client.get("/healthz")
    body = response.json()
    assert set(body) == {"healthy", "database", "broker", "models"}
    assert body["database"] == "ok" and body["broker"].startswith("in-process")
    assert response.status_code == (200 if body["healthy"] else 503)


def test_healthz_is_503_when_models_are_missing(client, tmp_path, monkeypatch):
    monkeypatch.setenv("AIFASHION_WEIGHTS_DIR", str(tmp_path))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["models"].startswith("error")


def test_job_creation_is_rate_limited_per_client(client, settings, random_generator_weights, django_capture_on_commit_callbacks):
    settings.RATE_LIMIT_PATTERNS = "3/m"
    codes = []
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            codes.append(client.post("/api/patterns", {"category": "floral", "size": 64},
                                     content_type="application/json").status_code)
    assert codes == [202, 202, 202, 429, 429]


def test_a_database_outage_is_a_503_with_a_message(client, monkeypatch):
    def down(**kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("jobs.views.job_get_owned", down)
    response = client.get("/api/jobs/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 503 and "retry" in response.json()["error"]
    assert response["Retry-After"]


def test_forms_require_csrf(random_generator_weights):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/api/patterns", {"category": "floral"}).status_code == 403
    assert strict.post("/api/tryon", {"category": "floral", "template": "ccp-0056"}).status_code == 403

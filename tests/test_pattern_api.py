"""POST /api/patterns, GET /api/jobs/<id> and its files, on the real database."""
import io
import uuid

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def create(client, capture, **body):
    with capture(execute=True):
        return client.post("/api/patterns", body, content_type="application/json")


def test_pattern_job_runs_and_its_png_downloads(client, django_capture_on_commit_callbacks, random_generator_weights):
    response = create(client, django_capture_on_commit_callbacks, category="floral", seed=42, size=128)
    assert response.status_code == 202
    job = client.get(response.json()["status_url"]).json()
    assert job["status"] == "done" and job["progress"] == 100
    png = client.get(job["results"]["pattern"] + "?download=1")
    assert png.status_code == 200 and "attachment" in png["Content-Disposition"]
    assert Image.open(io.BytesIO(b"".join(png.streaming_content))).size == (128, 128)


def test_the_same_request_gives_the_same_bytes(client, django_capture_on_commit_callbacks, random_generator_weights):
    bodies = []
    for _ in range(2):
        job = create(client, django_capture_on_commit_callbacks, category="tartan", seed=3, size=96,
                     variations=[1, 0, -1], palette=["#112233", "#ddeeff"]).json()
        url = client.get(job["status_url"]).json()["results"]["pattern"]
        bodies.append(b"".join(client.get(url).streaming_content))
    assert bodies[0] == bodies[1]


def test_form_encoded_requests_work_too(client, django_capture_on_commit_callbacks, random_generator_weights):
    with django_capture_on_commit_callbacks(execute=True):
        # A list is a repeated field, as in JSON it is an array.
        response = client.post("/api/patterns", {"category": "floral", "size": "64", "variations": ["0.5", "0", "-1"]})
    assert response.status_code == 202
    assert response.json()["params"]["variations"] == [0.5, 0.0, -1.0]


@pytest.mark.parametrize("body,message", [
    ({"category": "plaid"}, "unknown category"),
    ({}, "category is required"),
    ({"category": "floral", "size": 9000}, "size must be a whole number from 64 to 8000"),
    ({"category": "floral", "size": 5000}, "size above 2048 px is for prints"),
    ({"category": "floral", "seed": "abc"}, "seed must be a whole number from 0 to 2147483647"),
    ({"category": "floral", "palette": ["#12", "#fff000"]}, "#rrggbb"),
    ({"category": "floral", "variations": [9, 0, 0]}, "variations"),
])
def test_bad_pattern_requests_get_400_with_a_message(client, random_generator_weights, body, message):
    response = client.post("/api/patterns", body, content_type="application/json")
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_a_body_that_is_not_json_gets_400(client):
    response = client.post("/api/patterns", b"{not json", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json()["error"]


def test_another_visitors_job_and_files_are_404(client, django_capture_on_commit_callbacks, random_generator_weights):
    from django.test import Client

    job = create(client, django_capture_on_commit_callbacks, category="floral", seed=1, size=64).json()
    done = client.get(job["status_url"]).json()
    stranger = Client()
    assert stranger.get(job["status_url"]).status_code == 404
    assert stranger.get(done["results"]["pattern"]).status_code == 404
    assert client.get(f"/api/jobs/{uuid.uuid4()}").status_code == 404


def test_without_generators_a_request_is_refused_with_a_message(client, tmp_path, monkeypatch):
    monkeypatch.setenv("AIFASHION_WEIGHTS_DIR", str(tmp_path / "none"))
    response = client.post("/api/patterns", {"category": "floral"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "unknown category 'floral'; no pattern generators are installed"


def test_weights_gone_before_the_job_runs_fail_it_with_a_message(client, django_capture_on_commit_callbacks,
                                                                random_generator_weights, tmp_path, monkeypatch):
    with django_capture_on_commit_callbacks() as callbacks:
        job = client.post("/api/patterns", {"category": "floral", "seed": 1, "size": 64},
                          content_type="application/json").json()
    monkeypatch.setenv("AIFASHION_WEIGHTS_DIR", str(tmp_path / "none"))
    for callback in callbacks:
        callback()
    status = client.get(job["status_url"]).json()
    assert status["status"] == "failed" and "no pattern generators are installed" in status["error"]

"""Every upload in the hostile corpus gets a 4xx with a message or a correct result; never a 5xx."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.hostile_uploads import corpus

pytestmark = pytest.mark.django_db
CORPUS = corpus()


def test_the_corpus_is_big_enough():
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_upload(client, django_capture_on_commit_callbacks, tryon_models, name):
    data, content_type, expected = CORPUS[name]
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/tryon", {"category": "floral", "seed": "1", "photo": upload})
    assert response.status_code < 500
    if expected == "refused":
        assert 400 <= response.status_code < 500, response.content
        message = response.json()["error"]
        assert message and "Error" not in message and "Traceback" not in message  # advice, not Python
        return
    assert response.status_code == 202, response.content
    job = client.get(response.json()["status_url"]).json()
    assert job["status"] in ("done", "failed")
    if job["status"] == "failed":  # e.g. a one-pixel image has no garment: said plainly
        assert "internal error" not in job["error"] and job["error"]

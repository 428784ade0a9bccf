"""POST /api/tryon on the real database: uploads, templates and every kind of bad input."""
import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests import photo_files
from tryon.stock import stock_names, stock_path

pytestmark = pytest.mark.django_db
FIELDS = {"category": "floral", "seed": "5", "scale": "1", "rotation": "15"}


def post(client, capture, files=None, **fields):
    with capture(execute=True):
        return client.post("/api/tryon", {**FIELDS, **fields, **(files or {})})


def png_of(client, url) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(b"".join(client.get(url).streaming_content))))


def test_tryon_from_an_upload_redresses_the_garments(client, django_capture_on_commit_callbacks, tryon_models):
    photo = stock_path(stock_names()[0]).read_bytes()
    upload = SimpleUploadedFile("me.jpg", photo, content_type="image/jpeg")
    response = post(client, django_capture_on_commit_callbacks, files={"photo": upload}, garments=["top", "bottom", "dress", "outerwear"])
    assert response.status_code == 202, response.content
    job = client.get(response.json()["status_url"]).json()
    assert job["status"] == "done", job["error"]
    original = np.asarray(Image.open(io.BytesIO(photo)).convert("RGB"))
    result = png_of(client, job["results"]["result"])
    assert result.shape == original.shape
    changed = np.abs(result.astype(int) - original.astype(int)).sum(2) > 30
    assert 0.03 < changed.mean() < 0.7  # garments changed, the rest of the photo did not
    assert set(job["params"]["dressed"]) <= {"top", "bottom", "dress", "outerwear"}


def test_tryon_from_a_template(client, django_capture_on_commit_callbacks, tryon_models):
    response = post(client, django_capture_on_commit_callbacks, template=stock_names()[1])
    job = client.get(response.json()["status_url"]).json()
    assert job["status"] == "done", job["error"]
    assert set(job["results"]) == {"result", "pattern", "garments"}


def test_uploads_are_stored_without_exif(client, django_capture_on_commit_callbacks, tryon_models, settings):
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {2: (52.0, 31.0, 0.0)}  # GPS latitude
    image = Image.open(stock_path(stock_names()[0])).rotate(90, expand=True)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("gps.jpg", buffer.getvalue(), content_type="image/jpeg")
    job = post(client, django_capture_on_commit_callbacks, files={"photo": upload}).json()
    from pathlib import Path

    stored = Image.open(Path(settings.MEDIA_ROOT) / "jobs" / job["id"] / "photo.png")
    assert not stored.getexif() and "exif" not in stored.info
    assert stored.size == (image.height, image.width)  # orientation applied before the EXIF went


@pytest.mark.parametrize("name,data,content_type,message", [
    ("empty.jpg", b"", "image/jpeg", "empty"),
    ("text.jpg", b"hello, not a photo", "image/jpeg", "not a JPEG, PNG or WebP"),
    ("page.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg", "not a JPEG, PNG or WebP"),
    ("truncated.jpg", photo_files.broken()["truncated.jpg"], "image/jpeg", "damaged or truncated"),
    ("bomb.png", photo_files.decompression_bomb(), "image/png", "megapixels"),
    ("photo.gif", photo_files.odd_but_valid()["palette.gif"], "image/gif", "not accepted"),
    ("photo.pdf", b"%PDF-1.4", "application/pdf", "not accepted"),
])
def test_bad_uploads_get_400_with_a_message(client, tryon_models, name, data, content_type, message):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    response = client.post("/api/tryon", {**FIELDS, "photo": upload})
    assert response.status_code == 400
    assert message in response.json()["error"]


@pytest.mark.parametrize("fields,message", [
    ({}, "send a photo"),
    ({"template": "nobody"}, "unknown template"),
    ({"template": "ccp-0056", "category": "plaid"}, "unknown category"),
    ({"template": "ccp-0056", "garments": ["hat"]}, "garments must be a list of at most 4 items, each one of top"),
    ({"template": "ccp-0056", "rotation": "400"}, "rotation"),
    ({"template": "ccp-0056", "scale": "x"}, "scale"),
])
def test_bad_fields_get_400_with_a_message(client, tryon_models, fields, message):
    response = client.post("/api/tryon", {**FIELDS, **fields})
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_a_json_body_is_refused_with_415(client):
    response = client.post("/api/tryon", {"category": "floral"}, content_type="application/json")
    assert response.status_code == 415


def test_a_photo_without_the_chosen_garment_fails_the_job_with_a_message(client, django_capture_on_commit_callbacks, tryon_models):
    blank = io.BytesIO()
    Image.new("RGB", (300, 400), (250, 250, 250)).save(blank, "PNG")
    upload = SimpleUploadedFile("wall.png", blank.getvalue(), content_type="image/png")
    job = post(client, django_capture_on_commit_callbacks, files={"photo": upload}, garments=["dress"]).json()
    status = client.get(job["status_url"]).json()
    assert status["status"] == "failed" and "none of the chosen garments" in status["error"]


def test_each_garment_may_wear_its_own_pattern(client, django_capture_on_commit_callbacks, tryon_models):
    response = post(client, django_capture_on_commit_callbacks, template=stock_names()[0], category="floral",
                    seed="3", garments=["top", "bottom", "dress", "outerwear"], bottom_category="tartan",
                    bottom_seed="9", top_seed="4")
    assert response.status_code == 202, response.content
    job = client.get(response.json()["status_url"]).json()
    assert job["status"] == "done", job["error"]
    own = job["params"]["garment_patterns"]
    assert own["bottom"]["category"] == "tartan" and own["bottom"]["seed"] == 9
    assert own["top"]["category"] == "floral" and own["top"]["seed"] == 4
    for garment in set(own) & set(job["params"]["dressed"]):
        assert f"pattern-{garment}" in job["results"]
    assert job["params"]["person_height_px"] > 100


def test_the_single_pattern_form_still_works_and_sizes_by_the_body(client, django_capture_on_commit_callbacks,
                                                                  tryon_models):
    small, large = ({"repeat_cm": "4"}, {"repeat_cm": "16"})
    results = []
    for fields in (small, large):
        job = post(client, django_capture_on_commit_callbacks, template=stock_names()[1], **fields).json()
        done = client.get(job["status_url"]).json()
        assert done["status"] == "done", done["error"]
        assert done["params"]["garment_patterns"] == {}
        results.append(png_of(client, done["results"]["result"]).astype(float))
    # A 4 cm repeat draws finer detail than a 16 cm one on the same person: larger local contrast.
    detail = [np.abs(np.diff(r, axis=1)).mean() for r in results]
    assert detail[0] > detail[1]

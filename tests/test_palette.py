"""Palettes from photos (k-means in CIELAB) and colourways, on their own and through the API."""
import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from models.pattern_gan.palette import _to_lab, colourways, dominant_colours

pytestmark = pytest.mark.django_db
KNOWN = [(200, 30, 40), (20, 60, 160), (240, 220, 120)]


def three_colour_photo(rng, noise=6) -> np.ndarray:
    """Three colour regions of 50%, 30% and 20%, with sensor-like noise."""
    image = np.zeros((200, 300, 3), np.int16)
    image[:, :150], image[:, 150:240], image[:, 240:] = KNOWN
    image += rng.integers(-noise, noise + 1, image.shape, dtype=np.int16)
    return np.clip(image, 0, 255).astype(np.uint8)


def delta_e(a, b) -> float:
    return float(np.linalg.norm(_to_lab(np.array([a], np.uint8)) - _to_lab(np.array([b], np.uint8))))


def test_the_dominant_colours_are_found_largest_first(rng):
    found = dominant_colours(three_colour_photo(rng))
    assert [delta_e(f, k) < 3 for f, k in zip(found, KNOWN)] == [True, True, True]


def test_a_one_colour_image_gives_that_colour(rng):
    flat = np.full((50, 50, 3), (90, 140, 60), np.uint8)
    assert all(delta_e(c, (90, 140, 60)) < 1 for c in dominant_colours(flat))


def test_colourways_keep_lightness_and_start_with_the_palette():
    ways = colourways(KNOWN, 4)
    assert len(ways) == 4 and ways[0] == KNOWN
    base = _to_lab(np.array(KNOWN, np.uint8))[:, 0]
    for way in ways[1:]:
        assert way != KNOWN
        assert np.abs(_to_lab(np.array(way, np.uint8))[:, 0] - base).max() < 12  # gamut clipping aside


def test_palette_endpoint_answers_the_photos_colours(client, rng):
    buffer = io.BytesIO()
    Image.fromarray(three_colour_photo(rng, noise=0)).save(buffer, "PNG")
    upload = SimpleUploadedFile("fabric.png", buffer.getvalue(), content_type="image/png")
    response = client.post("/api/palette", {"photo": upload})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["palette"] == ["#c81e28", "#143ca0", "#f0dc78"]
    assert len(body["colourways"]) == 4 and body["colourways"][0] == body["palette"]


@pytest.mark.parametrize("files,fields,message", [
    ({}, {}, "send a photo"),
    ({"photo": SimpleUploadedFile("x.png", b"not an image", content_type="image/png")}, {}, "not a JPEG, PNG or WebP"),
    ({"photo": SimpleUploadedFile("x.png", b"", content_type="image/png")}, {}, "empty"),
])
def test_palette_endpoint_refuses_bad_input_with_a_message(client, files, fields, message):
    response = client.post("/api/palette", {**files, **fields})
    assert response.status_code == 400 and message in response.json()["error"]


def test_a_pattern_job_returns_its_colours_and_colourways(client, django_capture_on_commit_callbacks,
                                                          random_generator_weights):
    with django_capture_on_commit_callbacks(execute=True):
        job = client.post("/api/patterns", {"category": "floral", "seed": 2, "size": 128},
                          content_type="application/json").json()
    params = client.get(job["status_url"]).json()["params"]
    assert len(params["colours"]) == 3 and len(params["colourways"]) == 4
    assert params["colourways"][0] == params["colours"]
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/api/patterns", {"category": "floral", "seed": 2, "size": 128,
                                              "palette": params["colourways"][2]},
                            content_type="application/json").json()
    assert client.get(again["status_url"]).json()["status"] == "done"

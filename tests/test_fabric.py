"""From your fabric: the seamless tile cut from a photo, the served classifier, the job end to
end through the API (its tile usable in the try-on), and bad uploads."""
import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from models.fabric.classifier import fabric_classify
from models.fabric.tile import fabric_tile
from models.pattern_gan.sample import seam_score
from tryon.stock import stock_names

pytestmark = pytest.mark.django_db


def woven_check(rng, size=600, period=37) -> np.ndarray:
    """A check with a 37 px repeat, fine noise, and light falling off across the photo."""
    y, x = np.mgrid[0:size, 0:size]
    check = ((x % period) < 12) * 80 + ((y % period) < 12) * 80 + 40
    rgb = np.stack([check, check * 0.6 + 30, 200 - check * 0.5], axis=-1) + rng.normal(0, 4, (size, size, 3))
    light = np.linspace(1.0, 0.55, size)[None, :, None]
    return np.clip(rgb * light, 0, 255).astype(np.uint8)


def png_bytes(rgb: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_tile_is_whole_repeats_and_tiles_seamlessly(rng):
    tile, measured = fabric_tile(woven_check(rng))
    h, w = tile.shape[:2]
    assert w % 37 in (0, 1, 36) and h % 37 in (0, 1, 36), measured  # whole repeats of the check
    assert seam_score(tile) < 1.1
    # The light fall-off is gone: both halves of the tile are equally bright.
    grey = tile.mean(2)
    assert abs(grey[:, : w // 2].mean() - grey[:, w // 2:].mean()) < 6


def test_a_flat_photo_still_gives_a_tile(rng):
    flat = np.full((300, 400, 3), 120, np.uint8)
    tile, _ = fabric_tile(flat)
    assert tile.shape[0] >= 32 and np.abs(tile.astype(int) - 120).max() <= 1


def test_the_served_classifier_sees_a_check_and_stripes(rng):
    names, probabilities, features = fabric_classify(woven_check(rng))
    assert names[int(probabilities.argmax())] in ("checkered", "tartan")
    stripes = np.repeat(np.repeat((np.arange(600) // 20 % 2 * 150 + 50)[None, :, None], 600, 0), 3, 2).astype(np.uint8)
    names, probabilities, _ = fabric_classify(stripes)
    assert names[int(probabilities.argmax())] == "striped"
    assert features.shape == (1280,) and abs(probabilities.sum() - 1) < 1e-5


def fabric_job_run(client, capture, rng) -> dict:
    upload = SimpleUploadedFile("my-shirt.png", png_bytes(woven_check(rng)), content_type="image/png")
    with capture(execute=True):
        response = client.post("/api/fabric", {"photo": upload})
    assert response.status_code == 202, response.content
    job = client.get(response.json()["status_url"]).json()
    assert job["status"] == "done", job["error"]
    return job


def test_a_fabric_job_gives_a_tile_and_four_steered_variations(client, django_capture_on_commit_callbacks,
                                                               fabric_models, rng):
    job = fabric_job_run(client, django_capture_on_commit_callbacks, rng)
    assert sorted(job["results"]) == ["tile", "variation-1", "variation-2", "variation-3", "variation-4"]
    params = job["params"]
    assert params["category"] in ("floral", "tartan")  # the generators installed here
    distances = [v["distance"] for v in params["variations"]]
    assert distances == sorted(distances) and distances[0] < params["random_texture_distance"]
    assert params["tile"]["texture_distance"] < params["random_texture_distance"]
    tile = np.asarray(Image.open(io.BytesIO(b"".join(client.get(job["results"]["tile"]).streaming_content))))
    assert seam_score(tile) < 1.2


def test_the_fabric_tile_dresses_a_try_on(client, django_capture_on_commit_callbacks, fabric_models, rng):
    from pathlib import Path

    from django.conf import settings

    from models.garment_parser.model import parser_weights_path
    from models.paths import REPO_DIR

    (fabric_models / parser_weights_path().name).symlink_to(REPO_DIR / "models" / "weights" / parser_weights_path().name)
    fabric = fabric_job_run(client, django_capture_on_commit_callbacks, rng)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/tryon", {"category": "floral", "template": stock_names()[0],
                                              "fabric_job": fabric["id"], "garments": ["top", "bottom"]})
    assert response.status_code == 202, response.content
    job = client.get(response.json()["status_url"]).json()
    assert job["status"] == "done", job["error"]
    used = np.asarray(Image.open(Path(settings.MEDIA_ROOT) / "jobs" / job["id"] / "pattern.png"))
    tile = np.asarray(Image.open(Path(settings.MEDIA_ROOT) / "jobs" / fabric["id"] / "tile.png"))
    np.testing.assert_array_equal(used, tile)


@pytest.mark.parametrize("fields,message", [
    ({}, "send a photo"),
    ({"photo": SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")}, "not accepted"),
    ({"photo": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")}, "not a JPEG, PNG or WebP"),
    ({"category": "floral"}, "unknown field 'category'"),
])
def test_bad_fabric_requests_get_400_with_a_message(client, fabric_models, fields, message):
    response = client.post("/api/fabric", fields)
    assert response.status_code == 400 and message in response.json()["error"]


def test_a_try_on_cannot_use_someone_elses_fabric_job(client, fabric_models):
    import uuid

    response = client.post("/api/tryon", {"category": "floral", "template": stock_names()[0],
                                          "fabric_job": str(uuid.uuid4())})
    assert response.status_code == 400 and "no finished fabric job of yours" in response.json()["error"]

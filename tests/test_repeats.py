"""Print repeat layouts and print files: every layout's unit tiles seamlessly, a print is its
repeat copied, and the PNG carries its DPI."""
import io

import numpy as np
import pytest
from PIL import Image

from models.pattern_gan.repeats import LAYOUTS, repeat_fill, repeat_unit
from models.pattern_gan.sample import PatternSpec, pattern_render, seam_score
from patterns.png import png_encode


def smooth_periodic_texture(rng, size=96) -> np.ndarray:
    """A seamless texture: random low frequencies, exactly periodic over `size`."""
    spectrum = np.zeros((size, size, 3), complex)
    k = 6
    spectrum[:k, :k] = rng.normal(size=(k, k, 3)) + 1j * rng.normal(size=(k, k, 3))
    field = np.real(np.fft.ifft2(spectrum, axes=(0, 1)))
    field = (field - field.min()) / (field.max() - field.min())
    return (field * 255).astype(np.uint8)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_of_a_seamless_tile_tiles_seamlessly(rng, layout):
    tile = smooth_periodic_texture(rng)
    unit = repeat_unit(tile, layout)
    assert seam_score(tile) < 1.1
    assert seam_score(unit) < 1.1
    # Tiled 3 x 3, the unit shows no step at its own borders larger than its inner steps.
    big = repeat_fill(unit, 3 * unit.shape[0], 3 * unit.shape[1]).astype(np.float32)
    steps_x = np.abs(np.diff(big, axis=1)).mean((0, 2))
    border = steps_x[unit.shape[1] - 1::unit.shape[1]][:2]
    assert border.max() < 3 * steps_x.mean()


def test_half_drop_drops_every_second_column_by_half_a_tile(rng):
    tile = smooth_periodic_texture(rng)
    h, w = tile.shape[:2]
    unit = repeat_unit(tile, "half-drop")
    assert unit.shape == (h, 2 * w, 3)
    band = w // 8
    # Away from the quilted joins, the left tile is the tile and the right one is it dropped by h/2.
    np.testing.assert_array_equal(unit[:, band:w - band], tile[:, band:w - band])
    np.testing.assert_array_equal(unit[:, w + band:2 * w - band], np.roll(tile, h // 2, axis=0)[:, band:w - band])
    brick = repeat_unit(tile, "half-brick")
    assert brick.shape == (2 * h, w, 3)
    np.testing.assert_array_equal(brick[h + band:2 * h - band], np.roll(tile, w // 2, axis=1)[band:h - band])


def test_mirror_reflects_the_tile_and_an_unknown_layout_is_refused(rng):
    tile = smooth_periodic_texture(rng, 32)
    unit = repeat_unit(tile, "mirror")
    np.testing.assert_array_equal(unit[:32, 32:], tile[:, ::-1])
    np.testing.assert_array_equal(unit[32:, :32], tile[::-1])
    with pytest.raises(ValueError, match="half-drop"):
        repeat_unit(tile, "diagonal")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_rendered_layouts_are_whole_units_and_seamless(random_generator_weights, layout):
    rgb = pattern_render(PatternSpec(category="floral", seed=4, size=256, layout=layout))
    assert rgb.shape == (256, 256, 3)
    assert seam_score(rgb) < 1.3  # the whole image tiles: the site's 3 x 3 preview repeats it


def test_a_print_is_its_repeat_copied(random_generator_weights):
    rgb = pattern_render(PatternSpec(category="tartan", seed=2, size=1000, repeat_px=300))
    assert rgb.shape == (1000, 1000, 3)
    np.testing.assert_array_equal(rgb[:, 300:600], rgb[:, :300])
    np.testing.assert_array_equal(rgb[600:900], rgb[300:600])
    drop = pattern_render(PatternSpec(category="tartan", seed=2, size=1200, repeat_px=300, layout="half-drop"))
    np.testing.assert_array_equal(drop[:, 600:1200], drop[:, :600])  # the unit is two repeats wide
    np.testing.assert_array_equal(drop[:300, 300 + 40:600 - 40], drop[150:450, 40:260])  # second column dropped


@pytest.mark.parametrize("dpi", [150, 300])
def test_png_dpi_reads_back_and_pixels_are_exact(rng, dpi):
    rgb = rng.integers(0, 256, (123, 77, 3), dtype=np.uint8)
    image = Image.open(io.BytesIO(png_encode(rgb, dpi=dpi)))
    assert round(image.info["dpi"][0]) == dpi and round(image.info["dpi"][1]) == dpi
    np.testing.assert_array_equal(np.asarray(image), rgb)
    assert "dpi" not in Image.open(io.BytesIO(png_encode(rgb))).info


@pytest.mark.django_db
@pytest.mark.parametrize("body,pixels,dpi", [
    ({"width_cm": 2.54, "dpi": 150, "repeat": "half-drop"}, 300, 150),  # two repeats a side
    ({"width_in": 1.5, "size": 1000}, 1000, 300),  # 450 px repeats at the default 300 dpi
])
def test_a_print_download_carries_its_dpi_and_the_size_that_follows(client, django_capture_on_commit_callbacks,
                                                                      random_generator_weights, body, pixels, dpi):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/patterns", {"category": "floral", **body}, content_type="application/json")
    assert response.status_code == 202, response.content
    job = client.get(response.json()["status_url"]).json()
    assert job["status"] == "done", job["error"]
    image = Image.open(io.BytesIO(b"".join(client.get(job["results"]["pattern"]).streaming_content)))
    assert image.size == (pixels, pixels) and round(image.info["dpi"][0]) == dpi


@pytest.mark.django_db
@pytest.mark.parametrize("body,message", [
    ({"width_cm": 20, "width_in": 8}, "not both"),
    ({"dpi": 300}, "dpi needs the repeat's width"),
    ({"width_cm": 50, "dpi": 300}, "at most 33.9 cm"),
    ({"width_cm": 10, "dpi": 200}, "dpi must be one of 150, 300"),
    ({"repeat": "diagonal"}, "repeat must be one of full, half-drop, half-brick, mirror"),
    ({"size": 4096}, "size above 2048 px is for prints"),
])
def test_bad_print_fields_get_400_with_a_message(client, random_generator_weights, body, message):
    response = client.post("/api/patterns", {"category": "floral", **body}, content_type="application/json")
    assert response.status_code == 400 and message in response.json()["error"]

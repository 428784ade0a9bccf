"""Swatches v2 on synthetic images with a known answer: light flattening keeps the print and
removes the light; the period estimate finds the repeat; the screen rejects what does not
belong."""
import cv2
import numpy as np
import pytest
from PIL import Image

from models.pattern_gan.swatch_prep import illumination_flatten, repeat_period
from models.pattern_gan.swatch_screen import swatches_screen


def _stripes(period: float, side: int = 128, angle: str = "vertical") -> np.ndarray:
    x = np.arange(side)
    wave = (np.sin(2 * np.pi * (x + 0.3) / period) > 0) * 120.0 + 60.0
    return wave[None, :].repeat(side, 0) if angle == "vertical" else wave[:, None].repeat(side, 1)


@pytest.mark.parametrize("period", [5.0, 9.5, 16.0, 27.0])
@pytest.mark.parametrize("angle", ["vertical", "horizontal"])
def test_period_of_stripes_under_noise(period, angle, rng):
    found, strength = repeat_period(_stripes(period, angle=angle) + rng.normal(0, 25, (128, 128)))
    assert found == pytest.approx(period, rel=0.04) and strength > 0.5


def test_period_of_a_check_is_its_repeat():
    x = np.arange(128)
    bands = np.sin(2 * np.pi * x / 14) > 0
    check = (bands[None, :] ^ bands[:, None]) * 200.0
    assert repeat_period(check)[0] == pytest.approx(14, rel=0.04)


def test_no_period_in_noise_or_blobs_or_a_flat_field(rng):
    assert repeat_period(rng.normal(0, 1, (128, 128)))[0] is None
    assert repeat_period(cv2.GaussianBlur(rng.normal(0, 1, (128, 128)), (0, 0), 6))[0] is None
    assert repeat_period(np.full((64, 64), 7.0)) == (None, 0.0)


def test_flattening_removes_a_light_gradient_and_keeps_the_stripes():
    light = np.linspace(0.4, 1.0, 256)[:, None, None]  # dark at the top, bright at the bottom
    rgb = (np.repeat(_stripes(12, side=256)[..., None], 3, 2) * light).astype(np.uint8)
    flat = illumination_flatten(rgb).astype(float)
    before, after = rgb[..., 1].mean(1), flat[..., 1].mean(1)
    assert before[-20:].mean() / before[:20].mean() > 2.0
    assert after[-20:].mean() / after[:20].mean() == pytest.approx(1.0, abs=0.15)  # edges: mirrored light
    contrast = flat[:, :, 1].max(1) - flat[:, :, 1].min(1)  # every row still shows its stripes
    assert contrast.min() > 0.5 * contrast.max() and contrast.min() > 50
    assert repeat_period(flat[..., 1])[0] == pytest.approx(12, rel=0.04)


def test_flattening_ignores_light_outside_the_mask():
    rgb = np.full((100, 100, 3), 100, np.uint8)
    rgb[:, 50:] = 250  # a bright background beside the fabric
    mask = np.zeros((100, 100), bool)
    mask[:, :50] = True
    flat = illumination_flatten(rgb, mask)
    assert np.abs(flat[:, :50].astype(int) - 100).max() <= 1  # the fabric is evenly lit already
    assert (flat[:, 50:] == 250).all()


def test_screen_rejects_swatches_of_another_category(tmp_path, rng):
    def save(category, split, name, pixels):
        folder = tmp_path / category / split
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(pixels.astype(np.uint8)).save(folder / f"{name}.png")

    for k in range(24):
        stripes = np.repeat(_stripes(10 + k % 5)[..., None], 3, 2) + rng.normal(0, 10, (128, 128, 3))
        dots = 200 - 150 * ((np.indices((128, 128)) % (12 + k % 4) < 5).all(0))[..., None].repeat(3, 2)
        save("striped", "train", f"s_img{k}_0", stripes.clip(0, 255))
        save("dotted", "train", f"d_img{k}_0", dots + rng.normal(0, 10, (128, 128, 3)))
    for k in range(3):  # dots filed under striped
        dots = 200 - 150 * ((np.indices((128, 128)) % 14 < 5).all(0))[..., None].repeat(3, 2)
        save("striped", "val", f"wrong_img{k}_0", dots + rng.normal(0, 10, (128, 128, 3)))
    rejected = swatches_screen(tmp_path)
    assert rejected["striped"] >= 2 and rejected["dotted"] <= 24 // 8  # few of the right ones go
    moved = sorted(p.name for p in (tmp_path / "striped" / "rejected").glob("*/*.png"))
    assert sum(name.startswith("wrong") for name in moved) >= 2

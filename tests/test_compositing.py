"""Compositing keeps the photo outside the garment and its shading inside."""
import numpy as np

from tryon.compositing import garment_composite, garments_outlined, tile_place


def test_tile_place_repeats_seamlessly_and_rotates():
    tile = np.zeros((8, 8, 3), np.uint8)
    tile[:, :4] = 255  # vertical stripes, period 8
    flat = tile_place(tile, 16, 32, scale=1.0, rotation_deg=0)
    assert np.allclose(flat[:, :8], flat[:, 8:16], atol=1e-6)
    turned = tile_place(tile, 32, 32, scale=1.0, rotation_deg=90)
    # Rotated by 90 degrees the stripes run across: columns constant, rows vary.
    assert turned[8:24, 8:24].std(axis=1).mean() < turned[8:24, 8:24].std(axis=0).mean()


def test_composite_changes_only_the_garment_and_keeps_its_folds():
    h, w = 60, 80
    photo = np.full((h, w, 3), 200, np.uint8)
    photo[:, 40:] = 100  # a shadowed fold on the right half of the garment
    alpha = np.zeros((h, w), np.float32)
    alpha[10:50, 20:60] = 1.0
    tile = np.full((16, 16, 3), (40, 160, 220), np.uint8)
    out = garment_composite(photo, alpha, tile, scale=1.0, rotation_deg=0)
    assert np.array_equal(out[alpha == 0], photo[alpha == 0])
    lit, shadowed = out[30, 25].astype(int), out[30, 55].astype(int)
    assert (lit[2] - lit[0]) > 100  # the pattern's colour, not the photo's grey
    assert shadowed.sum() < 0.8 * lit.sum()  # the fold's shadow survives


def test_outlines_report_the_garments_found():
    labels = np.zeros((50, 50), np.uint8)
    labels[5:25, 5:45] = 3  # top
    labels[25:45, 10:40] = 5  # bottom
    names = ("background", "skin", "hair", "top", "outerwear", "bottom", "dress", "legwear", "shoes", "accessories")
    image, found = garments_outlined(np.full((50, 50, 3), 128, np.uint8), labels, names)
    assert set(found) == {"top", "bottom"}
    assert image.shape == (50, 50, 3)


def test_a_fold_bends_a_straight_stripe():
    """A sinusoidal luminance ridge (horizontal folds) bends a diagonal stripe by pixels."""
    n = 600
    y = np.arange(n)[:, None]
    lum = 150 + 90 * np.sin(2 * np.pi * y / 200.0) * np.ones((1, n))
    photo = np.repeat(lum[..., None], 3, 2).astype(np.uint8)
    alpha = np.ones((n, n), np.float32)
    tile = np.full((n, n, 3), 255, np.uint8)
    for row in range(n):  # one dark diagonal stripe; placed centred, it runs along x = y
        tile[row, (row + np.arange(-3, 4)) % n] = 0
    rows = np.arange(40, n - 40)

    def bend(image):  # the stripe's largest distance from a straight line, in pixels
        centre = image.mean(2).argmin(1)[rows].astype(float)
        return np.abs(centre - np.polyval(np.polyfit(rows, centre, 1), rows)).max()

    assert bend(garment_composite(photo, alpha, tile, scale=1.0, rotation_deg=0, folds=False)) <= 1.5
    assert bend(garment_composite(photo, alpha, tile, scale=1.0, rotation_deg=0, folds=True)) >= 2.5


def test_highlights_stay_over_a_dark_pattern():
    photo = np.full((40, 40, 3), 120, np.uint8)
    photo[18:22, 18:22] = 250  # a specular spot on the garment
    alpha = np.ones((40, 40), np.float32)
    dark = np.full((8, 8, 3), 20, np.uint8)
    out = garment_composite(photo, alpha, dark, scale=1.0, rotation_deg=0)
    assert out[20, 20].mean() > 200 and out[5, 5].mean() < 60


def test_the_same_repeat_size_looks_the_same_on_a_close_up_and_a_full_length_photo():
    from tryon.compositing import body_scale, person_height_px

    full = np.zeros((1000, 600), np.uint8)
    full[100:950, 200:400] = 3  # a person 850 px tall
    close = np.zeros((1000, 600), np.uint8)
    close[0:1000, 0:600] = 3  # a close-up: the person (cut off) fills the frame
    assert person_height_px(full) == 850
    a = body_scale(person_px=850, person_cm=170, repeat_cm=8, repeat_px=512)
    b = body_scale(person_px=1700, person_cm=170, repeat_cm=8, repeat_px=512)
    assert b == 2 * a  # twice the pixels per cm: twice the zoom, the same print on the body
    assert abs(a * 512 - 8 * 850 / 170) < 1e-9  # one repeat spans 8 cm of a 170 cm person
    assert person_height_px(np.zeros((30, 30), np.uint8)) == 30  # nobody found: the photo's height


def test_a_one_pixel_wide_photo_is_dressed_without_folds():
    for shape in ((1, 1), (1, 40), (40, 1)):
        photo = np.full((*shape, 3), 90, np.uint8)
        out = garment_composite(photo, np.ones(shape, np.float32), np.full((4, 4, 3), 200, np.uint8), 1.0, 0)
        assert out.shape == (*shape, 3)

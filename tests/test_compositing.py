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

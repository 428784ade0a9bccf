"""Soft garment mattes: their edges follow the photo, not the network's coarse grid."""
import numpy as np

from models.garment_parser.predict import matte_refine


def test_matte_edge_snaps_to_the_photo_edge():
    h, w, edge = 120, 160, 83
    photo = np.full((h, w, 3), 40, np.uint8)
    photo[:, edge:] = 210  # the garment's true edge
    # A coarse probability as from a low-resolution network: a wide ramp centred 6 px off.
    x = np.arange(w, dtype=np.float32)
    coarse = np.clip((x - (edge - 6)) / 16 + 0.5, 0, 1)[None, :].repeat(h, 0)
    matte = matte_refine(photo, coarse)
    steepest_coarse = int(np.argmax(np.diff(coarse[h // 2])))
    steepest_matte = int(np.argmax(np.diff(matte[h // 2])))
    assert abs(steepest_matte - (edge - 1)) <= 1 < abs(steepest_coarse - (edge - 1))
    # Sharper than the input but still soft (an alpha matte, not a staircase).
    assert np.diff(matte[h // 2]).max() > 2 * np.diff(coarse[h // 2]).max()
    assert 0 <= matte.min() and matte.max() <= 1

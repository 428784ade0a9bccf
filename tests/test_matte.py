"""Soft garment mattes: their edges follow the photo, not the network's coarse grid."""
import numpy as np
import torch

from models.garment_parser.groups import default_groups
from models.garment_parser.predict import class_labels, matte_refine, photo_labels


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


def test_labels_take_their_garment_region_from_the_refined_matte():
    h, w, edge = 300, 800, 413  # the filter's radius grows with the photo: 8 px here
    photo = np.full((h, w, 3), 40, np.uint8)
    photo[:, edge:] = 210
    x = np.arange(w, dtype=np.float32)
    coarse = torch.from_numpy(np.clip((x - (edge - 6)) / 16 + 0.5, 0, 1)[None, :].repeat(h, 0))
    groups = default_groups()
    top, background = groups.names.index("top"), groups.names.index("background")
    probabilities = torch.zeros(len(groups.names), h, w)
    probabilities[top], probabilities[background] = coarse, 1 - coarse
    labels = photo_labels(photo, probabilities, groups.garment_ids)
    unrefined = class_labels(probabilities, groups.garment_ids)
    assert set(labels.unique().tolist()) == {top, background}
    refined_start = int((labels[h // 2] == top).nonzero()[0])
    network_start = int((unrefined[h // 2] == top).nonzero()[0])
    assert network_start == edge - 5 and abs(refined_start - edge) <= 3  # pulled towards the photo's edge

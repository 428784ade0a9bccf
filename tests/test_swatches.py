"""Swatch extraction: crops stay inside the garment the parser finds."""
import numpy as np

from models.garment_parser.data import ccp_ids, ccp_load, ccp_split
from models.garment_parser.groups import default_groups
from models.pattern_gan.swatches import garment_crops, parser_fabric_mask


def test_crops_come_only_from_the_fabric_mask():
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (200, 300, 3), dtype=np.uint8)  # sharp noise everywhere
    rgb[:, 150:] = 0  # the right half is black
    fabric = np.zeros((200, 300), dtype=bool)
    fabric[:, :150] = True
    crops = garment_crops(rgb, 4, fabric)
    assert len(crops) >= 1
    assert all(crop.mean() > 60 for crop in crops)  # none reaches into the black half
    assert garment_crops(rgb, 4, np.zeros_like(fabric)) == []


def test_parser_mask_is_the_largest_garment_of_a_photo():
    groups = default_groups()
    _, val_ids = ccp_split(ccp_ids())
    image, truth = ccp_load(val_ids[0], groups)
    mask = parser_fabric_mask(image)
    assert mask is not None and mask.shape == truth.shape
    shares = {g: (truth == g).mean() for g in groups.garment_ids}
    largest = truth == max(shares, key=shares.get)
    iou = (mask & largest).sum() / (mask | largest).sum()
    assert iou > 0.6

"""Swatch extraction: crops stay inside the garment the parser finds."""
import numpy as np
import pytest
from PIL import Image

from models.garment_parser.data import ccp_ids, ccp_load, ccp_split
from models.garment_parser.groups import default_groups
from models.pattern_gan import swatches
from models.pattern_gan.swatches import Cut, category_target_period, garment_boxes, parser_fabric_mask, rescaled_box


def test_crops_come_only_from_the_fabric_mask():
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (200, 300, 3), dtype=np.uint8)  # sharp noise everywhere
    rgb[:, 150:] = 0  # the right half is black
    fabric = np.zeros((200, 300), dtype=bool)
    fabric[:, :150] = True
    boxes = garment_boxes(rgb, 4, fabric)
    assert len(boxes) >= 1
    assert all(rgb[y:y + s, x:x + s].mean() > 60 for y, x, s in boxes)  # none reaches into the black half
    assert garment_boxes(rgb, 4, np.zeros_like(fabric)) == []


def test_a_crop_is_recut_so_its_period_spans_the_target_inside_image_and_fabric():
    cut = Cut(image=0, y=100, x=100, side=64, period=8.0, name="a.png", split="train")
    # 8 px repeats in the source; 32 px wanted in a 128 px swatch: a 32 px box, same centre.
    assert rescaled_box(cut, 32.0, (400, 400), None) == (116, 116, 32)
    # 128 px wanted (period 32 -> 32 in a 128 swatch at 4x the crop): clipped to the image.
    big = Cut(image=0, y=0, x=0, side=64, period=64.0, name="b.png", split="train")
    assert rescaled_box(big, 32.0, (200, 150), None)[2] == 150
    # Outside the fabric the larger box is refused; the original box always fits.
    fabric = np.zeros((400, 400), dtype=bool)
    fabric[100:164, 100:164] = True
    assert rescaled_box(Cut(0, 100, 100, 64, 32.0, "c.png", "train"), 16.0, (400, 400), fabric) == (100, 100, 64)


def test_categories_without_a_clear_repeat_keep_their_scale():
    assert category_target_period([None, None, 20.0]) is None
    assert category_target_period([10.0, 24.0, 30.0, None]) == 24.0
    assert category_target_period([100.0, 90.0]) == 40.0  # at least three repeats per swatch


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


def _closeup_source(root):
    """One category of two striped close-ups under root/patterns/close/zz."""
    folder = root / "patterns" / "close" / "zz"
    folder.mkdir(parents=True)
    for k in range(2):
        stripes = np.zeros((160, 160, 3), dtype=np.uint8)
        stripes[:, (np.arange(160) // (6 + k)) % 2 == 0] = (200, 40, 40)
        Image.fromarray(stripes).save(folder / f"img_{k}.jpg")


def test_an_extraction_replaces_the_earlier_one_only_once_complete(tmp_path, monkeypatch):
    _closeup_source(tmp_path / "data")
    monkeypatch.setattr(swatches, "data_dir", lambda: tmp_path / "data")
    monkeypatch.setattr(swatches, "categories", lambda: {"zz": ["close/zz"]})
    out = tmp_path / "swatches"
    (out / "earlier").mkdir(parents=True)

    def broken_sheet(*args, **kwargs):
        raise RuntimeError("interrupted")

    with monkeypatch.context() as m:
        m.setattr(swatches, "swatches_sheet", broken_sheet)
        with pytest.raises(RuntimeError):
            swatches.swatches_extract(out_dir=out, use_parser=False, screen=False)
    # Interrupted after every crop was written: readers still see only the earlier extraction.
    assert sorted(p.name for p in out.iterdir()) == ["earlier"]

    counts = swatches.swatches_extract(out_dir=out, use_parser=False, screen=False)
    assert counts["zz"]["images"] == 2 and counts["zz"]["train"] + counts["zz"]["val"] == 8
    assert (out / "counts.json").exists() and not (out / "earlier").exists()
    assert not out.with_name("swatches.partial").exists()

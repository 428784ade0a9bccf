"""The management commands' promises: files, sizes, values, and clear refusals."""
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from tests import photo_files


def test_generate_patterns_writes_one_png_per_seed(random_generator_weights, tmp_path):
    out = tmp_path / "out"
    call_command("generate_patterns", category="floral", count=3, seed=5, size=96, out=out)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.png"))
    assert files == ["floral/5.png", "floral/6.png", "floral/7.png"]
    assert Image.open(out / "floral" / "6.png").size == (96, 96)


def test_generate_patterns_is_reproducible(random_generator_weights, tmp_path):
    for run in ("a", "b"):
        call_command("generate_patterns", category="tartan", count=1, seed=3, size=64, out=tmp_path / run)
    assert (tmp_path / "a/tartan/3.png").read_bytes() == (tmp_path / "b/tartan/3.png").read_bytes()


@pytest.mark.parametrize("options,message", [
    ({"category": "plaid"}, "unknown category"),
    ({"size": 4096}, "size must be"),
    ({"size": 32}, "size must be"),
    ({"count": -2}, "count must be"),
    ({"seed": -1}, "seed must be"),
])
def test_generate_patterns_refuses_bad_input_and_writes_nothing(random_generator_weights, tmp_path, options, message):
    out = tmp_path / "out"
    arguments = {"category": "floral", "count": 2, "seed": 0, "size": 64, "out": out, **options}
    with pytest.raises(CommandError, match=message):
        call_command("generate_patterns", **arguments)
    assert not out.exists() or not any(out.rglob("*"))


def test_segment_writes_photo_sized_class_maps_and_skips_bad_files(random_parser_weights, tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "turned.jpg").write_bytes(photo_files.jpeg_rotated_by_exif(120, 180))
    for name, data in {**photo_files.odd_but_valid(), **photo_files.broken()}.items():
        (photos / name).write_bytes(data)
    out = tmp_path / "masks"
    with pytest.raises(CommandError, match=f"{len(photo_files.broken())} of"):
        call_command("segment", *sorted(photos.iterdir()), out=out)
    good = ["turned"] + [Path(n).stem for n in photo_files.odd_but_valid()]
    assert sorted(p.stem for p in out.iterdir()) == sorted(good)
    for path in out.iterdir():
        mask = Image.open(path)
        assert mask.mode == "L" and mask.size == (120, 180)
        assert np.asarray(mask).max() <= 9

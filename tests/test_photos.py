"""Reading photos: orientation, colour modes, and clear errors for bad files."""
import numpy as np
import pytest

from tests import photo_files
from jobs.photos import PhotoError, photo_read


def test_exif_orientation_is_applied():
    rgb = photo_read(photo_files.jpeg_rotated_by_exif(120, 180))
    assert rgb.shape == (180, 120, 3)


@pytest.mark.parametrize("name", sorted(photo_files.odd_but_valid()))
def test_odd_modes_become_rgb(name):
    rgb = photo_read(photo_files.odd_but_valid()[name], name=name)
    assert rgb.dtype == np.uint8 and rgb.shape == (180, 120, 3)


def test_sixteen_bit_keeps_its_contrast():
    rgb = photo_read(photo_files.odd_but_valid()["sixteen_bit.png"])
    assert rgb.max() > 200 and rgb.min() < 50


@pytest.mark.parametrize("name", sorted(photo_files.broken()))
def test_broken_files_name_the_file(name):
    with pytest.raises(PhotoError, match=name):
        photo_read(photo_files.broken()[name], name=name)


def test_decompression_bomb_is_refused_before_decoding():
    with pytest.raises(PhotoError, match="megapixels"):
        photo_read(photo_files.decompression_bomb(), name="bomb.png")

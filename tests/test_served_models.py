"""The weights the site serves: every category renders seamless patterns, and the parser
finds garments in held-out photos. (Quality figures themselves come from the evaluate commands.)"""
import numpy as np
import pytest

from models.garment_parser.data import ccp_ids, ccp_load, ccp_split
from models.garment_parser.groups import default_groups
from models.garment_parser.model import parser_weights_path
from models.pattern_gan.evaluate import faint_samples, flat_renders, flat_samples
from models.pattern_gan.model import pattern_weights_path
from models.pattern_gan.sample import PatternSpec, generator_load, pattern_render
from models.pattern_gan.sett import FAMILIES, SettGenerator
from models.pattern_gan.taxonomy import category_names
from models.weights_io import card_read
from tryon.services import photo_segment


# A seamless tile's wrap-around step is just another step between neighbours, so it is the
# largest of a tile's 128 about once in 128 (served argyle 3 and dotted 2 of 128 checks over
# seeds 0..63, at most 1.17 times the interior's largest); a seam stands out far more (stop 24's
# withdrawn checkered: 1.9 times).
SEAM_MARGIN = 1.25


def wrap_step_ratio(tile: np.ndarray) -> float:
    """The wrap-around step over the largest interior step, the larger of the two axes."""
    x = tile.astype(np.float32)
    ratios = []
    for axis in (0, 1):
        steps = np.abs(np.diff(x, axis=axis)).mean(axis=(1 - axis, 2))
        wrap = np.abs(x.take(0, axis=axis) - x.take(-1, axis=axis)).mean()
        ratios.append(wrap / max(float(steps.max()), 1e-6))
    return max(ratios)


def test_wrap_step_ratio_tells_a_seam_from_a_seamless_tile():
    ramp = np.broadcast_to(np.linspace(0, 255, 128)[None, :, None], (128, 128, 3))  # steps of 2, a wrap of 255
    assert wrap_step_ratio(ramp) > 50
    wave = 128 + 100 * np.sin(np.arange(128) * 2 * np.pi / 32)  # four whole periods: seamless
    assert wrap_step_ratio(np.broadcast_to(wave[None, :, None], (128, 128, 3))) <= 1.0 + 1e-6


@pytest.mark.parametrize("category", category_names())
def test_each_category_has_small_weights_and_renders_seamless_tiles(category):
    path = pattern_weights_path(category)
    assert path.stat().st_size < 4 * 1024 * 1024
    assert {"data", "config", "training"} <= set(card_read(path))
    tiles = [pattern_render(PatternSpec(category=category, seed=seed, size=128)) for seed in range(16)]
    for seed, tile in enumerate(tiles):
        # Tiled, no seam line stands out. (The mean seam score is in the model card.)
        assert wrap_step_ratio(tile) <= SEAM_MARGIN, seed
    assert not np.array_equal(tiles[0], tiles[1])


@pytest.mark.parametrize("category", sorted(set(FAMILIES) - {"solid"}))
def test_structured_generators_draw_no_flat_field_in_1000_seeds(category):
    generator = generator_load(category)
    if not isinstance(generator, SettGenerator):
        pytest.skip(f"{category} is served by a spatial generator")
    assert flat_samples(generator, seeds=1000) == 0


@pytest.mark.parametrize("category", sorted(set(category_names()) - {"solid"}))
def test_the_site_renders_no_flat_field_in_1000_seeds(category):
    """Whatever the generator draws (its own counts are in its card), a visitor's seed never
    gets a blank: a flat or faint tile is redrawn from the seed's next stream."""
    assert flat_renders(generator_load(category), category, seeds=1000) == 0


def test_the_flat_and_faint_sample_counts_in_each_card_are_what_the_served_weights_draw():
    for category in category_names():
        metrics = card_read(pattern_weights_path(category)).get("metrics", {})
        for key, count in (("flat_samples_of_1000", flat_samples), ("faint_samples_of_1000", faint_samples)):
            if key in metrics:
                assert count(generator_load(category)) == metrics[key], (category, key)


def test_parser_finds_garments_in_validation_photos():
    assert parser_weights_path().stat().st_size < 15 * 1024 * 1024
    groups = default_groups()
    _, val_ids = ccp_split(ccp_ids())
    garment = np.isin
    ious = []
    for photo_id in val_ids[:5]:
        image, truth = ccp_load(photo_id, groups)
        predicted = photo_segment(image=image).labels
        assert predicted.shape == truth.shape
        t, p = garment(truth, groups.garment_ids), garment(predicted, groups.garment_ids)
        ious.append((t & p).sum() / max((t | p).sum(), 1))
    assert np.mean(ious) > 0.75

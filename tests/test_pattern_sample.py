"""Rendering controls: determinism, sizes, scale, interpolation, variations, palettes."""
import math

import numpy as np
import pytest
import torch

from models.pattern_gan.recolour import parse_hex, recolour
from models.pattern_gan.sample import PatternSpec, native_layout, pattern_render, periodic_resample, seam_score, slerp


def render(**kw):
    return pattern_render(PatternSpec(**{"category": "floral", "seed": 7, "size": 128, **kw}))


def test_same_spec_gives_identical_pixels_and_seeds_differ(random_generator_weights):
    first, again = render(), render()
    assert first.dtype == np.uint8 and first.shape == (128, 128, 3)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, render(seed=8))


@pytest.mark.parametrize("size,scale", [(64, 1.0), (200, 1.0), (256, 0.5), (300, 2.5), (512, 4.0)])
def test_any_size_and_scale_renders_that_size(random_generator_weights, size, scale):
    assert render(size=size, scale=scale).shape == (size, size, 3)


@pytest.mark.parametrize("size,period", [(300, 208), (200, 208), (256, 416), (512, 128)])
def test_periodic_resample_wraps_around_without_a_seam(size, period):
    n = 208 if period % 208 == 0 else 128
    u = torch.arange(n, dtype=torch.float64) / n * 2 * math.pi
    tile = 0.5 * (torch.sin(3 * u)[None, :] + torch.cos(2 * u)[:, None]).float()  # periodic in n
    out = periodic_resample(tile.expand(1, 3, n, n).contiguous(), size, period)[0]
    # Output pixel centres land on native coordinates (x + 0.5) * period / size - 0.5.
    x = ((torch.arange(size, dtype=torch.float64) + 0.5) * period / size - 0.5) / n * 2 * math.pi
    expected = 0.5 * (torch.sin(3 * x)[None, :] + torch.cos(2 * x)[:, None]).float()
    assert (out[0] - expected).abs().max() < 0.02
    assert seam_score(out.permute(1, 2, 0).numpy() * 100) < 1.1


def test_seam_score_flags_a_non_tileable_image(rng):
    ramp = np.linspace(0, 255, 128)[None, :, None].repeat(128, 0).repeat(3, 2).astype(np.uint8)
    assert seam_score(ramp) > 50


def test_seam_score_is_one_for_a_periodic_tile_at_any_phase():
    """Stripes that tile exactly, rolled to random phases, and sharp bands whose edge sits on
    the tile border: each wrap-around is an ordinary step of the texture's own period."""
    wave = np.round(127 + 100 * np.sin(np.arange(256) * 2 * np.pi / 32))
    stripes = wave[None, :, None].repeat(256, 0).repeat(3, 2).astype(np.uint8)
    for shift in range(32):
        assert abs(seam_score(np.roll(stripes, shift, axis=1)) - 1) < 0.01
    position = (np.arange(256) + 0.5) / 256 * 12  # 12 repeats of 21.3 px: a fractional period
    bands = np.where(position % 1 < 0.3, 200, 40).astype(np.uint8)[None, :, None].repeat(256, 0).repeat(3, 2)
    for shift in range(0, 22):  # shift 0 puts a band edge exactly on the border
        assert abs(seam_score(np.roll(bands, shift, axis=1)) - 1) < 0.05


def test_seam_score_flags_periodic_stripes_cut_off_their_period():
    wave = np.round(127 + 100 * np.sin(np.arange(256) * 2 * np.pi / 32))
    stripes = wave[None, :, None].repeat(256, 0).repeat(3, 2).astype(np.uint8)
    for width in (232, 236, 244, 248):  # the wrap jumps to another phase of the stripe
        assert seam_score(stripes[:, :width]) > 2  # far above the 1.1 a seamless print may score
    position = (np.arange(256) + 0.5) / 256 * 12
    bands = np.where(position % 1 < 0.3, 200, 40).astype(np.uint8)[None, :, None].repeat(256, 0).repeat(3, 2)
    assert seam_score(bands[:, :250]) > 50  # an edge where the bands have none


def test_seam_score_of_periodless_noise_compares_with_the_mean_step(rng):
    noise = rng.normal(128, 30, (256, 256, 3)).clip(0, 255).astype(np.uint8)
    assert 0.9 < seam_score(noise) < 1.1
    smooth = np.cumsum(rng.normal(0, 2, 256))[None, :, None].repeat(64, 0).repeat(3, 2)
    assert seam_score((smooth - smooth.min()).astype(np.uint8)) > 5  # a random walk does not wrap


def test_native_layout_repeats_a_tile_beyond_the_native_limit():
    assert native_layout(512, 1.0) == (512, 1)
    assert native_layout(2048, 1.0) == (512, 4)  # a 512 px repeat, tiled
    assert native_layout(2048, 0.5) == (512, 8)
    tile, repeats = native_layout(1000, 3.0)
    assert tile % 16 == 0 and repeats == 1


def test_slerp_ends_are_the_two_latents_exactly():
    for seed in range(40):  # the sine formula alone misses b by rounding in about 1 of 4 of these
        rng = torch.Generator().manual_seed(seed)
        a, b = torch.randn(1, 64, 5, 5, generator=rng), torch.randn(1, 64, 5, 5, generator=rng)
        assert torch.equal(slerp(a, b, 0.0), a) and torch.equal(slerp(a, b, 1.0), b)


def test_interpolation_ends_are_the_two_seeds(random_generator_weights):
    a, b = render(seed=1), render(seed=2)
    assert np.array_equal(render(seed=1, seed_b=2, mix=0.0), a)
    assert np.array_equal(render(seed=1, seed_b=2, mix=1.0), b)
    middle = render(seed=1, seed_b=2, mix=0.5)
    assert not np.array_equal(middle, a) and not np.array_equal(middle, b)


@pytest.mark.parametrize("slider", [0, 1, 2])
def test_each_variation_slider_changes_the_pattern_visibly(random_generator_weights, slider):
    low = [0.0, 0.0, 0.0]
    high = [0.0, 0.0, 0.0]
    low[slider], high[slider] = -2.5, 2.5
    difference = np.abs(render(variations=tuple(low)).astype(float) - render(variations=tuple(high)).astype(float))
    assert difference.mean() > 4  # out of 255: a visible change


def test_recolour_uses_the_palette_and_keeps_structure(rng):
    stripes = np.zeros((64, 64, 3), np.uint8)
    stripes[:, ::8] = 255
    stripes[:, 1::8] = 255
    palette = [parse_hex("#1f3a93"), parse_hex("#f5d76e")]
    out = recolour(stripes, palette)
    colours = {tuple(c) for c in out.reshape(-1, 3)}
    assert colours == {(0x1F, 0x3A, 0x93), (0xF5, 0xD7, 0x6E)}
    bright = out.sum(2) > 400
    assert np.array_equal(bright, stripes[..., 0] == 255)


def test_palette_colours_appear_in_a_rendered_pattern(random_generator_weights):
    out = render(palette=((200, 30, 30),))
    red_dominant = (out[..., 0].astype(int) > out[..., 1].astype(int) + 20).mean()
    assert red_dominant > 0.5


@pytest.mark.parametrize("bad", [{"size": 63}, {"size": 2049}, {"scale": 0.1}, {"seed": -1}, {"mix": 2.0},
                                 {"variations": (9.0,)}, {"palette": ((0, 0, 0),) * 4}])
def test_out_of_range_requests_are_refused(random_generator_weights, bad):
    with pytest.raises(ValueError):
        render(**bad)


def test_parse_hex_rejects_garbage():
    with pytest.raises(ValueError):
        parse_hex("red")


def test_a_flat_tile_is_redrawn_and_solid_is_left_flat(random_generator_weights, monkeypatch):
    import models.pattern_gan.sample as sample

    drawn = []
    real = sample._tile_drawn

    def first_flat(spec, generator, native, redraw):
        drawn.append(redraw)
        tile = real(spec, generator, native, redraw)
        return tile * 0 if redraw == 0 else tile  # the seed's own latent draws a blank

    monkeypatch.setattr(sample, "_tile_drawn", first_flat)
    rgb = pattern_render(PatternSpec(category="floral", seed=5, size=64))
    assert drawn == [0, 1] and rgb.std() > 3
    drawn.clear()
    monkeypatch.setattr(sample, "_tile_drawn", lambda spec, generator, native, redraw: drawn.append(redraw) or
                        real(spec, generator, native, redraw) * 0)
    pattern_render(PatternSpec(category="floral", seed=5, size=64))
    assert drawn == list(range(sample.REDRAWS + 1))  # at most REDRAWS more, then it gives up rather than loop
    drawn.clear()
    monkeypatch.setattr(sample, "generator_load", lambda category: sample.generator_from_file(
        random_generator_weights / "patterns" / "floral.safetensors"))
    pattern_render(PatternSpec(category="solid", seed=5, size=64))
    assert drawn == [0]  # solid cloth is meant to be flat


@pytest.mark.parametrize("share,redraws", [(0.9, [0, 1]), (1.1, [0])])
def test_a_tile_under_the_contrast_floor_is_redrawn(random_generator_weights, monkeypatch, share, redraws):
    """The floor is a fifth of the contrast the generator typically draws (above the flat-field
    threshold here): a tile dimmed to just under it is redrawn, just over it is kept."""
    import models.pattern_gan.sample as sample

    generator = sample.generator_load("floral")
    floor = sample.contrast_floor(generator)
    assert floor > sample.FLAT_CONTRAST
    drawn = []
    real = sample._tile_drawn

    def first_dimmed(spec, generator, native, redraw):
        drawn.append(redraw)
        tile = real(spec, generator, native, redraw)  # [1, 3, n, n] in -1..1: scaling it scales its contrast
        return tile * (share * floor / sample.colour_contrast(tile)) if redraw == 0 else tile

    monkeypatch.setattr(sample, "_tile_drawn", first_dimmed)
    pattern_render(PatternSpec(category="floral", seed=5, size=64))
    assert drawn == redraws

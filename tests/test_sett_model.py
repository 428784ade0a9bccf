"""The structured (sett) generators: every renderer parameter is trained, tiles are whole
repeats, and the projected discriminator trains only its heads."""
import math

import pytest
import torch

from models.pattern_gan.diffaug import random_transpose
from models.pattern_gan.generators import generator_build, generator_config
from models.pattern_gan.model import Generator
from models.pattern_gan.projected import TAPS, ProjectedDiscriminator, batch_spread
from models.pattern_gan.sett import FAMILIES, SettGenerator, sett_config
from models.pattern_gan.texture_loss import colour_loss, colourway_loss, faint_loss
from models.pattern_gan.train import trained_parameters


def _generator(category: str) -> SettGenerator:
    torch.manual_seed(0)
    generator = SettGenerator(sett_config(category))
    with torch.no_grad():
        generator.head.weight.mul_(4)  # contrast, as once trained
        if hasattr(generator, "yarn"):
            generator.yarn.out.weight.normal_(std=0.05)  # a yarn that draws (it starts at zero)
    return generator


def _first_row(sizes: dict[str, int], name: str) -> int:
    """The first output row of entry `name` of a head whose outputs are split by `sizes` in
    order (the head's layout, the extra head's config)."""
    return sum(list(sizes.values())[:list(sizes).index(name)])


@pytest.mark.parametrize("category", sorted(FAMILIES))
def test_gradient_reaches_every_sett_parameter(category):
    generator = _generator(category)
    out = generator(torch.randn(4, 1, 4, 4), torch.randn(4, generator.config["z_global"]))
    assert out.shape == (4, 3, 64, 64) and out.abs().max() <= 1
    # A loss that depends on every pixel's colour (a plain mean can cancel out).
    (out * torch.randn_like(out)).sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in generator.parameters())
    rows = generator.head.weight.grad.abs().sum(1)  # one row per renderer parameter
    start = 0
    for name, size in generator.layout.items():
        assert (rows[start:start + size] > 0).all(), f"{category}: no gradient reaches {name}"
        start += size


def _pin_rows(layer: torch.nn.Linear, offset: int, raw: list[float]) -> None:
    """The layer's outputs offset.. `raw` for every input."""
    with torch.no_grad():
        layer.weight[offset:offset + len(raw)].zero_()
        layer.bias[offset:offset + len(raw)] = torch.tensor(raw)


def _pin_head(generator: SettGenerator, name: str, raw: list[float]) -> None:
    """Every sample's head outputs for renderer parameter `name` `raw` before their squashing."""
    _pin_rows(generator.head, _first_row(generator.layout, name), raw)


def _pin_repeat(generator: SettGenerator, period: int) -> None:
    """Every sample's repeat `period` native px."""
    low, high = generator.config["repeat_px"]
    share = math.log(period / low) / math.log(high / low)
    _pin_head(generator, "repeat", [math.log(share / (1 - share))])


def _pin_extra(generator: SettGenerator, name: str, raw: float) -> None:
    """Every sample's extra-head output `name` (each of its entries) `raw` before its squashing."""
    sizes = generator.config["extra"]
    _pin_rows(generator.extra, _first_row(sizes, name), [raw] * sizes[name])


@pytest.mark.parametrize("category", sorted(c for c in FAMILIES if "extra" not in FAMILIES[c]))
def test_a_tile_is_a_whole_number_of_repeats_so_it_repeats_exactly(category):
    generator = _generator(category)
    low, high = generator.config["repeat_px"]
    period = next(p for p in (8, 16, 32, 64) if low < p < high)  # divides the 128 px tile
    _pin_repeat(generator, period)  # 128 px then hold whole repeats
    with torch.no_grad():
        tile = generator.synthesise(torch.zeros(2, 1, 8, 8), generator.map(torch.randn(2, generator.config["z_global"])))
    assert tile.shape == (2, 3, 128, 128)
    for dim in (2, 3):
        torch.testing.assert_close(tile.roll(period, dims=dim), tile, atol=1e-4, rtol=0)
    assert tile.std() > 0.02  # a pattern, not a flat field


def test_a_three_colour_argyle_repeats_over_two_columns_of_taller_diamonds():
    generator = _generator("argyle")
    _pin_repeat(generator, 32)
    _pin_extra(generator, "aspect", 0.0)  # diamonds 1.5 times as tall as wide: 48 px
    _pin_extra(generator, "trio", 20.0)  # every other column in the third colour: white
    _pin_extra(generator, "trio_rgb", 20.0)
    with torch.no_grad():  # 96 px: (96 / 64 -> 2) * 2 columns across, 96 / 48 = 2 rows down
        tile = generator.synthesise(torch.zeros(2, 1, 6, 6), generator.map(torch.randn(2, generator.config["z_global"])))
    assert tile.shape == (2, 3, 96, 96)
    for dim in (2, 3):  # the two-column repeat is 48 px wide; a diamond is 48 px tall
        torch.testing.assert_close(tile.roll(48, dims=dim), tile, atol=1e-4, rtol=0)
    # Half a repeat across, the second set's diamonds change colour: a third colour shows.
    assert (tile.roll(24, dims=3) - tile).abs().amax() > 0.1
    with torch.no_grad():  # without the third colour, one column of diamonds is the repeat
        _pin_extra(generator, "trio", -20.0)
        two = generator.synthesise(torch.zeros(2, 1, 6, 6), generator.map(torch.randn(2, generator.config["z_global"])))
    torch.testing.assert_close(two.roll(24, dims=3), two, atol=1e-4, rtol=0)


def test_polka_dots_sit_on_a_square_or_half_dropped_lattice_in_their_own_colours():
    generator = _generator("dotted")
    _pin_repeat(generator, 32)
    _pin_head(generator, "phase", [-20.0, -20.0])  # a dot centred in each 32 px repeat
    _pin_head(generator, "relief", [-20.0])
    _pin_head(generator, "grain", [-20.0])
    _pin_head(generator, "palette", [-20.0] * 3 + [20.0] * 3 + [20.0, -20.0, -20.0])  # black, white, red

    def tile(drop: float, second: float) -> torch.Tensor:
        _pin_head(generator, "dots", [0.0, drop, second])  # radius 0.195 of the repeat: 6.2 px
        with torch.no_grad():
            return generator.synthesise(torch.zeros(1, 1, 8, 8), generator.map(torch.randn(1, 32)))[0]

    square, dropped, two_colours = tile(-20.0, -20.0), tile(20.0, -20.0), tile(20.0, 20.0)
    white, black, red = torch.ones(3), -torch.ones(3), torch.tensor([1.0, -1.0, -1.0])
    torch.testing.assert_close(square[:, 16, 16], white, atol=1e-3, rtol=0)
    torch.testing.assert_close(square[:, 0, 0], black, atol=1e-3, rtol=0)
    torch.testing.assert_close(dropped[:, 0, 0], white, atol=1e-3, rtol=0)
    torch.testing.assert_close(two_colours[:, 0, 0], red, atol=1e-3, rtol=0)
    torch.testing.assert_close(two_colours[:, 16, 16], white, atol=1e-3, rtol=0)
    # Round: a disc of radius 6.2 px covers about pi r^2 of each repeat's 32 x 32 px.
    covered = (square[0] > 0).float().mean() * 32 * 32
    assert abs(covered - math.pi * 6.24 ** 2) < 6

def test_generator_config_picks_structured_generators_where_a_family_exists():
    assert isinstance(generator_build(generator_config("tartan", "auto")), SettGenerator)
    assert isinstance(generator_build(generator_config("floral", "auto")), Generator)
    assert isinstance(generator_build(generator_config("tartan", "spatial")), Generator)
    with pytest.raises(ValueError, match="no structured family"):
        generator_config("floral", "sett")


def test_projected_discriminator_scores_three_depths_and_trains_only_its_heads():
    discriminator = ProjectedDiscriminator()
    x = torch.rand(2, 3, 80, 80, requires_grad=True)
    scores = discriminator(x * 2 - 1)
    assert len(scores) == len(TAPS) and all(s.shape == (2,) for s in scores)
    sum(s.sum() for s in scores).backward()
    assert x.grad is not None and x.grad.abs().sum() > 0  # the generator learns through it
    assert not any(p.requires_grad for p in discriminator.stages.parameters())
    assert all(p.grad is not None for p in discriminator.heads.parameters())
    discriminator.train()
    assert not discriminator.stages.training  # frozen BatchNorm statistics


def test_batch_spread_tells_a_collapsed_batch_from_a_varied_one():
    varied = torch.randn(8, 5, 4, 4)
    collapsed = varied[:1].expand(8, -1, -1, -1)
    assert batch_spread(collapsed, 4).abs().max() == 0
    spread = batch_spread(varied, 4)
    assert spread.shape == (8, 1, 4, 4) and spread.min() > 0.5
    # Crop i belongs to group i mod (B / g): both groups' spreads are given to their own crops.
    assert torch.equal(spread[0], spread[2]) and torch.equal(spread[1], spread[3])
    with pytest.raises(ValueError, match="groups of 4"):
        batch_spread(torch.randn(6, 5, 4, 4), 4)


def test_projected_discriminator_loads_heads_saved_before_the_batch_spread_existed():
    from torch.nn.utils.parametrizations import spectral_norm

    # Each head as it was built before: conv, leaky ReLU, conv; a run saved then must resume.
    earlier = torch.nn.ModuleList(torch.nn.Sequential(
        spectral_norm(torch.nn.Conv2d(64, 64, 3, padding=1)), torch.nn.LeakyReLU(0.2),
        spectral_norm(torch.nn.Conv2d(64, 1, 1))) for _ in TAPS)
    ProjectedDiscriminator().heads.load_state_dict(earlier.state_dict())


def test_projected_discriminator_with_batch_spread_passes_gradients_to_every_crop():
    discriminator = ProjectedDiscriminator(batch_group=4)
    x = torch.rand(8, 3, 64, 64, requires_grad=True)
    scores = discriminator(x * 2 - 1)
    assert all(s.shape == (8,) for s in scores)
    sum(s.sum() for s in scores).backward()
    assert (x.grad.abs().sum((1, 2, 3)) > 0).all()


def test_colour_loss_is_small_for_the_same_colours_and_grows_with_a_colour_shift():
    real = torch.rand(4, 3, 32, 32) * 2 - 1
    same = colour_loss(real.roll(1, 0), real, torch.Generator().manual_seed(0))  # same pixels, other order
    shifted = colour_loss((real + 0.3).clamp(-1, 1), real, torch.Generator().manual_seed(0))
    assert same.item() * 10 < shifted.item()


def test_colourway_loss_tells_one_colourway_for_all_from_a_colourway_each():
    red, blue = torch.tensor([1.0, -1, -1]), torch.tensor([-1.0, -1, 1])
    real = torch.stack([red] * 4 + [blue] * 4)[:, :, None, None].expand(8, 3, 16, 16)  # 4 red, 4 blue cloths
    # Every generated crop half red, half blue: the batch's pooled colours are the real ones.
    halves = torch.cat([real[:4, :, :8], real[4:, :, :8]], 2).repeat(2, 1, 1, 1).requires_grad_(True)
    sampler = torch.Generator().manual_seed(0)
    pooled = colour_loss(halves, real, sampler)  # only the noise of sampling 4096 pixels
    collapsed = colourway_loss(halves, real, sampler)
    assert collapsed.item() > 5 * pooled.item()
    assert colourway_loss(real.flip(0), real, sampler).item() < 1e-6  # same colourways, other order
    collapsed.backward()
    assert halves.grad.abs().sum() > 0


def test_faint_loss_counts_only_crops_fainter_than_a_fifth_of_real_and_lifts_them():
    torch.manual_seed(0)
    real = torch.rand(8, 3, 16, 16) * 2 - 1
    assert faint_loss(real.flip(0), real).item() == 0  # as contrasted as real cloth
    assert faint_loss(real * 0.25, real).item() == 0  # softer, but over the floor
    faint = (real * 0.05).requires_grad_(True)  # a twentieth of the contrast: a quarter of the floor
    loss = faint_loss(faint, real)
    assert loss.item() == pytest.approx(0.75, abs=0.05)
    loss.backward()
    # Descending the loss spreads each crop's colours away from its mean: more contrast.
    assert (faint.grad * (faint - faint.mean((2, 3), keepdim=True))).sum() < 0


def test_random_transpose_turns_about_half_the_crops():
    x = torch.arange(8 * 3 * 4 * 4, dtype=torch.float32).view(8, 3, 4, 4)
    y = random_transpose(x, torch.Generator().manual_seed(0))
    turned = [not torch.equal(a, b) and torch.equal(a.transpose(1, 2), b) for a, b in zip(x, y)]
    kept = [torch.equal(a, b) for a, b in zip(x, y)]
    assert all(t or k for t, k in zip(turned, kept)) and 0 < sum(turned) < 8


def test_large_patterns_are_one_512_px_tile_repeated_exactly():
    from models.pattern_gan.sample import PatternSpec, pattern_render

    generator = _generator("tartan").eval().requires_grad_(False)
    big = pattern_render(PatternSpec(category="tartan", seed=5, size=1024), generator)
    tile = pattern_render(PatternSpec(category="tartan", seed=5, size=512), generator)
    assert (big[:512, :512] == tile).all() and (big[512:, 512:] == tile).all()


def test_a_turning_sett_runs_across_when_its_network_says_so_and_learns_which_way():
    from models.pattern_gan.train import recipe

    generator = _generator("striped")
    z_local, z_global = torch.randn(2, 1, 4, 4), torch.randn(2, generator.config["z_global"])
    with torch.no_grad():
        generator.turn.weight.zero_()
        generator.turn.bias.fill_(-20.0)
        down = generator(z_local, z_global)
        generator.turn.bias.fill_(20.0)
        across = generator(z_local, z_global)
    torch.testing.assert_close(across, down.transpose(2, 3))
    assert (down[:, :, 0] - down[:, :, -1]).abs().max() < 0.2  # warp stripes: each column one colour
    # Its discriminator sees crops the way they were drawn (others are turned at random).
    assert recipe(sett_config("striped"))["rotate90"] is False
    assert recipe(sett_config("checkered"))["rotate90"] is True
    # Spatial generators: a strong texture loss against the DCGAN discriminator, the projected
    # discriminator's own recipe beside it; setts learn without one.
    assert recipe(generator_config("floral", "auto"))["texture_weight"] == 10.0
    assert recipe(generator_config("floral", "auto"), "projected")["texture_weight"] == 1.0
    assert recipe(sett_config("striped"))["texture_weight"] == 0.0


def test_the_discriminator_window_wraps_around_the_tile_so_its_border_falls_anywhere():
    from models.pattern_gan.train import periodic_window

    tile = torch.arange(80.0).view(1, 1, 1, 80).expand(2, 3, 80, 80)  # each column its index
    sampler = torch.Generator().manual_seed(0)
    windows = [periodic_window(tile, 64, sampler) for _ in range(40)]
    assert all(w.shape == (2, 3, 64, 64) for w in windows)
    # Consecutive columns, wrapping from the last column to the first: the tile border is
    # inside the window (a jump from 79 to 0) in some draws, not in all.
    steps = [torch.remainder(w[0, 0, 0].diff(), 80) for w in windows]
    assert all((s == 1).all() for s in steps)
    holds_border = [bool((w[0, 0, 0] == 0).any() and w[0, 0, 0, 0] != 0) for w in windows]
    assert 5 < sum(holds_border) < 40


def test_a_sett_phase_wraps_around_so_no_value_is_saturated_and_older_generators_keep_theirs():
    generator = _generator("checkered")
    _pin_head(generator, "phase", [5.25, -0.25])
    with torch.no_grad():
        phase = generator.parameters_of(generator.map(torch.randn(1, 32)))["phase"]
    torch.testing.assert_close(phase, torch.tensor([[0.25, 0.75]]))
    older = SettGenerator({key: value for key, value in sett_config("checkered").items() if key != "phase_wrap"})
    older.load_state_dict(generator.state_dict())
    with torch.no_grad():
        phase = older.parameters_of(older.map(torch.randn(1, 32)))["phase"]
    torch.testing.assert_close(phase, torch.sigmoid(torch.tensor([[5.25, -0.25]])))


def test_a_chevron_is_woven_with_yarn_relief_and_one_configured_before_the_weave_keeps_its_head():
    generator = _generator("zigzag")
    assert "relief" in generator.layout
    z_local, z_global = torch.zeros(2, 1, 4, 4), torch.randn(2, generator.config["z_global"])
    relief_max = generator.config["relief_max"]
    with torch.no_grad():
        generator.head.bias[_first_row(generator.layout, "relief")] = 30.0
        woven = generator(z_local, z_global)
        generator.head.bias[_first_row(generator.layout, "relief")] = -30.0
        flat = generator(z_local, z_global)  # no relief: the chevron's colours alone
    assert (woven - flat).abs().max() > relief_max / 2  # the relief shades the threads
    # The chevrons trained before the weave: 8 bands, no weave, the full height range.
    earlier = {k: v for k, v in sett_config("zigzag").items() if k not in ("weaves", "height", "relief_max")}
    earlier["bands"] = 8
    torch.manual_seed(0)
    before = SettGenerator(earlier)
    # Their head: palette 4x3, phase 2, repeat, grain, 8 bands' colours (of 4) and widths, amplitude.
    assert "relief" not in before.layout and before.head.out_features == 12 + 2 + 1 + 1 + 32 + 8 + 1
    assert before(z_local, z_global).shape == (2, 3, 64, 64)
    # Configured without a height range, a chevron keeps 0..2 repeats.
    assert _heights_at_the_ends(before) == (0.0, 2.0)


def _heights_at_the_ends(generator: SettGenerator) -> tuple[float, float]:
    """The chevron heights the generator draws with its height output pinned low, then high."""
    ends = []
    for bias in (-30.0, 30.0):
        with torch.no_grad():
            generator.head.bias[_first_row(generator.layout, "amplitude")] = bias
            heights = generator.parameters_of(generator.map(torch.randn(8, 32)))["amplitude"]
        torch.testing.assert_close(heights, heights[:1].expand_as(heights))
        ends.append(round(float(heights[0]), 6))
    return tuple(ends)


def test_a_chevron_stays_within_its_height_range():
    """The judge read chevrons steeper than 45 degrees as stripes: zigzag's height is bounded."""
    generator = _generator("zigzag")
    assert _heights_at_the_ends(generator) == tuple(generator.config["height"]) == (0.15, 0.4)


def test_a_yarn_starts_as_the_sett_without_it_then_textures_threads_and_keeps_the_tile_exact():
    """The learned yarn (sett.Yarn): a sett trained without it loads and renders the same, and
    once it draws, tiles are still exact repeats and every yarn weight is trained."""
    config = {key: value for key, value in sett_config("tartan").items() if key != "yarn"}
    torch.manual_seed(0)
    plain = SettGenerator(config)
    with torch.no_grad():
        plain.head.weight.mul_(4)
    yarn = SettGenerator({**config, "yarn": 8})
    missing = yarn.load_state_dict(plain.state_dict(), strict=False).missing_keys
    assert missing and all(key.startswith("yarn.") for key in missing)
    _pin_repeat(plain, 64)
    _pin_repeat(yarn, 64)
    z_local, w = torch.randn(2, 1, 8, 8), plain.map(torch.randn(2, 32)).detach()
    with torch.no_grad():
        torch.testing.assert_close(yarn.synthesise(z_local, w), plain.synthesise(z_local, w))
        assert not SettGenerator(sett_config("tartan")).yarn.out.weight.any()
        torch.nn.init.normal_(yarn.yarn.out.weight, std=0.1)
        tile = yarn.synthesise(torch.zeros(2, 1, 8, 8), w)
    assert (tile - plain.synthesise(torch.zeros(2, 1, 8, 8), w)).abs().max() > 0.05  # the yarn shades
    for dim in (2, 3):
        torch.testing.assert_close(tile.roll(64, dims=dim), tile, atol=1e-4, rtol=0)
    out = yarn.synthesise(z_local, w)
    (out * torch.randn_like(out)).sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in yarn.yarn.parameters())


def test_training_only_the_yarn_freezes_the_rest_of_the_generator():
    generator = SettGenerator(sett_config("tartan"))
    assert "yarn" in generator.config  # tartan learns its yarn on a frozen sett
    trained = trained_parameters(generator, ["yarn."])
    assert {id(p) for p in trained} == {id(p) for p in generator.yarn.parameters()}
    assert not any(p.requires_grad for name, p in generator.named_parameters() if not name.startswith("yarn."))
    assert len(trained_parameters(generator, [])) == len(list(generator.parameters()))
    with pytest.raises(ValueError, match="no generator parameter"):
        trained_parameters(generator, ["weft."])

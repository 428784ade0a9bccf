"""Shapes, gradients and exact periodicity of the pattern networks."""
import pytest
import torch

from models.pattern_gan.diffaug import diff_augment
from models.pattern_gan.model import (DEFAULT_CONFIG, MAX_CYCLES_PER_CELL, PERIODIC_PARTS, Discriminator, Generator,
                                      upsample2)
from models.pattern_gan.texture_loss import TAPS, TextureFeatures


def test_generator_output_is_16x_the_latent_grid():
    generator = Generator(DEFAULT_CONFIG)
    for cells in (1, 4, 7):
        out = generator(torch.randn(2, DEFAULT_CONFIG["z_local"], cells, cells + 1), torch.randn(2, DEFAULT_CONFIG["z_global"]))
        assert out.shape == (2, 3, 16 * cells, 16 * (cells + 1))
        assert out.abs().max() <= 1


def test_forward_backward_reaches_every_parameter():
    generator, discriminator = Generator(DEFAULT_CONFIG), Discriminator()
    fake = generator(torch.randn(2, DEFAULT_CONFIG["z_local"], 4, 4), torch.randn(2, DEFAULT_CONFIG["z_global"]))
    score = discriminator(diff_augment(fake))
    assert score.shape == (2,)
    score.sum().backward()
    assert all(p.grad is not None for p in generator.parameters())


def test_output_of_a_tiled_latent_is_the_tiled_output():
    """Circular padding makes the generator commute with tiling: outputs are exactly periodic."""
    generator = Generator(DEFAULT_CONFIG).eval()
    z_local = torch.randn(1, DEFAULT_CONFIG["z_local"], 3, 3)
    z_global = torch.randn(1, DEFAULT_CONFIG["z_global"])
    with torch.no_grad():
        single = generator(z_local, z_global)
        tiled = generator(z_local.repeat(1, 1, 2, 2), z_global)
    torch.testing.assert_close(tiled, single.repeat(1, 1, 2, 2), atol=1e-5, rtol=0)


def test_diff_augment_keeps_shape_and_is_differentiable():
    x = torch.rand(4, 3, 64, 64, requires_grad=True)
    y = diff_augment(x * 2 - 1)
    assert y.shape == x.shape
    y.sum().backward()
    assert x.grad is not None


def test_bilinear_upsampling_keeps_outputs_periodic_and_shift_equivariant():
    generator = Generator(dict(DEFAULT_CONFIG, upsample="bilinear")).eval()
    z_local = torch.randn(1, DEFAULT_CONFIG["z_local"], 4, 4)
    z_global = torch.randn(1, DEFAULT_CONFIG["z_global"])
    with torch.no_grad():
        single = generator(z_local, z_global)
        shifted = generator(z_local.roll(1, dims=3), z_global)
        tiled = generator(z_local.repeat(1, 1, 2, 2), z_global)
    torch.testing.assert_close(shifted, single.roll(16, dims=3), atol=1e-5, rtol=0)
    torch.testing.assert_close(tiled, single.repeat(1, 1, 2, 2), atol=1e-5, rtol=0)


def test_bilinear_upsampling_leaves_no_2px_steps():
    """Nearest upsampling repeats each pixel, so every other neighbour step of its output is
    zero; bilinear output varies at every step."""
    x = torch.randn(1, 1, 8, 8)
    nearest, bilinear = upsample2(x, "nearest"), upsample2(x, "bilinear")
    assert (nearest[..., 0::2] == nearest[..., 1::2]).all()
    assert (bilinear[..., 0::2] != bilinear[..., 1::2]).all()
    torch.testing.assert_close(bilinear.mean(), x.mean(), atol=1e-5, rtol=0)


def test_weights_saved_before_the_upsample_key_keep_nearest():
    legacy = {k: v for k, v in DEFAULT_CONFIG.items() if k != "upsample"}
    assert Generator(legacy).upsample == "nearest"


def test_texture_features_give_one_sample_set_per_tap_down_to_stride_16():

    features = TextureFeatures()
    out = features(torch.zeros(2, 3, 64, 64))
    # [B, h*w, C] per tap: strides 2, 4, 8, 16, 16 over a 64 px crop.
    assert [f.shape for f in out] == [(2, 32 * 32, 16), (2, 16 * 16, 24), (2, 8 * 8, 32),
                                      (2, 4 * 4, 64), (2, 4 * 4, 96)]
    assert len(out) == len(TAPS)
    assert [f.shape[2] for f in TextureFeatures(taps=(1, 3, 6))(torch.zeros(1, 3, 64, 64))] == [16, 24, 32]


def test_nearest_pairs_match_each_crop_with_its_own_texture_both_ways():
    from models.pattern_gan.texture_loss import nearest_pairs

    torch.manual_seed(0)
    # Three real textures, far apart in feature statistics; the fakes are the same three, shuffled,
    # plus a fourth near the second: every fake finds its twin, and every real crop a fake.
    real = [torch.randn(3, 50, 8) * torch.tensor([1.0, 5.0, 20.0])[:, None, None]]
    fake = [torch.cat([real[0][[2, 0, 1]], real[0][1:2] * 1.1])]
    fake_index, real_index = nearest_pairs(fake, real)
    pairs = list(zip(fake_index.tolist(), real_index.tolist()))
    assert pairs == [(0, 2), (1, 0), (2, 1), (3, 1), (1, 0), (2, 1), (0, 2)]


def test_nearest_texture_loss_is_zero_for_real_crops_and_pulls_a_blend_apart():
    from models.pattern_gan.texture_loss import texture_loss

    features = TextureFeatures()
    torch.manual_seed(0)
    x = torch.linspace(-1, 1, 64)
    stripes = torch.sign(torch.sin(x * 20))[None, None, None, :].expand(1, 3, 64, 64)
    checks = torch.sign(torch.sin(x * 20)[:, None] * torch.sin(x * 20)[None, :]).expand(1, 3, 64, 64)
    real = torch.cat([stripes, checks])
    blend = ((stripes + checks) / 2).repeat(2, 1, 1, 1).requires_grad_(True)
    g = torch.Generator().manual_seed(0)
    real_feats = features(real)
    assert texture_loss(real_feats, real_feats, g, "nearest") < 1e-6
    loss = texture_loss(features(blend), real_feats, g, "nearest")
    assert loss > 0.01
    loss.backward()
    assert blend.grad.abs().sum() > 0


def _with_waves(seed: int = 0) -> Generator:
    """A generator whose plane waves reach the output (a new one adds them with zero weight)."""
    torch.manual_seed(seed)
    generator = Generator(DEFAULT_CONFIG)
    torch.nn.init.normal_(generator.periodic_in.weight, std=1.0)
    torch.nn.init.normal_(generator.wave.weight, std=1.0)
    return generator


def test_wave_vectors_hold_whole_cycles_on_any_grid():
    generator = _with_waves()
    w = generator.map(torch.randn(16, DEFAULT_CONFIG["z_global"]))
    for rows, cols in [(5, 5), (6, 6), (32, 32), (7, 3)]:
        k = generator.wave_vectors(w, rows, cols)  # [16, P, 2]
        cycles = k * torch.tensor([cols, rows])
        torch.testing.assert_close(cycles, cycles.round(), atol=1e-4, rtol=0)
        assert k.abs().max() <= MAX_CYCLES_PER_CELL
    assert generator.wave_vectors(w, 32, 32).abs().amax((0, 1)).min() > 0  # not all flat


def test_plane_waves_wrap_around_without_a_step():
    generator = _with_waves()
    w = generator.map(torch.randn(4, DEFAULT_CONFIG["z_global"]))
    field = generator.periodic_field(w, 6, 6)  # [4, P, 24, 24]
    wrap = (field[..., 0] - field[..., -1]).abs().max()
    interior = (field[..., 1:] - field[..., :-1]).abs().max()
    assert wrap <= interior + 1e-5
    wrap_rows = (field[..., 0, :] - field[..., -1, :]).abs().max()
    assert wrap_rows <= (field[..., 1:, :] - field[..., :-1, :]).abs().max() + 1e-5


def test_waves_change_the_output_and_their_rounding_passes_gradients():
    generator = _with_waves()
    z_local, z_global = torch.randn(2, DEFAULT_CONFIG["z_local"], 5, 5), torch.randn(2, DEFAULT_CONFIG["z_global"])
    out = generator(z_local, z_global)
    out.square().mean().backward()
    assert generator.wave.weight.grad.abs().sum() > 0
    with torch.no_grad():
        generator.periodic_in.weight.zero_()
        assert (generator(z_local, z_global) - out).abs().max() > 1e-3


def test_a_generator_saved_without_waves_loads_into_one_with_them_unchanged(tmp_path):
    from models.weights_io import weights_load_into, weights_save

    torch.manual_seed(0)
    legacy_config = {k: v for k, v in DEFAULT_CONFIG.items() if k != "z_periodic"}
    legacy = Generator(legacy_config)
    path = tmp_path / "legacy.safetensors"
    weights_save(module=legacy, path=path, config=legacy_config, fp16=False)
    upgraded = Generator(DEFAULT_CONFIG)
    weights_load_into(module=upgraded, path=path, new_prefixes=PERIODIC_PARTS)
    z_local, z_global = torch.randn(1, DEFAULT_CONFIG["z_local"], 4, 4), torch.randn(1, DEFAULT_CONFIG["z_global"])
    with torch.no_grad():
        torch.testing.assert_close(upgraded(z_local, z_global), legacy(z_local, z_global))
    with pytest.raises(RuntimeError, match="Missing key"):
        weights_load_into(module=Generator(DEFAULT_CONFIG), path=path)  # only named parts may be missing


def test_an_ink_generator_prints_flat_inks_that_tile_and_all_learn():
    torch.manual_seed(0)
    generator = Generator({**DEFAULT_CONFIG, "inks": 3})
    z_local, z_global = torch.randn(2, DEFAULT_CONFIG["z_local"], 4, 4), torch.randn(2, DEFAULT_CONFIG["z_global"])
    out = generator(z_local, z_global)  # [2, 3, 64, 64]
    assert out.shape == (2, 3, 64, 64) and out.abs().max() <= 1
    (out * torch.randn_like(out)).sum().backward()
    for part in (generator.to_inks, generator.ink_colours, generator.mapping):  # colours and shapes learn
        assert all(p.grad.abs().sum() > 0 for p in part.parameters())
    with torch.no_grad():
        # Periodic like any generator of the family: the tile of a tiled latent is the tile twice.
        twice = generator(z_local.repeat(1, 1, 1, 2), z_global)
        torch.testing.assert_close(twice[..., :64], twice[..., 64:], atol=1e-5, rtol=0)
        # Steep logits and no shading: every pixel is exactly one of the sample's ink colours.
        generator.to_inks.weight.mul_(1e4)
        generator.to_inks.weight[3:].zero_()
        generator.to_inks.bias[3:].zero_()
        printed = generator(z_local, z_global)
        colours = torch.tanh(generator.ink_colours(generator.map(z_global))).view(2, 3, 3)
    distance = (printed.permute(0, 2, 3, 1)[:, :, :, None] - colours[:, None, None]).abs().amax(-1).amin(-1)
    assert distance.max() < 1e-3


def test_weights_start_a_generator_with_other_output_layers_everywhere_but_there(tmp_path):
    from models.pattern_gan.model import INK_PARTS, RGB_PARTS
    from models.weights_io import weights_load_into, weights_save

    torch.manual_seed(0)
    rgb = Generator(DEFAULT_CONFIG)
    path = tmp_path / "rgb.safetensors"
    weights_save(module=rgb, path=path, config=DEFAULT_CONFIG, fp16=False)
    inked = Generator({**DEFAULT_CONFIG, "inks": 4})
    weights_load_into(module=inked, path=path, new_prefixes=INK_PARTS, old_prefixes=RGB_PARTS)
    torch.testing.assert_close(inked.ups[-1].conv.weight, rgb.ups[-1].conv.weight)
    with pytest.raises(RuntimeError, match="Unexpected key"):  # a replaced part must be named as such
        weights_load_into(module=Generator({**DEFAULT_CONFIG, "inks": 4}), path=path, new_prefixes=INK_PARTS)
    # Another number of inks: every layer but the ink ones is read, those start afresh.
    inked_path = tmp_path / "inks4.safetensors"
    weights_save(module=inked, path=inked_path, config={**DEFAULT_CONFIG, "inks": 4}, fp16=False)
    more = Generator({**DEFAULT_CONFIG, "inks": 6})
    weights_load_into(module=more, path=inked_path, new_prefixes=INK_PARTS, old_prefixes=INK_PARTS)
    torch.testing.assert_close(more.ups[-1].conv.weight, rgb.ups[-1].conv.weight)
    assert more.to_inks.weight.shape[0] == 7


def test_mode_seeking_in_feature_space_sees_structure_that_a_colour_change_hides():
    from models.pattern_gan.train import mode_seeking_loss

    features = TextureFeatures()
    x = torch.linspace(-1, 1, 64)
    stripes = torch.sign(torch.sin(x * 20))[None, None, None, :].expand(1, 3, 64, 64)
    checks = torch.sign(torch.sin(x * 20)[:, None] * torch.sin(x * 20)[None, :]).expand(1, 3, 64, 64)
    z = torch.ones(2, 4)
    z[1] = -1
    # The same stripes in the opposite colours against stripes beside checks: in pixels the
    # recolouring is the larger change, in features the new structure is.
    recoloured, restructured = torch.cat([stripes, -stripes]), torch.cat([stripes, checks])
    in_pixels = [mode_seeking_loss(pair, z).item() for pair in (recoloured, restructured)]
    assert in_pixels[0] * 1.5 < in_pixels[1]
    in_features = [mode_seeking_loss(pair, z, features(pair)).item() for pair in (recoloured, restructured)]
    assert in_features[1] * 4 < in_features[0]
    images = restructured.clone().requires_grad_(True)
    mode_seeking_loss(images, z, features(images)).backward()
    assert images.grad.abs().sum() > 0

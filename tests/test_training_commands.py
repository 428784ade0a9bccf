"""train_patterns and train_parser: fine-tuning the served weights, resuming, and what
they write (a few steps each, on tiny data)."""
import io

import torch

from django.core.management import call_command

from models.garment_parser.model import parser_weights_path
from models.pattern_gan.model import pattern_weights_path
from models.weights_io import card_read


def _run(command: str, **options) -> str:
    out = io.StringIO()
    call_command(command, stdout=out, threads=1, **options)
    return out.getvalue()


def test_train_patterns_fine_tunes_the_served_generator_and_resumes(random_generator_weights, tiny_swatches):
    served = pattern_weights_path("floral")
    before = served.read_bytes()
    first = _run("train_patterns", category="floral", iters=2, init="served", colour_augment="off",
                 colour_weight=5.0, mode_seeking=0.5, colourway_weight=2.0, mode_seeking_space="features")
    assert "starting from the served generator" in first
    card = card_read(served)
    assert card["training"]["init"] == "served" and card["training"]["iters"] == 2
    # The recipe's colour and diversity terms, overridden from the command line.
    assert card["training"]["colour_augment"] is False and card["training"]["colour_weight"] == 5.0
    assert card["training"]["mode_seeking"] == 0.5 and card["training"]["discriminator"] == "dcgan"
    assert card["training"]["colourway_weight"] == 2.0 and card["training"]["mode_seeking_space"] == "features"
    assert card["training"]["texture_weight"] == 10.0  # the spatial recipe's, as not given
    assert card["training"]["texture_taps"] == [1, 3, 6, 10, 13]
    assert "started_from" in card["training"]
    assert served.read_bytes() != before

    second = _run("train_patterns", category="floral", iters=3, init="served")
    assert "resuming at iteration 2" in second
    assert card_read(served)["training"]["iters"] == 3


def test_train_parser_fine_tunes_the_served_parser_exports_and_resumes(random_parser_weights, tmp_path):
    run_dir = tmp_path / "parser-run"
    before = parser_weights_path().read_bytes()
    first = _run("train_parser", epochs=1, train_limit=8, init="served", run_dir=run_dir,
                 garment_lovasz=0.5, base_h=320, serve_long_side=320)
    assert "starting from the served weights" in first and "exported" in first
    card = card_read(parser_weights_path())
    assert card["training"]["init"] == "served" and card["training"]["garment_weight"] == 1.0
    assert card["training"]["garment_lovasz"] == 0.5 and card["training"]["base_h"] == 320
    assert card["config"]["serve_long_side"] == 320
    assert {"mean_iou", "garment_iou"} <= set(card["metrics"])
    assert parser_weights_path().read_bytes() != before

    second = _run("train_parser", epochs=2, train_limit=8, init="served", run_dir=run_dir)
    assert "resuming" in second and "epoch 2:" in second


def test_train_patterns_trains_a_structured_generator_against_the_projected_discriminator(
        random_generator_weights, tiny_swatches):
    out = _run("train_patterns", category="tartan", iters=2, generator="sett", faint_weight=10.0)
    assert "exported" in out
    card = card_read(pattern_weights_path("tartan"))
    assert card["config"]["kind"] == "sett" and card["config"]["family"] == "weave"
    assert card["training"]["discriminator"] == "projected" and card["training"]["colour_augment"] is False
    assert card["training"]["faint_weight"] == 10.0
    assert card["training"]["iterations_done"] == 2 and card["data"]["training_swatches"] == 4
    from models.pattern_gan.sample import PatternSpec, pattern_render

    assert pattern_render(PatternSpec(category="tartan", seed=1, size=64)).shape == (64, 64, 3)
    assert "no structured family" in _run_error("train_patterns", category="floral", iters=1, generator="sett")

    # Fine-tuned with --train-parts yarn., only the yarn changes.
    from safetensors.torch import load_file

    before = load_file(str(pattern_weights_path("tartan")))
    _run("train_patterns", category="tartan", iters=2, init="served", train_parts=["yarn."],
         run_dir=tiny_swatches.parent / "yarn")
    after = load_file(str(pattern_weights_path("tartan")))
    assert card_read(pattern_weights_path("tartan"))["training"]["train_parts"] == ["yarn."]
    # The variation buffers (w_*) are refitted at export; every other tensor is frozen.
    assert all(torch.equal(before[key], after[key]) for key in before if not key.startswith(("yarn.", "w_")))
    assert not torch.equal(before["yarn.out.weight"], after["yarn.out.weight"])


def _run_error(command: str, **options) -> str:
    from django.core.management.base import CommandError

    try:
        _run(command, **options)
    except CommandError as error:
        return str(error)
    raise AssertionError(f"{command} {options} did not fail")


def test_train_patterns_turns_the_served_rgb_generator_into_an_ink_printer(random_generator_weights, tiny_swatches):
    out = _run("train_patterns", category="floral", iters=2, init="served", inks=3)
    assert "starting from the served generator" in out and "exported" in out
    assert card_read(pattern_weights_path("floral"))["config"]["inks"] == 3
    from models.pattern_gan.sample import PatternSpec, pattern_render

    assert pattern_render(PatternSpec(category="floral", seed=1, size=64)).shape == (64, 64, 3)
    # Fine-tuned on, an ink generator stays one without being told again.
    _run("train_patterns", category="floral", iters=1, init="served", run_dir=tiny_swatches.parent / "again")
    assert card_read(pattern_weights_path("floral"))["config"]["inks"] == 3
    # Told another number of inks, it fine-tunes on with new ink layers.
    _run("train_patterns", category="floral", iters=1, init="served", inks=5, run_dir=tiny_swatches.parent / "more")
    assert card_read(pattern_weights_path("floral"))["config"]["inks"] == 5
    assert "--inks is for spatial generators" in _run_error("train_patterns", category="tartan", iters=1,
                                                            generator="sett", inks=3)

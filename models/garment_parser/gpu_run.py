"""One-shot parser distillation on a lent GPU machine: pack here, train there, promote here.

A teacher (the served encoder under a wider decoder, trained at a higher resolution) learns
CCP, then the served parser is fine-tuned on the labels plus the teacher's soft targets, so it
keeps its size and CPU latency. The GPU machine has torch, torchvision, timm, numpy, opencv
and Pillow but no CCP, no network, and neither smp nor albumentations (nor pydantic, which
albumentations needs): the pack carries the photos (resized) and those packages as wheels for
that machine's Python.

    python -m models.garment_parser.gpu_run pack         # here: .gpu-pack-parser/ (about 35 MB)
    bin/train-gpu-parser --minutes 8                     # there: teacher + student into $OUT
    python -m models.garment_parser.gpu_run promote OUT/student.safetensors   # here: judged on full-size photos

`serve-check` (also run by bin/train-gpu-parser) proves the served parser on the GPU: the same
probabilities as on the CPU within a tolerance, and milliseconds per photo.
"""
import argparse
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch

from models.paths import REPO_DIR, data_dir

PACK_DIR = REPO_DIR / ".gpu-pack-parser"
# What training imports that the GPU machine lacks, as wheels of the versions installed here.
WHEELS = ("segmentation-models-pytorch", "albumentations", "albucore", "pydantic", "pydantic-core",
          "annotated-types", "typing-inspection", "stringzilla", "simsimd")
GPU_PYTHON = "3.12"
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64")
TEACHER_CONFIG = {"decoder_channels": [256, 128, 64, 32, 16], "serve_long_side": 640}
TEACHER_TRAIN = {"init": "served-encoder", "base_h": 640, "crop": [512, 352], "batch_size": 16, "lr": 1e-3,
                 "garment_weight": 2.0, "garment_lovasz": 1.0}
STUDENT_TRAIN = {"init": "served", "base_h": 512, "crop": [384, 256], "batch_size": 16, "lr": 2e-4,
                 "garment_weight": 2.0, "garment_lovasz": 1.0, "distil_weight": 1.0, "distil_temperature": 2.0,
                 "teacher_scale": 640 / 512}


def pack_build(*, out_dir: Path, height: int = 512, quality: int = 75, wheels: bool = True,
               limit: int | None = None) -> dict:
    """Write out_dir/{ccp/images/*.jpg, ccp/masks/*.png, ccp/groups.json, wheels/*.whl}:
    photos `height` px tall (the teacher's input is enlarged from these), masks resized
    nearest so labels stay labels. `limit` packs the first N photos only (a rehearsal)."""
    from models.garment_parser.data import ccp_ids

    ids = ccp_ids()[:limit] if limit else ccp_ids()
    if out_dir.exists():
        shutil.rmtree(out_dir)
    ccp_pack(out_dir=out_dir, ids=ids, height=height, quality=quality)
    if wheels:
        wheels_download(into=out_dir / "wheels", names=WHEELS)
    size = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())
    summary = {"photos": len(ids), "height": height, "jpeg_quality": quality, "wheels": wheels, "bytes": size}
    (out_dir / "pack.json").write_text(json.dumps(summary, indent=2))
    return summary


def ccp_pack(*, out_dir: Path, ids: list[str], height: int | None = None, quality: int = 75) -> None:
    """CCP photos (resized to `height`, or as they are) and their masks into out_dir/ccp, a
    data folder the loaders read like the real one (AIFASHION_DATA_DIR=out_dir)."""
    source = data_dir() / "ccp"
    if not ids:
        raise FileNotFoundError(f"no CCP photos in {source}")
    for folder in ("images", "masks"):
        (out_dir / "ccp" / folder).mkdir(parents=True)
    for photo_id in ids:
        if height is None:
            shutil.copyfile(source / "images" / f"{photo_id}.jpg", out_dir / "ccp" / "images" / f"{photo_id}.jpg")
            shutil.copyfile(source / "masks" / f"{photo_id}.png", out_dir / "ccp" / "masks" / f"{photo_id}.png")
            continue
        image = cv2.imread(str(source / "images" / f"{photo_id}.jpg"))
        labels = cv2.imread(str(source / "masks" / f"{photo_id}.png"), cv2.IMREAD_UNCHANGED)
        size = (round(image.shape[1] * height / image.shape[0]), height)
        cv2.imwrite(str(out_dir / "ccp" / "images" / f"{photo_id}.jpg"),
                    cv2.resize(image, size, interpolation=cv2.INTER_AREA), [cv2.IMWRITE_JPEG_QUALITY, quality])
        cv2.imwrite(str(out_dir / "ccp" / "masks" / f"{photo_id}.png"),
                    cv2.resize(labels, size, interpolation=cv2.INTER_NEAREST), [cv2.IMWRITE_PNG_COMPRESSION, 9])
    shutil.copyfile(source / "groups.json", out_dir / "ccp" / "groups.json")


def wheels_download(*, into: Path, names: tuple[str, ...]) -> None:
    """Wheels of the versions installed here, for the GPU machine's Python."""
    pins = [f"{name}=={importlib.metadata.version(name)}" for name in names]
    platforms = [arg for platform in PLATFORMS for arg in ("--platform", platform)]
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    "--python-version", GPU_PYTHON, "--implementation", "cp", *platforms, "-d", str(into), *pins],
                   check=True)


def pack_environment(pack: Path, work: Path) -> None:
    """Training reads CCP from the pack and writes weights into `work`, starting from a copy
    of the served parser (the student's start and the teacher's encoder)."""
    from models.garment_parser.model import parser_weights_path

    served = parser_weights_path()
    os.environ["AIFASHION_DATA_DIR"] = str(pack)
    os.environ["AIFASHION_WEIGHTS_DIR"] = str(work / "weights")
    (work / "weights").mkdir(parents=True, exist_ok=True)
    for path in (served, served.with_suffix(".json")):
        shutil.copyfile(path, work / "weights" / path.name)


def _budgeted(*, run_dir: Path, train_config: dict, model_config: dict, seconds: float, device: torch.device,
              log) -> dict:
    """Two epochs to learn how long an epoch takes, then as many as fit in `seconds` (the run
    resumes from its checkpoint, its schedule stretched over the new epoch count). The first
    epoch alone misleads: it also pays for kernel tuning and warm caches (15.6 s against 8.6 s
    for the next ones on an H200, so 10 epochs were planned for 165 s and ended in 93 s). At 50
    steps an epoch (813 photos, batch 16) both lie inside the 100-step learning-rate warm-up."""
    from models.garment_parser.train import parser_train

    started = time.time()
    common = dict(run_dir=run_dir, model_config=model_config, threads=torch.get_num_threads(), export=False,
                  device=device, log=log)
    parser_train(train_config=dict(train_config, epochs=1), **common)
    second = time.time()
    parser_train(train_config=dict(train_config, epochs=2), **common)
    epoch_s = time.time() - second
    left = seconds - (time.time() - started)
    epochs = 2 + max(0, int(left / epoch_s))
    log(f"{run_dir.name}: one epoch {epoch_s:.1f} s, {epochs} epochs in {seconds:.0f} s")
    best = parser_train(train_config=dict(train_config, epochs=epochs), max_seconds=left, **common)
    done = torch.load(run_dir / "last.pt", map_location="cpu", weights_only=False)["epoch"]
    return {"epochs_planned": epochs, "epochs_done": done, "epoch_s": round(epoch_s, 1),
            "seconds": round(time.time() - started, 1), "best": {k: best[k] for k in ("mean_iou", "garment_iou", "epoch")}}


def train_all(*, pack: Path, out: Path, minutes: float, device: torch.device, teacher_share: float = 0.55,
              train_limit: int | None = None, val_limit: int | None = None, log=print) -> dict:
    """Teacher, then student, within `minutes`; writes {teacher,student}.{safetensors,json} and
    gpu_report.json into `out`. Scores here are on the pack's resized validation photos; the
    student is judged again on the full-size ones when promoted."""
    work = out / "work"
    pack_environment(pack, work)
    from models.garment_parser.model import DEFAULT_CONFIG, parser_weights_path
    from models.garment_parser.train import TRAIN_DEFAULTS, parser_export
    from models.weights_io import weights_config

    served_config = weights_config(parser_weights_path())
    data = f"CCP photos resized to {json.loads((pack / 'pack.json').read_text())['height']} px tall (gpu_run pack); " \
           "fixed-seed split: 813 train / 90 validation"
    limits = {"train_limit": train_limit, "val_limit": val_limit, "loader_workers": max(1, (os.cpu_count() or 2) - 1)}
    began, budget = time.time(), minutes * 60
    report = {"device": str(device), "minutes": minutes}

    teacher_config = dict(DEFAULT_CONFIG, **TEACHER_CONFIG)
    teacher_train = dict(TRAIN_DEFAULTS, **TEACHER_TRAIN, **limits)
    report["teacher"] = _budgeted(run_dir=work / "teacher", train_config=teacher_train, model_config=teacher_config,
                                  seconds=budget * teacher_share, device=device, log=log)
    teacher_path = out / "teacher.safetensors"
    parser_export(run_dir=work / "teacher", training_time_s=report["teacher"]["seconds"], train_config=teacher_train,
                  device=device, target=teacher_path, data=data, log=log)

    student_config = {k: served_config[k] for k in DEFAULT_CONFIG}
    student_train = dict(TRAIN_DEFAULTS, **STUDENT_TRAIN, **limits, teacher=str(teacher_path))
    report["student"] = _budgeted(run_dir=work / "student", train_config=student_train, model_config=student_config,
                                  seconds=budget - (time.time() - began), device=device, log=log)
    parser_export(run_dir=work / "student", training_time_s=report["student"]["seconds"],
                  train_config=dict(student_train, teacher="teacher.safetensors (beside this file)"),
                  device=device, target=out / "student.safetensors", data=data, log=log)
    shutil.rmtree(work)  # at most 8 files come back from the machine
    (out / "gpu_report.json").write_text(json.dumps(report, indent=2))
    return report


def parser_promote(*, candidate: Path, log=print) -> dict:
    """Judge a candidate on the full-size validation photos here; it replaces the served parser
    only if it beats it (mean and garment IoU together), its card carrying both scores."""
    from models.garment_parser.evaluate import parser_evaluate
    from models.garment_parser.groups import default_groups
    from models.garment_parser.model import parser_weights_path
    from models.garment_parser.predict import parser_from_file
    from models.garment_parser.train import parser_score
    from models.weights_io import card_read, card_update

    model, config = parser_from_file(candidate, torch.device("cpu"))
    metrics = parser_evaluate(model, default_groups(), config["serve_long_side"])
    served_path = parser_weights_path()
    served = card_read(served_path)["metrics"]
    result = {"candidate": {k: metrics[k] for k in ("mean_iou", "garment_iou")},
              "served": {k: served[k] for k in ("mean_iou", "garment_iou")},
              "promoted": parser_score(metrics) > parser_score(served)}
    log(json.dumps(result))
    if result["promoted"]:
        card = card_read(candidate)
        started_from = card_read(served_path).get("training", {})
        shutil.copyfile(candidate, served_path)
        card_update(served_path, **{k: v for k, v in card.items() if k not in ("metrics", "training")},
                    metrics=metrics, metrics_on_the_gpu_pack=card.get("metrics"),
                    training=dict(card.get("training", {}), started_from=started_from))
    return result


@torch.inference_mode()
def serve_check(*, device: torch.device, photos: int = 5, repeats: int = 3, log=print) -> dict:
    """The served parser on `device` and on the CPU over validation photos: the largest
    probability difference, the share of pixels labelled alike, and ms per photo on each."""
    from models.garment_parser.data import ccp_ids, ccp_load, ccp_split
    from models.garment_parser.groups import default_groups
    from models.garment_parser.model import parser_weights_path
    from models.garment_parser.predict import class_probabilities, parser_from_file, photo_labels

    groups = default_groups()
    images = [ccp_load(photo_id, groups)[0] for photo_id in ccp_split(ccp_ids())[1][:photos]]
    probabilities, ms = {}, {}
    for where in (torch.device("cpu"), device):
        model, config = parser_from_file(parser_weights_path(), where)
        class_probabilities(model, images[0], config["serve_long_side"])  # warm-up
        times = []
        for _ in range(repeats):
            probabilities[where.type] = []  # the last round's are compared
            for image in images:
                started = time.perf_counter()
                result = class_probabilities(model, image, config["serve_long_side"])
                photo_labels(image, result, groups.garment_ids)
                times.append(time.perf_counter() - started)
                probabilities[where.type].append(result)
        ms[where.type] = round(float(np.median(times)) * 1000, 1)
    difference = max(float((a - b).abs().max()) for a, b in zip(probabilities["cpu"], probabilities[device.type]))
    agree = float(np.mean([(a.argmax(0) == b.argmax(0)).float().mean() for a, b in
                           zip(probabilities["cpu"], probabilities[device.type])]))
    result = {"max_probability_difference": round(difference, 5), "labels_equal": round(agree, 5),
              "ms_per_photo": ms, "photos": len(images), "photo_size": f"{images[0].shape[1]}x{images[0].shape[0]}"}
    log(json.dumps(result))
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    pack = commands.add_parser("pack", help="here: CCP and the missing packages, into one folder")
    pack.add_argument("--out", type=Path, default=PACK_DIR)
    pack.add_argument("--height", type=int, default=512)
    pack.add_argument("--limit", type=int, default=None, help="the first N photos only (a rehearsal)")
    pack.add_argument("--no-wheels", action="store_true", help="the packages are importable where it trains")
    train = commands.add_parser("train", help="there: teacher and student within --minutes, into --out")
    train.add_argument("--pack", type=Path, default=PACK_DIR)
    train.add_argument("--out", type=Path, required=True)
    train.add_argument("--minutes", type=float, default=8.0)
    train.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    train.add_argument("--train-limit", type=int, default=None, help="the first N training photos (a rehearsal)")
    train.add_argument("--val-limit", type=int, default=None, help="score on the first N validation photos")
    promote = commands.add_parser("promote", help="here: serve the candidate if it beats the served parser")
    promote.add_argument("candidate", type=Path)
    check = commands.add_parser("serve-check", help="the served parser on --device against the CPU")
    check.add_argument("--pack", type=Path, default=None, help="read the validation photos from a pack")
    check.add_argument("--device", default="cuda")
    args = parser.parse_args(argv)
    try:
        if args.command == "pack":
            print(json.dumps(pack_build(out_dir=args.out, height=args.height, limit=args.limit,
                                        wheels=not args.no_wheels)))
        elif args.command == "train":
            if not (args.pack / "ccp" / "images").is_dir():
                raise FileNotFoundError(f"no pack at {args.pack}: run `python -m models.garment_parser.gpu_run pack` first")
            args.out.mkdir(parents=True, exist_ok=True)
            print(json.dumps(train_all(pack=args.pack, out=args.out, minutes=args.minutes,
                                       device=torch.device(args.device), train_limit=args.train_limit,
                                       val_limit=args.val_limit)))
        elif args.command == "promote":
            if not args.candidate.is_file():
                raise FileNotFoundError(f"no candidate weights at {args.candidate}")
            print(json.dumps(parser_promote(candidate=args.candidate, log=lambda line: print(line, file=sys.stderr))))
        else:
            if args.pack:
                os.environ["AIFASHION_DATA_DIR"] = str(args.pack)
            # Progress to stderr: stdout is the JSON result alone.
            print(json.dumps(serve_check(device=torch.device(args.device), log=lambda line: print(line, file=sys.stderr))))
    except (FileNotFoundError, ValueError) as error:
        parser.error(str(error))


if __name__ == "__main__":
    main()

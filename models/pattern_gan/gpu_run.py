"""One-shot training on a lent GPU machine: pack here, train there, promote here.

The GPU machine has torch, torchvision, numpy, Pillow, opencv and safetensors, but no Django,
no garment parser stack, no training data and no network. So the pack carries what training
reads (the training swatches as JPEG, the ImageNet MobileNetV2 weights in half precision,
the pure-Python packages the machine lacks) in one ignored folder that travels with the
working tree:

    python -m models.pattern_gan.gpu_run pack                  # here: .gpu-pack/ (about 35 MB)
    bin/train-gpu --minutes 8 --jobs 13                        # there: every served generator fine-tuned, one archive in $OUT
    python -m models.pattern_gan.gpu_run unpack OUT/candidates.tar.gz   # here: .checkpoints/candidates
    python manage.py evaluate_patterns --candidates .checkpoints/candidates
    python manage.py evaluate_patterns --candidates .checkpoints/candidates/snapshots/1   # with --snapshots 2+

`serve-check` (also run by bin/train-gpu) proves the served generators on the GPU: the same
patterns as on the CPU within a tolerance, and milliseconds per pattern; bin/train-gpu then
does the same for the served parser (models.garment_parser.gpu_run serve-check).
"""
import argparse
import importlib.util
import io
import json
import math
import multiprocessing
import os
import shutil
import sys
import tarfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from models.paths import REPO_DIR, checkpoints_dir

PACK_DIR = REPO_DIR / ".gpu-pack"
# Pure-Python packages training imports that the GPU machine lacks.
VENDORED = ("tqdm",)
MOBILENET_FILE = "mobilenet_v2.pth"
PARSER_CHECK_PHOTOS = 5
# A file over 16 MiB does not come back from the GPU machine (13 categories with 4 snapshots
# archived to 24 MB, and were lost): a larger archive is written in parts of at most this.
ARCHIVE_PART_BYTES = 15 * 2**20


def pack_build(*, out_dir: Path, swatches_root: Path, quality: int = 85, wheels: bool = True) -> dict:
    """Write out_dir/{swatches/<category>/train/*.jpg, mobilenet_v2.pth, site/<package>}, and
    for the parser's serve-check a few CCP validation photos (ccp/) and smp's wheel (wheels/)."""
    from models.garment_parser.data import ccp_ids, ccp_split
    from models.garment_parser.gpu_run import ccp_pack, wheels_download
    from models.pretrained import imagenet_mobilenet_v2_path

    if out_dir.exists():
        shutil.rmtree(out_dir)
    counts = {}
    for folder in sorted(p for p in swatches_root.iterdir() if (p / "train").is_dir()):
        target = out_dir / "swatches" / folder.name / "train"
        target.mkdir(parents=True)
        files = sorted((folder / "train").glob("*.png"))
        for path in files:
            Image.open(path).convert("RGB").save(target / f"{path.stem}.jpg", quality=quality)
        counts[folder.name] = len(files)
    if not counts:
        raise FileNotFoundError(f"no training swatches in {swatches_root}: run extract_swatches first")
    if (swatches_root / "counts.json").exists():  # the extraction's settings, for the model cards
        shutil.copyfile(swatches_root / "counts.json", out_dir / "swatches" / "counts.json")
    # Half precision halves the file (the repository and the pack travel within 64 MiB);
    # loading copies it into the float32 network.
    state = torch.load(imagenet_mobilenet_v2_path(), map_location="cpu", weights_only=True)
    torch.save({k: v.half() if v.is_floating_point() else v for k, v in state.items()}, out_dir / MOBILENET_FILE)
    for name in VENDORED:
        source = Path(importlib.util.find_spec(name).submodule_search_locations[0])
        shutil.copytree(source, out_dir / "site" / name, ignore=shutil.ignore_patterns("__pycache__"))
    # The first call on a lent GPU also proves the served parser there (full-size photos).
    ccp_pack(out_dir=out_dir, ids=ccp_split(ccp_ids())[1][:PARSER_CHECK_PHOTOS])
    if wheels:
        wheels_download(into=out_dir / "wheels", names=("segmentation-models-pytorch",))
    size = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())
    (out_dir / "pack.json").write_text(json.dumps({"swatches": counts, "bytes": size}, indent=2))
    return {"swatches": counts, "bytes": size}


def pack_environment(pack: Path) -> None:
    """Point training at the pack: swatches and pretrained weights come from it."""
    os.environ["AIFASHION_CHECKPOINT_DIR"] = str(pack)
    os.environ["AIFASHION_MOBILENET_V2"] = str(pack / MOBILENET_FILE)
    sys.path.insert(0, str(pack / "site"))


def category_train(name: str, *, work: Path, init: str, discriminator: str, device: torch.device,
                   budget: float, threads: int, snapshots: int = 1, settings: dict | None = None,
                   log=print) -> dict:
    """Train one category within `budget` seconds into work/weights; -> its report entry. With
    snapshots K > 1 the budget runs in K equal parts, each resuming the last, and the weights
    after part k < K are kept in work/snapshots/k: a long run can pass its best point (the
    diversity of some categories collapses late), and the CPU evaluation picks among them."""
    from models.pattern_gan.generators import generator_config
    from models.pattern_gan.train import pattern_train, recipe, served_recipe
    from models.weights_io import card_path, card_read

    # The time budget ends each run.
    if init == "served":
        model_config, train_config = served_recipe(name, iters=1_000_000)
    else:
        model_config = generator_config(name, "auto")
        train_config = recipe(model_config, discriminator, iters=1_000_000)
    train_config = {**train_config, **(settings or {})}  # last: over the kind's and the card's choices
    started = time.time()
    kept = []
    for part in range(1, snapshots + 1):
        exported = pattern_train(category=name, run_dir=work / "runs" / name, train_config=train_config,
                                 model_config=model_config, threads=threads, device=device,
                                 max_seconds=budget / snapshots, log=log)
        kept.append(card_read(exported)["training"]["iterations_done"])
        if part < snapshots:
            folder = work / "snapshots" / str(part) / "patterns"
            folder.mkdir(parents=True, exist_ok=True)
            for path in (exported, card_path(exported)):
                shutil.copyfile(path, folder / path.name)
    seconds = time.time() - started
    iterations = kept[-1]
    log(f"{name}: {iterations} iterations in {seconds:.0f} s ({iterations / seconds:.2f}/s)")
    entry = {"iterations": iterations, "seconds": round(seconds, 1), "iterations_per_s": round(iterations / seconds, 2),
             "kind": model_config.get("kind", "spatial")}
    if snapshots > 1:
        entry["snapshot_iterations"] = kept[:-1]
    return entry


def train_all(*, pack: Path, out: Path, minutes: float, device: torch.device, init: str = "served",
              discriminator: str = "projected", jobs: int = 1, categories: list[str] | None = None,
              snapshots: int = 1, settings: dict | None = None, part_bytes: int = ARCHIVE_PART_BYTES,
              log=print) -> dict:
    """Train every category in the pack (or those of `categories`), `jobs` at a time, within
    `minutes` in all; archive the candidate weights and cards into out/candidates.tar.gz
    (patterns/, and snapshots/<k>/patterns/ with `snapshots` > 1). init "served": fine-tune each
    served generator with the losses its card records; "random": train afresh, spatial
    generators against `discriminator` (structured ones always the projected one); `settings`
    (training config keys) override every category's recipe, e.g. {"mode_seeking": 1.0}. A category
    that fails is reported (report["failed"]) and the others are still archived: device time
    is scarce and what finished must come back. An archive over `part_bytes` is split into
    candidates.tar.gz.part00, .part01 ... (archive_unpack joins them)."""
    from models.pattern_gan.model import pattern_weights_dir

    names = sorted(p.name for p in (pack / "swatches").iterdir() if p.is_dir())
    missing = set(categories or ()) - set(names)
    if missing:
        raise ValueError(f"not in the pack: {', '.join(sorted(missing))}")
    if snapshots < 1:
        raise ValueError(f"snapshots must be at least 1, not {snapshots}")
    names = [name for name in names if not categories or name in categories]
    served_dir = pattern_weights_dir()  # the repository's, before the weights folder moves to the work folder
    pack_environment(pack)
    from models.pattern_gan.train import TRAIN_DEFAULTS  # imports the pack's packages (tqdm)

    unknown = set(settings or ()) - set(TRAIN_DEFAULTS)
    if unknown:
        raise ValueError(f"not a training setting: {', '.join(sorted(unknown))}")
    work = out / "work"
    os.environ["AIFASHION_WEIGHTS_DIR"] = str(work / "weights")
    if init == "served":  # each fine-tune starts from, and exports over, its own copy
        shutil.copytree(served_dir, work / "weights" / "patterns")
    jobs = max(1, min(jobs, len(names)))
    # One small generator's step leaves a GPU mostly idle, waiting on its process's Python: several
    # processes share it (H200, one at a time: 15-20 iterations a second each).
    budget = minutes * 60 / math.ceil(len(names) / jobs)
    kwargs = {"work": work, "init": init, "discriminator": discriminator, "device": device, "budget": budget,
              "snapshots": snapshots, "settings": settings}
    report = {"device": str(device), "minutes": minutes, "init": init, "jobs": jobs, "snapshots": snapshots,
              "settings": settings or {}, "categories": {}, "failed": {}}

    def record(name: str, result) -> None:
        try:
            report["categories"][name] = result()
        except Exception as error:  # noqa: BLE001 - any failure of one category must not lose the rest
            report["failed"][name] = f"{type(error).__name__}: {error}"
            log(f"{name}: failed: {report['failed'][name]}")

    if jobs == 1:
        for name in names:
            record(name, lambda: category_train(name, threads=torch.get_num_threads(), log=log, **kwargs))
    else:
        # Spawned workers inherit this process's environment and sys.path (the pack's settings).
        threads = max(1, (os.cpu_count() or 1) // jobs)
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {name: pool.submit(category_train, name, threads=threads, **kwargs) for name in names}
            for name, future in futures.items():
                record(name, future.result)
    archive = out / "candidates.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        # Only what trained: the served copies of the others would read as candidates.
        for folder in [work / "weights", *sorted((work / "snapshots").glob("*"))]:
            prefix = "" if folder.name == "weights" else f"snapshots/{folder.name}/"
            for name in report["categories"]:
                for suffix in (".safetensors", ".json"):
                    path = folder / "patterns" / f"{name}{suffix}"
                    if path.exists():
                        tar.add(path, arcname=f"{prefix}patterns/{path.name}")
        report_bytes = json.dumps(report, indent=2).encode()
        info = tarfile.TarInfo("gpu_report.json")
        info.size = len(report_bytes)
        tar.addfile(info, io.BytesIO(report_bytes))
    if archive.stat().st_size > part_bytes:
        archive_split(archive, part_bytes)
    shutil.rmtree(work)  # only a few files come back from the machine: the archive and the report
    (out / "gpu_report.json").write_text(json.dumps(report, indent=2))
    return report


def archive_split(archive: Path, part_bytes: int) -> list[Path]:
    """archive -> archive.part00, .part01 ... of at most part_bytes each (the archive goes)."""
    parts = []
    with archive.open("rb") as source:
        while chunk := source.read(part_bytes):
            parts.append(archive.with_name(f"{archive.name}.part{len(parts):02d}"))
            parts[-1].write_bytes(chunk)
    archive.unlink()
    return parts


def archive_unpack(*, archive: Path, into: Path) -> list[str]:
    """Extract a train_all archive, whole or in parts (archive.part00 ...), into a candidates
    folder (into/patterns/..., and each snapshot's into/snapshots/<k>/patterns/...)."""
    parts = [archive] if archive.exists() else sorted(archive.parent.glob(f"{archive.name}.part[0-9][0-9]"))
    if not parts:
        raise FileNotFoundError(f"no archive {archive}, nor its parts")
    into.mkdir(parents=True, exist_ok=True)
    split = len(parts) > 1  # a whole archive is read where it lies; parts are joined into a copy
    joined = into / archive.name if split else parts[0]
    if split:
        with joined.open("wb") as target:
            for part in parts:
                with part.open("rb") as source:
                    shutil.copyfileobj(source, target)
    with tarfile.open(joined) as tar:
        tar.extractall(into, filter="data")
    if split:
        joined.unlink()
    return sorted(p.stem for p in (into / "patterns").glob("*.safetensors"))


@torch.inference_mode()
def serve_check(*, device: torch.device, size: int = 512, repeats: int = 5, log=print) -> dict:
    """Render each served generator's patterns on `device` and on the CPU: the largest pixel
    difference and milliseconds per pattern on each."""
    from models.pattern_gan.generators import generator_build
    from models.pattern_gan.model import pattern_weights_dir
    from models.pattern_gan.sample import PatternSpec, pattern_render
    from models.weights_io import weights_config, weights_load_into

    result = {}
    for path in sorted(pattern_weights_dir().glob("*.safetensors")):
        renders, ms = {}, {}
        for where in (torch.device("cpu"), device):
            generator = generator_build(weights_config(path))
            weights_load_into(module=generator, path=path)
            generator = generator.eval().to(where)
            spec = PatternSpec(category=path.stem, seed=1, size=size)
            renders[where.type] = pattern_render(spec, generator)
            if where.type == "cuda":
                torch.cuda.synchronize()
            started = time.perf_counter()
            for _ in range(repeats):
                pattern_render(spec, generator)
            if where.type == "cuda":
                torch.cuda.synchronize()
            ms[where.type] = round((time.perf_counter() - started) / repeats * 1000, 1)
        difference = int(np.abs(renders["cpu"].astype(int) - renders[device.type].astype(int)).max())
        result[path.stem] = {"max_pixel_difference": difference, "ms_per_pattern": ms}
        log(f"{path.stem:12s} {size} px: max pixel difference {difference}, ms " + ", ".join(f"{k} {v}" for k, v in ms.items()))
    return result


def setting(text: str) -> tuple[str, object]:
    """KEY=VALUE -> (key, value): the value read as JSON (1.0, true, ["yarn."]), else as text."""
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, not {text!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    pack = commands.add_parser("pack", help="here: what training needs, into one folder")
    pack.add_argument("--out", type=Path, default=PACK_DIR)
    pack.add_argument("--swatches", type=Path, default=checkpoints_dir() / "swatches")
    train = commands.add_parser("train", help="there: every generator within --minutes, one archive into --out")
    train.add_argument("--pack", type=Path, default=PACK_DIR)
    train.add_argument("--out", type=Path, required=True)
    train.add_argument("--minutes", type=float, default=8.0)
    train.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    train.add_argument("--init", choices=["served", "random"], default="served",
                       help="fine-tune the served generators with their cards' losses, or train afresh")
    train.add_argument("--discriminator", choices=["dcgan", "projected"], default="projected",
                       help="for the spatial generators trained afresh")
    train.add_argument("--jobs", type=int, default=1, help="categories trained at once, each in its own process")
    train.add_argument("--categories", nargs="+", help="train only these (default: every category in the pack)")
    train.add_argument("--snapshots", type=int, default=1,
                       help="keep the weights at this many equal steps of each budget (the last is patterns/)")
    train.add_argument("--set", dest="settings", nargs="+", type=setting, default=[], metavar="KEY=VALUE",
                       help="override a training setting for every category, e.g. mode_seeking=1.0 (JSON values)")
    unpack = commands.add_parser("unpack", help="here: the archive into a candidates folder")
    unpack.add_argument("archive", type=Path)
    unpack.add_argument("--into", type=Path, default=checkpoints_dir() / "candidates")
    check = commands.add_parser("serve-check", help="served generators on --device against the CPU")
    check.add_argument("--device", default="cuda")
    args = parser.parse_args(argv)
    try:
        if args.command == "pack":
            print(json.dumps(pack_build(out_dir=args.out, swatches_root=args.swatches)))
        elif args.command == "train":
            if not (args.pack / "swatches").is_dir():
                raise FileNotFoundError(f"no pack at {args.pack}: run `python -m models.pattern_gan.gpu_run pack` first")
            args.out.mkdir(parents=True, exist_ok=True)
            report = train_all(pack=args.pack, out=args.out, minutes=args.minutes, device=torch.device(args.device),
                               init=args.init, discriminator=args.discriminator, jobs=args.jobs,
                               categories=args.categories, snapshots=args.snapshots, settings=dict(args.settings))
            print(json.dumps(report))
            if report["failed"]:
                sys.exit(f"failed (the others are archived): {', '.join(sorted(report['failed']))}")
        elif args.command == "unpack":
            print(json.dumps({"candidates": archive_unpack(archive=args.archive, into=args.into)}))
        else:
            # Progress to stderr: stdout is the JSON result alone.
            print(json.dumps(serve_check(device=torch.device(args.device), log=lambda line: print(line, file=sys.stderr))))
    except (FileNotFoundError, ValueError) as error:
        parser.error(str(error))


if __name__ == "__main__":
    main()

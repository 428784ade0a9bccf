"""Train one pattern generator per category; each resumes from its own last checkpoint.

    python -m models.pattern_gan.train --category all --iters 1200
"""
import argparse
import contextlib
import copy
import json
import os
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from tqdm import tqdm

from models.paths import checkpoints_dir
from models.pattern_gan.diffaug import diff_augment, random_transpose
from models.pattern_gan.generators import generator_build, generator_config
from models.pattern_gan.model import INK_PARTS, PERIODIC_PARTS, RGB_PARTS, Discriminator, pattern_weights_path
from models.pattern_gan.projected import ProjectedDiscriminator
from models.pattern_gan.swatches import swatches_dir, swatches_load
from models.pattern_gan.taxonomy import category_names
from models.pattern_gan.texture_loss import (SHALLOW_TAPS, TAPS, TextureFeatures, colour_loss, colourway_loss, faint_loss,
                                             texture_loss)
from models.runtime import device_name, model_device
from models.weights_io import card_read, card_update, weights_config, weights_load_into, weights_save

TRAIN_DEFAULTS = {
    "iters": 1200,
    "batch_size": 32,
    "crop": 64,
    "latent_cells": 5,  # G renders 80 px; D sees a 64 px window of it (periodic_window)
    "lr": 2e-4,
    "betas": [0.0, 0.99],
    "ema_decay": 0.998,
    "ema_start": 200,
    "real_scale": [0.5, 0.75],  # crop side relative to a 128 px swatch, resized to 64
    "seed": 0,
    # Spatial generators against the DCGAN discriminator: a strong texture loss and a
    # discriminator that judges colourways (fine-tuned 800 CPU iterations this way, floral's
    # fidelity rose from 0.44 to 0.85 and zebra's from 0.11 to 0.44; with texture weight 1 and
    # colour jitter, 1600 iterations left floral's blobs grey).
    "texture_weight": 10.0,  # auxiliary sliced-Wasserstein feature loss (texture_loss.py); 0 = pure GAN
    "texture_taps": list(TAPS),
    "texture_match": "nearest",  # texture_loss.py: "pooled" or "nearest"
    "init": "random",  # or "served": fine-tune the served generator (its discriminator starts afresh)
    "discriminator": "dcgan",  # or "projected" (projected.py)
    "mode_seeking": 1.0,  # MSGAN term: different latents must give different patterns
    "mode_seeking_space": "pixels",  # or "features": mode_seeking_loss tells images apart by ImageNet features
    "colour_weight": 10.0,  # texture_loss.colour_loss: the batch's pixel colours against the real batch's
    "colourway_weight": 0.0,  # texture_loss.colourway_loss: each crop's colourway against the real crops'
    "faint_weight": 0.0,  # texture_loss.faint_loss: crops fainter than real cloth (the site redraws such tiles)
    "colour_augment": False,  # DiffAugment's colour jitter (off: the discriminator judges colourways too)
    "rotate90": False,  # show real and generated crops turned a quarter at random (axis-aligned setts)
    "batch_group": 0,  # projected discriminator: crops per minibatch-spread group (0 = none; projected.py)
    # Parameter name prefixes the generator trains ([] = all); the rest stays as it starts, e.g.
    # ["yarn."]: a served sett learns a yarn while its setts keep what the judge recognises.
    "train_parts": [],
}
# Runs older than these keys trained without them (or with the values they had then).
EARLIER = {"texture_taps": list(SHALLOW_TAPS), "texture_match": "pooled", "mode_seeking": 0.0, "colour_weight": 0.0,
           "colour_augment": True}
# Learning against the Projected-GAN discriminator: it judges colour (no colour jitter), a
# pooled colour loss gives a direct colour signal, the mode-seeking term keeps latents apart.
PROJECTED_TRAIN = {
    "discriminator": "projected", "mode_seeking": 1.0, "colour_weight": 10.0, "colour_augment": False,
    "batch_size": 16, "lr": 3e-4, "ema_start": 100, "texture_weight": 1.0,
}
# Structured (sett) generators: no texture loss, and crops shown at the evaluation's scale
# (80 px from 100..115 px of a 128 px swatch: about 0.75); setts are axis-aligned, photos not.
SETT_TRAIN = {**PROJECTED_TRAIN, "crop": 80, "latent_cells": 5, "real_scale": [0.78, 0.9], "texture_weight": 0.0,
              "rotate90": True}


def periodic_window(images: torch.Tensor, crop: int, generator: torch.Generator) -> torch.Tensor:
    """A crop x crop window of exactly periodic tiles [B, 3, S, S], at an offset drawn over the
    whole tile and wrapping around, so the tile border falls anywhere in it. A window kept
    inside the tile never held the border: a sett shown its 80 px render whole learned a band
    phase that put its strongest edge there (checkered, stop 24). -> [B, 3, crop, crop]"""
    oy, ox = torch.randint(0, images.shape[-1], (2,), generator=generator).tolist()
    return images.roll((-oy, -ox), dims=(2, 3))[:, :, :crop, :crop]


def real_batch(swatches: torch.Tensor, batch: int, crop: int, scale: tuple[float, float],
               generator: torch.Generator) -> torch.Tensor:
    """Random scaled crops with flips. swatches: [N, 3, S, S] in -1..1 -> [B, 3, crop, crop]."""
    index = torch.randint(0, swatches.shape[0], (batch,), generator=generator)
    s = torch.empty(batch).uniform_(*scale, generator=generator)
    tx = (torch.rand(batch, generator=generator) * 2 - 1) * (1 - s)
    ty = (torch.rand(batch, generator=generator) * 2 - 1) * (1 - s)
    flip_x = torch.where(torch.rand(batch, generator=generator) < 0.5, -1.0, 1.0)
    flip_y = torch.where(torch.rand(batch, generator=generator) < 0.5, -1.0, 1.0)
    theta = torch.zeros(batch, 2, 3)
    theta[:, 0, 0], theta[:, 1, 1] = s * flip_x, s * flip_y
    theta[:, 0, 2], theta[:, 1, 2] = tx, ty
    grid = F.affine_grid(theta.to(swatches.device), (batch, 3, crop, crop), align_corners=False)
    return F.grid_sample(swatches[index.to(swatches.device)], grid, mode="bilinear", align_corners=False)


def swatches_description(category: str, count: int) -> dict:
    """What a generator learned from: the sources, how many swatches, and the extraction's
    settings (swatches v2: light flattening, motif size, screening) as its counts.json says."""
    counts_path = swatches_dir() / "counts.json"
    extraction = json.loads(counts_path.read_text()) if counts_path.exists() else {}
    return {
        "source": f"../shared/data/patterns, taxonomy.json sources for {category}; whole-garment photos masked by the "
                  "garment parser; validation swatches held out by source image",
        "training_swatches": count,
        "swatch_settings": extraction.get("settings", "swatches v1 (no light flattening, rescaling or screening)"),
        "category_extraction": extraction.get("categories", {}).get(category, {}),
    }


def _ema_update(ema: torch.nn.Module, model: torch.nn.Module, decay: float) -> None:
    with torch.no_grad():
        for e, p in zip(ema.parameters(), model.parameters()):
            e.lerp_(p, 1 - decay)


def recipe(model_config: dict, discriminator: str = "dcgan", **overrides) -> dict:
    """The training config for a generator: the defaults with `overrides`, then what its kind
    learns best with (structured: SETT_TRAIN; spatial against the projected discriminator:
    PROJECTED_TRAIN)."""
    config = dict(TRAIN_DEFAULTS, **overrides)
    if model_config.get("kind") == "sett":
        config.update(SETT_TRAIN)
        if model_config.get("turns"):
            config["rotate90"] = False  # the discriminator must see which way a turning sett runs
    elif discriminator == "projected":
        config.update(PROJECTED_TRAIN)
    return config


# What a fine-tune keeps from the run that made the served generator: each served generator
# won with its own loss weights (houndstooth's faint loss, leopard's colourway term ...), and a
# generator won by training only some parts (striped's and tartan's yarn) goes on training only
# those (their whole sett networks, trained on, lost what the judge recognises).
SERVED_LOSSES = ("texture_weight", "texture_taps", "texture_match", "mode_seeking", "mode_seeking_space",
                 "colour_weight", "colourway_weight", "faint_weight", "colour_augment", "batch_group",
                 "train_parts")


def served_recipe(category: str, **overrides) -> tuple[dict, dict]:
    """-> (model_config, train_config) to fine-tune the served generator as its card says it was
    last trained: its architecture, discriminator and loss weights."""
    served = pattern_weights_path(category)
    model_config = weights_config(served)
    last = {**EARLIER, **card_read(served).get("training", {})}
    train_config = recipe(model_config, last.get("discriminator") or TRAIN_DEFAULTS["discriminator"], init="served",
                          **overrides)
    train_config.update({key: last[key] for key in SERVED_LOSSES if last.get(key) is not None})
    return model_config, train_config


def trained_parameters(generator: torch.nn.Module, parts: list[str]) -> list[torch.nn.Parameter]:
    """The parameters named by `parts` (prefixes; all where empty); the others are frozen."""
    for name, parameter in generator.named_parameters():
        parameter.requires_grad_(not parts or name.startswith(tuple(parts)))
    trained = [p for p in generator.parameters() if p.requires_grad]
    if not trained:
        raise ValueError(f"no generator parameter is named by {parts}")
    return trained


def mode_seeking_loss(fake: torch.Tensor, z_global: torch.Tensor,
                      fake_feats: list[torch.Tensor] | None = None) -> torch.Tensor:
    """MSGAN (Mao et al., 2019): the first half of the batch against the second, the ratio of
    image distance to latent distance is pushed up, so distinct latents cannot share one pattern.
    With `fake_feats` (TextureFeatures of `fake`), images are told apart by their deepest tap's
    pooled features (cosine distance) instead of their pixels: an ink generator met the pixel
    term by changing its ink colours alone, every sample the same spots (leopard's diversity
    0.735 -> 0.545)."""
    half = fake.shape[0] // 2
    if fake_feats is None:
        images = (fake[:half] - fake[half:2 * half]).abs().mean((1, 2, 3))
    else:
        pooled = fake_feats[-1].mean(1)  # [B, C]
        images = 1 - F.cosine_similarity(pooled[:half], pooled[half:2 * half], dim=1)
    latents = (z_global[:half] - z_global[half:2 * half]).abs().mean(1)
    return (1 / (images / latents + 1e-5)).mean()


def generator_fit_variations(generator: torch.nn.Module, samples: int = 4096, seed: int = 0) -> None:
    """GANSpace-style: PCA of the mapped global latent w; the top 3 directions become sliders."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        z = torch.randn(samples, generator.config["z_global"], generator=g).to(generator.w_mean.device)
        w = generator.map(z)  # [S, w_dim]
        mean = w.mean(0)
        _, singular, v = torch.linalg.svd(w - mean, full_matrices=False)
        generator.w_mean.copy_(mean)
        generator.w_directions.copy_(v[:3])
        generator.w_spread.copy_(singular[:3] / (samples - 1) ** 0.5)


def pattern_train(*, category: str, run_dir: Path, train_config: dict, model_config: dict, threads: int,
                  device: torch.device = torch.device("cpu"), max_seconds: float | None = None, log=print) -> Path:
    """Train (or resume) one category's generator; exports its served weights at the end, or
    once max_seconds have passed in this call (a time-budgeted run, e.g. on a lent GPU)."""
    torch.set_num_threads(threads)
    run_dir.mkdir(parents=True, exist_ok=True)
    last_path = run_dir / "last.pt"
    state = torch.load(last_path, map_location="cpu", weights_only=False) if last_path.exists() else None
    if state:
        # The saved config wins, except the iteration count: a run may be lengthened.
        model_config = state["model_config"]
        train_config = {**TRAIN_DEFAULTS, **EARLIER, **state["train_config"], "iters": train_config["iters"]}
        log(f"{category}: resuming at iteration {state['iteration']}")
    torch.manual_seed(train_config["seed"])
    # Modules move before the optimisers exist; random numbers stay on the CPU (resumable, and
    # the same on any device).
    generator = generator_build(model_config).to(device)
    discriminator = (ProjectedDiscriminator(batch_group=train_config["batch_group"])
                     if train_config["discriminator"] == "projected" else Discriminator()).to(device)
    ema = copy.deepcopy(generator).requires_grad_(False)
    opt_g = torch.optim.Adam(trained_parameters(generator, train_config["train_parts"]), train_config["lr"],
                             betas=tuple(train_config["betas"]))
    opt_d = torch.optim.Adam([p for p in discriminator.parameters() if p.requires_grad], train_config["lr"],
                             betas=tuple(train_config["betas"]))
    start, elapsed = 0, 0.0
    # With the budgets of earlier time-budgeted calls of this run: the card tells the whole
    # budget the weights had, not this call's share.
    budget = (state.get("time_budget_s", 0.0) if state else 0.0) + (max_seconds or 0.0)
    sampler = torch.Generator().manual_seed(train_config["seed"])
    if state:
        generator.load_state_dict(state["generator"])
        discriminator.load_state_dict(state["discriminator"])
        ema.load_state_dict(state["ema"])
        opt_g.load_state_dict(state["opt_g"])
        opt_d.load_state_dict(state["opt_d"])
        sampler.set_state(state["sampler"])
        start, elapsed = state["iteration"], state["elapsed_s"]
    elif train_config["init"] == "served":
        served = pattern_weights_path(category)
        served_config = weights_config(served)
        if served_config.get("kind", "spatial") != model_config.get("kind", "spatial"):
            raise ValueError(f"{category}: the served generator is of another kind; train it from random weights")
        # Turned into an ink printer, or told another number of inks, it keeps every layer but
        # the ink ones (the last convolution and the latent's ink colours), which start afresh.
        served_inks, inks = served_config.get("inks", 0), model_config.get("inks", 0)
        replaced = () if served_inks == inks else INK_PARTS if served_inks else RGB_PARTS
        weights_load_into(module=generator, path=served,
                          new_prefixes=PERIODIC_PARTS + INK_PARTS + ("turn.", "extra.", "yarn."), old_prefixes=replaced)
        ema.load_state_dict(generator.state_dict())
        train_config = dict(train_config, started_from=card_read(served).get("training", {}))
        log(f"{category}: starting from the served generator {served}")

    # Built (and run on every generated batch) only where a term reads it.
    seeks_in_features = train_config["mode_seeking"] > 0 and train_config["mode_seeking_space"] == "features"
    features = (TextureFeatures(tuple(train_config["texture_taps"])).to(device)
                if train_config["texture_weight"] > 0 or seeks_in_features else None)
    swatches = (torch.from_numpy(swatches_load(category, "train")).permute(0, 3, 1, 2).float() / 127.5 - 1).to(device)
    # Read beside the swatches: an extraction that finishes during training must not be the
    # one the card describes.
    data = swatches_description(category, int(swatches.shape[0]))
    batch, crop, cells = train_config["batch_size"], train_config["crop"], train_config["latent_cells"]

    def save(iteration: int) -> None:
        torch.save({"generator": generator.state_dict(), "discriminator": discriminator.state_dict(),
                    "ema": ema.state_dict(), "opt_g": opt_g.state_dict(), "opt_d": opt_d.state_dict(),
                    "sampler": sampler.get_state(), "iteration": iteration, "elapsed_s": elapsed,
                    "time_budget_s": budget,
                    "model_config": model_config, "train_config": train_config,
                    "swatches": int(swatches.shape[0])}, last_path)

    def scores(images: torch.Tensor) -> list[torch.Tensor]:
        """Per discriminator head, [B] each (the DCGAN discriminator has one)."""
        out = discriminator(diff_augment(images, colour=train_config["colour_augment"]))
        return out if isinstance(out, list) else [out]

    bar = tqdm(range(start, train_config["iters"]), desc=category, initial=start, total=train_config["iters"])
    started = called = time.time()
    done = start
    for iteration in bar:
        z_local = torch.randn(batch, model_config["z_local"], cells, cells, generator=sampler).to(device)
        z_global = torch.randn(batch, model_config["z_global"], generator=sampler).to(device)
        fake = periodic_window(generator(z_local, z_global), crop, sampler)  # [B, 3, crop, crop]
        real = real_batch(swatches, batch, crop, tuple(train_config["real_scale"]), sampler)
        if train_config["rotate90"]:
            real, fake = random_transpose(real, sampler), random_transpose(fake, sampler)

        loss_d = (sum(F.relu(1 - s).mean() for s in scores(real))
                  + sum(F.relu(1 + s).mean() for s in scores(fake.detach())))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()

        loss_g = -sum(s.mean() for s in scores(fake))
        if train_config["colour_weight"] > 0:
            loss_g = loss_g + train_config["colour_weight"] * colour_loss(fake, real, sampler)
        if train_config["colourway_weight"] > 0:
            loss_g = loss_g + train_config["colourway_weight"] * colourway_loss(fake, real, sampler)
        if train_config["faint_weight"] > 0:
            loss_g = loss_g + train_config["faint_weight"] * faint_loss(fake, real)
        fake_feats = features(fake) if features is not None else None  # once, for both terms below
        if train_config["mode_seeking"] > 0:
            seeking_feats = fake_feats if seeks_in_features else None
            loss_g = loss_g + train_config["mode_seeking"] * mode_seeking_loss(fake, z_global, seeking_feats)
        if train_config["texture_weight"] > 0:
            with torch.no_grad():
                real_feats = features(real)
            loss_texture = texture_loss(fake_feats, real_feats, sampler, train_config["texture_match"])
            loss_g = loss_g + train_config["texture_weight"] * loss_texture
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        _ema_update(ema, generator, 0.0 if iteration < train_config["ema_start"] else train_config["ema_decay"])
        bar.set_postfix(d=f"{loss_d.item():.3f}", g=f"{loss_g.item():.3f}")
        done = iteration + 1
        out_of_time = max_seconds is not None and time.time() - called >= max_seconds
        if done % 200 == 0 or done == train_config["iters"] or out_of_time:
            elapsed += time.time() - started
            started = time.time()
            save(done)
            log(f"{category}: iteration {done} loss_d {loss_d.item():.3f} loss_g {loss_g.item():.3f}")
        if out_of_time:
            log(f"{category}: time budget of {max_seconds:.0f} s reached at iteration {done}")
            break

    generator_fit_variations(ema)
    if budget:  # a time-budgeted run: its iters is a ceiling, the budget ended it
        train_config = dict(train_config, time_budget_s=round(budget))
    target = pattern_weights_path(category)
    weights_save(module=ema, path=target, config=model_config)
    card_update(
        target,
        model=f"pattern generator: {category}",
        data=data,
        config=model_config,
        training=dict(train_config, iterations_done=done, time_s=round(elapsed), threads=threads,
                      device=device_name(device)),
    )
    log(f"{category}: exported {target}")
    return target


def cli_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--category", default="all", help="a category name, or all")
    parser.add_argument("--iters", type=int, default=TRAIN_DEFAULTS["iters"])
    parser.add_argument("--minutes", type=float, default=None,
                        help="stop each category after this many minutes (and export), even before --iters")
    parser.add_argument("--run-dir", type=Path, default=checkpoints_dir() / "patterns")
    parser.add_argument("--init", choices=["random", "served"], default=TRAIN_DEFAULTS["init"],
                        help="a fresh run starts from random weights or fine-tunes the served generator")
    parser.add_argument("--texture-weight", type=float, default=None,
                        help="weight of the texture-statistics loss beside the adversarial one (0 = pure GAN), "
                             "instead of the recipe's")
    parser.add_argument("--texture-match", choices=["pooled", "nearest"], default=TRAIN_DEFAULTS["texture_match"],
                        help="compare the batch's texture statistics as a whole, or each pattern with its nearest "
                             "real crop")
    parser.add_argument("--generator", choices=["auto", "spatial", "sett"], default="auto",
                        help="sett: structured generator (woven and geometric categories); auto: sett where a "
                             "category has a structured family, else spatial")
    parser.add_argument("--inks", type=int, default=None,
                        help="spatial generators: print with this many flat inks (crisp edges) instead of drawing "
                             "RGB; 0 = RGB (default: as the served generator with --init served, else RGB)")
    parser.add_argument("--discriminator", choices=["dcgan", "projected"], default="dcgan",
                        help="for spatial generators (structured ones always learn against the projected one)")
    parser.add_argument("--mode-seeking", type=float, default=None,
                        help="weight of the mode-seeking (diversity) term, instead of the recipe's")
    parser.add_argument("--mode-seeking-space", choices=["pixels", "features"], default=None,
                        help="tell samples apart by their pixels or by ImageNet features (structure, not only "
                             "colour) in the mode-seeking term (default: the recipe's)")
    parser.add_argument("--colour-weight", type=float, default=None,
                        help="weight of the pooled colour loss (the batch's colours against the real batch's), "
                             "instead of the recipe's")
    parser.add_argument("--colourway-weight", type=float, default=None,
                        help="weight of the colourway loss (each crop's mean colour and spread against the real "
                             "crops': the spread of colourways between patterns), instead of the recipe's")
    parser.add_argument("--faint-weight", type=float, default=None,
                        help="weight of the faint-crop loss (crops under a fifth of the real crops' median colour "
                             "contrast, which the site redraws), instead of the recipe's")
    parser.add_argument("--colour-augment", choices=["on", "off"], default=None,
                        help="off: no colour jitter in the discriminator's augmentation, so it judges colourways "
                             "too (default: the recipe's)")
    parser.add_argument("--batch-group", type=int, default=None,
                        help="the projected discriminator also sees the spread of its features over groups of this "
                             "many crops (minibatch standard deviation: a collapsed generator is told apart)")
    parser.add_argument("--train-parts", nargs="+", default=None, metavar="PREFIX",
                        help="train only generator parameters whose names start so (e.g. yarn.); default: all")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--device", default=str(model_device()), help="cpu, cuda, cuda:1 ... (default: the GPU if any)")


def cli_run(args: argparse.Namespace, log=print) -> list[str]:
    names = category_names() if args.category == "all" else [args.category]
    if not set(names) <= set(category_names()):
        raise ValueError(f"unknown category {args.category!r}; choose from {', '.join(category_names())} or all")
    trained = []
    for name in names:
        # Several trainers may share the list (one per free core): each takes the categories
        # no other live trainer holds.
        with category_claim(args.run_dir / name) as claimed:
            if not claimed:
                log(f"{name}: another trainer holds it; skipped")
                continue
            model_config = generator_config(name, args.generator)
            inks = args.inks
            if inks is None and args.init == "served" and model_config.get("kind") != "sett":
                inks = weights_config(pattern_weights_path(name)).get("inks", 0)  # fine-tune it as it is
            if inks:
                if model_config.get("kind") == "sett":
                    raise ValueError(f"{name}: --inks is for spatial generators (a sett draws its own colours)")
                model_config["inks"] = inks
            train_config = recipe(model_config, args.discriminator, iters=args.iters, init=args.init,
                                  texture_match=args.texture_match)
            # Options given on the command line win over the recipe's values.
            given = {"texture_weight": args.texture_weight, "mode_seeking": args.mode_seeking,
                     "colour_weight": args.colour_weight, "colourway_weight": args.colourway_weight,
                     "faint_weight": args.faint_weight, "train_parts": args.train_parts,
                     "mode_seeking_space": args.mode_seeking_space,
                     "batch_group": args.batch_group,
                     "colour_augment": None if args.colour_augment is None else args.colour_augment == "on"}
            train_config.update({key: value for key, value in given.items() if value is not None})
            pattern_train(category=name, run_dir=args.run_dir / name, train_config=train_config,
                          model_config=model_config, threads=args.threads, device=torch.device(args.device),
                          max_seconds=args.minutes and args.minutes * 60, log=log)
            trained.append(name)
    return trained


@contextlib.contextmanager
def category_claim(run_dir: Path):
    """An exclusive lock file holding the trainer's pid; a stale lock (dead pid) is taken over."""
    run_dir.mkdir(parents=True, exist_ok=True)
    lock = run_dir / "trainer.lock"
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                os.kill(int(lock.read_text() or 0), 0)
                yield False
                return
            except (ProcessLookupError, ValueError):
                lock.unlink(missing_ok=True)
                continue
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        try:
            yield True
        finally:
            lock.unlink(missing_ok=True)
        return
    yield False


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    cli_arguments(parser)
    args = parser.parse_args(argv)
    try:
        print(json.dumps({"trained": cli_run(args)}))
    except ValueError as error:
        parser.error(str(error))


if __name__ == "__main__":
    main()

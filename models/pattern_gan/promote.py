"""Serve a newly trained generator only where it measurably beats the served one.

Both are judged in one run by the same classifier and networks on the same held-out
swatches (evaluate.PatternJudge), so their scores are comparable; every weights file that
is replaced stays in git history forever, so noise-level gains do not count.
"""
import math
import shutil
from pathlib import Path

import torch
from tqdm import tqdm

from models.pattern_gan.evaluate import (SAMPLES, PatternJudge, fidelity_error, target_score, targets_missed,
                                         training_checkpoint)
from models.pattern_gan.model import pattern_weights_path
from models.pattern_gan.sample import generator_from_file, generator_load
from models.pattern_gan.sett import SettGenerator
from models.weights_io import card_path, card_read, card_update

MARGIN = 0.03  # of target_score (at most 3): e.g. fidelity +0.027 or seam 1.36 -> 1.30
KID_MARGIN = 0.1  # of the other's KID: a KID gain must cut it by a tenth beyond its sampling error


def measurably_better(candidate: dict, other: dict) -> bool:
    """Better on the targets (fidelity, diversity, seam: target_score) or on KID, each by its
    margin plus the sampling error of the difference, and worse on neither beyond that error.
    KID is a target of its own (closer to real cloth); target_score leaves it out, so a
    generator that halves KID at an equal score is a win, and a score gain bought with a
    clearly worse KID is not. A gain the luck of the samples could give does not count."""
    score_noise = math.hypot(fidelity_error(candidate), fidelity_error(other))
    score_gain = target_score(candidate) - target_score(other)
    kid_noise = math.hypot(candidate["kid_error"], other["kid_error"])
    kid_gain = other["kid"] - candidate["kid"]
    wins = score_gain > MARGIN + score_noise or kid_gain > KID_MARGIN * other["kid"] + kid_noise
    return wins and score_gain >= -score_noise and kid_gain >= -kid_noise and targets_kept(candidate, other)


def targets_kept(candidate: dict, other: dict) -> bool:
    """Every target (evaluate.TARGETS) the other meets, the candidate meets too: gains elsewhere
    do not pay for a category falling under one (stop 36: paisley's diversity 0.972 -> 0.841
    for fidelity 0.864 -> 1.029 and KID 0.116 -> 0.085 passed the rest of the rule). Nor does it
    draw more flat fields in its 1,000 seeds (stop 41: a dotted candidate with KID 7 % lower drew
    one, where a served generator draws none; the site would redraw it, but it is a failure)."""
    more_flat = candidate.get("flat_samples_of_1000", 0) > other.get("flat_samples_of_1000", 0)
    return set(targets_missed(candidate)) <= set(targets_missed(other)) and not more_flat


def candidates_promote(*, categories: list[str], candidates_dir: Path, samples: int = SAMPLES,
                       log=print) -> dict[str, dict]:
    """candidates_dir holds patterns/<category>.safetensors (+ card), as train_patterns writes
    them with AIFASHION_WEIGHTS_DIR=candidates_dir. Returns per category the two metric sets
    and whether the candidate replaced the served weights."""
    judge = PatternJudge()
    generator_from_file.cache_clear()  # files may have been rewritten since this process read them
    report = {}
    for name in tqdm(categories, desc="categories", leave=False):
        served_path = pattern_weights_path(name)
        candidate_path = candidates_dir / "patterns" / served_path.name
        served = dict(card_read(served_path).get("metrics", {}), **judge.metrics(name, generator_load(name), samples))
        entry = {"served": served, "promoted": False}
        if candidate_path.exists():
            generator = generator_from_file(candidate_path)
            candidate = judge.metrics(name, generator, samples, training_checkpoint(name))
            entry["candidate"] = candidate
            entry["promoted"] = measurably_better(candidate, served)
            if isinstance(generator, SettGenerator):
                # The renderer alone draws setts: training must beat it with untrained weights.
                entry["untrained"] = judge.metrics(name, untrained_like(generator), samples)
                entry["promoted"] &= measurably_better(candidate, entry["untrained"])
        if entry["promoted"]:
            shutil.copyfile(candidate_path, served_path)
            if card_path(candidate_path).exists():
                shutil.copyfile(card_path(candidate_path), card_path(served_path))
            card_update(served_path, metrics=entry["candidate"], untrained_same_renderer=entry.get("untrained"))
            generator_from_file.cache_clear()
        else:
            card_update(served_path, metrics=served)
        report[name] = entry
        log(_line(name, entry))
    return report


def untrained_like(generator: SettGenerator, seed: int = 0) -> SettGenerator:
    torch.manual_seed(seed)
    return SettGenerator(generator.config).eval().requires_grad_(False).to(generator.w_mean.device)


def _line(name: str, entry: dict) -> str:
    figures = lambda m: (f"fidelity {m['fidelity']} diversity {m['diversity']} seam {m['seam']} "  # noqa: E731
                         f"kid {m['kid']} +- {m['kid_error']}")
    line = f"{name:12s} served: {figures(entry['served'])}"
    if "candidate" in entry:
        line += f" | candidate: {figures(entry['candidate'])}"
        if "untrained" in entry:
            line += f" | untrained renderer: {figures(entry['untrained'])}"
        line += f" -> {'promoted' if entry['promoted'] else 'kept served'}"
    return line

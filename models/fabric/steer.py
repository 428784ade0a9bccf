"""Variations of a category's generator steered toward a fabric photo: a search in the
generator's own seeds (each with its colours or recoloured to the photo's palette) for the
patterns whose texture features are nearest the photo's. Every variation is a seed and a
palette, so the site renders it again at any size, in the try-on too."""
import hashlib

import numpy as np
import torch

from models.pattern_gan.palette import dominant_colours
from models.pattern_gan.sample import PatternSpec, pattern_render
from models.texture_features import cosine_distance, imagenet_features

CANDIDATES = 32
SEARCH_PX = 128


def photo_seed(rgb: np.ndarray) -> int:
    """A seed from the photo's bytes: the same photo gets the same variations."""
    return int.from_bytes(hashlib.sha256(np.ascontiguousarray(rgb).tobytes()).digest()[:4], "big") % 2**31


def steered_variations(*, rgb: np.ndarray, photo_features: torch.Tensor, category: str, trunk: torch.nn.Module,
                       count: int = 4, candidates: int = CANDIDATES) -> list[dict]:
    """-> `count` variations nearest the photo first: {"seed", "palette" ([(r, g, b)] or []),
    "distance"}, each from a different seed."""
    palette = tuple(dominant_colours(rgb))
    first = photo_seed(rgb) % (2**31 - candidates)
    options = [(seed, colours) for seed in range(first, first + candidates) for colours in ((), palette)]
    images = np.stack([pattern_render(PatternSpec(category=category, seed=seed, size=SEARCH_PX, palette=colours))
                       for seed, colours in options])
    distances = cosine_distance(photo_features[None], imagenet_features(trunk, images))[0]  # [options]
    chosen, seeds = [], set()
    for index in torch.argsort(distances).tolist():
        seed, colours = options[index]
        if seed not in seeds:
            seeds.add(seed)
            chosen.append({"seed": seed, "palette": list(colours), "distance": round(float(distances[index]), 4)})
        if len(chosen) == count:
            break
    return chosen


def random_distance(*, photo_features: torch.Tensor, category: str, trunk: torch.nn.Module, samples: int = 8,
                    first_seed: int = 50_000) -> float:
    """Mean texture distance from the photo to unsteered samples of the generator: the baseline."""
    images = np.stack([pattern_render(PatternSpec(category=category, seed=first_seed + k, size=SEARCH_PX))
                       for k in range(samples)])
    return float(cosine_distance(photo_features[None], imagenet_features(trunk, images))[0].mean())

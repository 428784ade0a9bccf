"""A fabric photo -> its patterns: the category the classifier sees (among the categories
with a generator), a seamless tile cut from it, variations steered toward it, and how close
(texture distance) each is to the photo against unsteered samples. The fabric job and the
fabric check (evaluate.py) both run this."""
from dataclasses import dataclass

import numpy as np
import torch

from models.fabric.classifier import FabricClassifier, fabric_classify
from models.fabric.steer import random_distance, steered_variations
from models.fabric.tile import fabric_tile
from models.texture_features import cosine_distance, imagenet_features

VARIATIONS = 4


@dataclass
class FabricPatterns:
    category: str
    probabilities: dict[str, float]  # the top 3 served categories
    tile: np.ndarray  # [h, w, 3] uint8, seamless
    tile_measured: dict
    tile_distance: float
    variations: list[dict]  # {"seed", "palette" [(r, g, b)], "distance"}, nearest first
    random_distance: float


def fabric_patterns(*, rgb: np.ndarray, model: FabricClassifier, categories: set[str],
                    progress=lambda percent: None) -> FabricPatterns:
    """Raises ValueError when no category has a generator; progress(percent) after each step."""
    names, probabilities, features = fabric_classify(rgb, model)
    ranked = [i for i in np.argsort(-probabilities) if names[i] in categories]
    if not ranked:
        raise ValueError("no pattern generators are installed")
    category = names[ranked[0]]
    progress(20)
    tile, measured = fabric_tile(rgb)
    progress(40)
    return FabricPatterns(
        category=category,
        probabilities={names[i]: round(float(probabilities[i]), 3) for i in ranked[:3]},
        tile=tile, tile_measured=measured,
        tile_distance=texture_distance(features, tile, model.trunk),
        variations=steered_variations(rgb=rgb, photo_features=features, category=category, trunk=model.trunk,
                                      count=VARIATIONS),
        random_distance=random_distance(photo_features=features, category=category, trunk=model.trunk),
    )


def texture_distance(photo_features: torch.Tensor, image: np.ndarray, trunk: torch.nn.Module) -> float:
    return float(cosine_distance(photo_features[None], imagenet_features(trunk, image[None]))[0, 0])

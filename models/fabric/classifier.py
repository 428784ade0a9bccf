"""Which pattern category a fabric photo shows: the ImageNet MobileNetV2 trunk (the one the
evaluation measures textures with) and a linear head trained on the real swatches."""
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
import torchvision

from models.paths import weights_dir
from models.runtime import model_device
from models.texture_features import imagenet_features
from models.weights_io import weights_config, weights_load_into

FEATURES = 1280
CROP_SHARE = 0.6  # of the photo's short side: a swatch is a crop of 0.45..0.75 of its source


class FabricClassifier(torch.nn.Module):
    def __init__(self, names: list[str]):
        super().__init__()
        self.names = list(names)
        self.trunk = torchvision.models.mobilenet_v2()
        self.trunk.classifier = torch.nn.Identity()
        self.head = torch.nn.Linear(FEATURES, len(names))
        # The head reads standardised features (the training swatches' mean and spread).
        self.register_buffer("feature_mean", torch.zeros(FEATURES))
        self.register_buffer("feature_std", torch.ones(FEATURES))

    def scores(self, features: torch.Tensor) -> torch.Tensor:
        """[N, 1280] -> [N, classes] logits."""
        return self.head((features - self.feature_mean) / self.feature_std)


def classifier_weights_path() -> Path:
    return weights_dir() / "fabric_classifier.safetensors"


@lru_cache(maxsize=None)
def classifier_load(path: Path | None = None) -> FabricClassifier:
    path = path or classifier_weights_path()
    if not path.exists():
        raise FileNotFoundError(f"no fabric classifier at {path}")
    model = FabricClassifier(weights_config(path)["names"])
    weights_load_into(module=model, path=path)
    return model.eval().requires_grad_(False).to(model_device())


def photo_crops(rgb: np.ndarray, side_share: float = CROP_SHARE) -> np.ndarray:
    """Five square crops (centre and four corners' insets) -> [5, S, S, 3]: the photo judged
    the way swatches were cut, and not by one spot."""
    h, w = rgb.shape[:2]
    side = max(8, int(side_share * min(h, w)))
    ys = [(h - side) // 2, 0, 0, h - side, h - side]
    xs = [(w - side) // 2, 0, w - side, 0, w - side]
    return np.stack([rgb[y:y + side, x:x + side] for y, x in zip(ys, xs)])


@torch.inference_mode()
def fabric_classify(rgb: np.ndarray, model: FabricClassifier | None = None) -> tuple[list[str], np.ndarray, torch.Tensor]:
    """-> (category names, their probabilities [C] averaged over the crops, the crops' mean
    texture features [1280])."""
    model = model or classifier_load()
    features = imagenet_features(model.trunk, photo_crops(rgb))  # [5, 1280]
    probabilities = torch.softmax(model.scores(features.to(model.feature_mean.device)), dim=1).mean(0)
    return model.names, probabilities.cpu().numpy(), features.mean(0)

"""CCP photos and masks, the fixed validation split, and the network's input normalisation
(serving imports this module: nothing here is training-only)."""
import random
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from models.garment_parser.groups import Groups
from models.paths import data_dir

VAL_COUNT = 90
SPLIT_SEED = 20141
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def ccp_ids(root: Path | None = None) -> list[str]:
    root = root or data_dir() / "ccp"
    masks = {p.stem for p in (root / "masks").glob("*.png")}
    return sorted(p.stem for p in (root / "images").glob("*.jpg") if p.stem in masks)


def ccp_split(ids: list[str], val_count: int = VAL_COUNT, seed: int = SPLIT_SEED) -> tuple[list[str], list[str]]:
    """Fixed-seed split; the validation photos are never trained on."""
    shuffled = list(ids)
    random.Random(seed).shuffle(shuffled)
    val = sorted(shuffled[:val_count])
    train = sorted(shuffled[val_count:])
    return train, val


def ccp_load(photo_id: str, groups: Groups, root: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """-> ([H, W, 3] uint8 RGB, [H, W] uint8 class ids) at full resolution."""
    root = root or data_dir() / "ccp"
    image = np.asarray(Image.open(root / "images" / f"{photo_id}.jpg").convert("RGB"))
    labels = np.asarray(Image.open(root / "masks" / f"{photo_id}.png"))
    return image, groups.map_labels(labels)


def normalise(image: np.ndarray) -> torch.Tensor:
    """[H, W, 3] uint8 -> [3, H, W] float, ImageNet statistics."""
    x = (image.astype(np.float32) / 255.0 - IMAGENET_MEAN) / IMAGENET_STD
    return torch.from_numpy(x.transpose(2, 0, 1).copy())

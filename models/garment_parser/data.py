"""CCP photos and masks: the fixed validation split and the training augmentations."""
import random
from pathlib import Path

import albumentations as A
import cv2
import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset

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


def train_augmentation(crop_h: int, crop_w: int) -> A.Compose:
    return A.Compose([
        A.HorizontalFlip(p=0.5),
        A.Affine(scale=(0.75, 1.25), rotate=(-10, 10), border_mode=cv2.BORDER_CONSTANT, fill=0, fill_mask=0, p=0.8),
        A.PadIfNeeded(crop_h, crop_w, border_mode=cv2.BORDER_CONSTANT, fill=0, fill_mask=0),
        A.RandomCrop(crop_h, crop_w),
        A.ColorJitter(brightness=0.3, contrast=0.3, saturation=0.3, hue=0.05, p=0.8),
        A.OneOf([A.GaussianBlur(blur_limit=(3, 5)), A.MotionBlur(blur_limit=(3, 5))], p=0.2),
        A.ToGray(p=0.05),
    ])


class CCPTrainSet(Dataset):
    """Photos are decoded once and kept at the training scale (height `base_h`)."""

    def __init__(self, ids: list[str], groups: Groups, base_h: int, crop: tuple[int, int]):
        self.items = []
        for photo_id in ids:
            image, classes = ccp_load(photo_id, groups)
            scale = base_h / image.shape[0]
            size = (round(image.shape[1] * scale), base_h)
            self.items.append((
                cv2.resize(image, size, interpolation=cv2.INTER_AREA),
                cv2.resize(classes, size, interpolation=cv2.INTER_NEAREST),
            ))
        self.augment = train_augmentation(*crop)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        image, classes = self.items[index]
        out = self.augment(image=image, mask=classes)
        return normalise(out["image"]), torch.from_numpy(out["mask"].astype(np.int64))

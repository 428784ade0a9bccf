"""What only training needs: the augmentations (albumentations) and the training set."""
import albumentations as A
import cv2
import numpy as np
import torch
from torch.utils.data import Dataset

from models.garment_parser.data import ccp_load, normalise
from models.garment_parser.groups import Groups


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

"""Reject swatches that do not show their category (swatches v2).

Crops of whole-garment photos sometimes miss the print: a plain collar, a seam, a shadow.
A linear classifier on ImageNet MobileNetV2 features, trained on one half of the swatches
(split by source image, all 13 categories) judges the other half, and the other way round,
so no swatch is judged by a classifier that saw it. A swatch assigned to another category
moves to <category>/rejected/<split>/, but never more than a third of a category: where the
classifier is weak, the data is kept rather than emptied.
"""
import hashlib
from pathlib import Path

import numpy as np
import torch
from PIL import Image

MAX_REJECTED_SHARE = 1 / 3


def _fold(path: Path) -> int:
    """0 or 1, the same for every swatch of one source image (<source>_<image>_<k>.png)."""
    source_image = path.stem.rsplit("_", 1)[0]
    return hashlib.sha256(source_image.encode()).digest()[1] % 2


def swatches_screen(root: Path) -> dict[str, int]:
    """Move the rejected swatches; -> number rejected per category."""
    from models.pattern_gan.evaluate import category_classifier, imagenet_features
    from models.pretrained import imagenet_feature_net

    names = sorted(p.name for p in root.iterdir() if (p / "train").is_dir())
    files = [(index, path) for index, name in enumerate(names)
             for split in ("train", "val") for path in sorted((root / name / split).glob("*.png"))]
    net = imagenet_feature_net()
    images = np.stack([np.asarray(Image.open(path).convert("RGB")) for _, path in files])
    features = imagenet_features(net, images)  # [N, 1280]
    labels = torch.tensor([index for index, _ in files])
    folds = torch.tensor([_fold(path) for _, path in files])
    own_score = torch.empty(len(files))
    wrong = torch.zeros(len(files), dtype=torch.bool)
    for fold in (0, 1):
        train, judged = folds != fold, folds == fold
        scores = category_classifier(features[train], labels[train], len(names))(features[judged])
        probabilities = scores.softmax(1)
        own_score[judged] = probabilities[torch.arange(len(probabilities)), labels[judged]]
        wrong[judged] = scores.argmax(1) != labels[judged]
    rejected = {}
    for index, name in enumerate(names):
        members = torch.where(labels == index)[0]
        candidates = members[wrong[members]]
        # The least convincing first, up to the cap.
        candidates = candidates[own_score[candidates].argsort()][: int(MAX_REJECTED_SHARE * len(members))]
        for k in candidates.tolist():
            path = files[k][1]
            target = root / name / "rejected" / path.parent.name
            target.mkdir(parents=True, exist_ok=True)
            path.rename(target / path.name)
        rejected[name] = len(candidates)
    return rejected

"""Train the fabric classifier's head on the swatches (train split) and measure it on the
held-out validation split; export it beside the served weights with its card."""
import time

import numpy as np
import torch
import torch.nn.functional as F

from models.fabric.classifier import FabricClassifier, classifier_weights_path
from models.pattern_gan.swatches import swatches_load
from models.pattern_gan.taxonomy import category_names
from models.pretrained import imagenet_mobilenet_v2_state
from models.texture_features import imagenet_features
from models.weights_io import card_update, weights_save

STEPS = 400


def classifier_train(*, log=print) -> dict:
    started = time.time()
    torch.manual_seed(0)
    names = category_names()
    model = FabricClassifier(names)
    state = {k: v for k, v in imagenet_mobilenet_v2_state().items() if not k.startswith("classifier.")}
    model.trunk.load_state_dict(state, strict=False)
    model.eval()
    features, labels = {}, {}
    for split in ("train", "val"):
        chunks, tags = [], []
        for index, name in enumerate(names):
            images = swatches_load(name, split)
            if split == "train":
                images = np.concatenate([images, images[:, :, ::-1]])  # mirrored cloth is the same cloth
            chunks.append(imagenet_features(model.trunk, images))
            tags.append(torch.full((len(images),), index))
        features[split], labels[split] = torch.cat(chunks), torch.cat(tags)
        log(f"{split}: {len(labels[split])} swatches")
    x = features["train"]
    model.feature_mean.copy_(x.mean(0))
    model.feature_std.copy_(x.std(0) + 1e-6)
    optimiser = torch.optim.Adam(model.head.parameters(), lr=1e-2, weight_decay=1e-4)
    for _ in range(STEPS):
        loss = F.cross_entropy(model.scores(x), labels["train"])
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    with torch.no_grad():
        predicted = model.scores(features["val"]).argmax(1)
    per_category = {name: round(float((predicted[labels["val"] == i] == i).float().mean()), 3)
                    for i, name in enumerate(names)}
    metrics = {"val_accuracy": round(float((predicted == labels["val"]).float().mean()), 3),
               "val_accuracy_per_category": per_category, "val_swatches": len(labels["val"])}
    path = classifier_weights_path()
    weights_save(module=model, path=path, config={"names": names})
    card_update(path, model="ImageNet MobileNetV2 trunk (torchvision, frozen) + linear head",
                data="swatches v2 (python manage.py extract_swatches), train split, with left-right mirrors",
                training={"steps": STEPS, "optimiser": "Adam lr 1e-2 weight decay 1e-4", "device": "cpu",
                          "seconds": round(time.time() - started, 1)},
                metrics=metrics)
    log(f"validation accuracy {metrics['val_accuracy']}: {per_category}")
    return metrics

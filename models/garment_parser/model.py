"""The parser network: an smp U-Net with a light encoder and a narrow decoder,
whose full-resolution layers dominate CPU time."""
from pathlib import Path

import segmentation_models_pytorch as smp
import torch

from models.paths import weights_dir
from models.pretrained import imagenet_mobilenet_v2_state

DEFAULT_CONFIG = {
    "arch": "Unet",
    "encoder_name": "mobilenet_v2",
    "decoder_channels": [128, 64, 48, 32, 16],
    "classes": 10,
    "serve_long_side": 448,
}


def parser_classes(config: dict) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """(the output channels' class names, the ids of the garment classes), as the served
    weights' config records them: serving reads no training data (groups.json)."""
    names = tuple(config["class_names"])
    return names, tuple(names.index(name) for name in config["garment_classes"])


def parser_build(config: dict) -> torch.nn.Module:
    return smp.create_model(
        config["arch"],
        encoder_name=config["encoder_name"],
        encoder_weights=None,
        decoder_channels=tuple(config["decoder_channels"]),
        classes=config["classes"],
    )


def encoder_load_imagenet(model: torch.nn.Module) -> None:
    state = {k: v for k, v in imagenet_mobilenet_v2_state().items() if not k.startswith("classifier.")}
    model.encoder.load_state_dict(state)  # strict: a mismatch raises


def parser_weights_path() -> Path:
    return weights_dir() / "garment_parser.safetensors"

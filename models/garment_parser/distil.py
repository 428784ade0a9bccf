"""Distillation (Hinton et al., 2015): a larger parser's softened class probabilities teach
the served one beside the labels, on the same augmented crops."""
from pathlib import Path

import torch
import torch.nn.functional as F

from models.garment_parser.model import parser_build
from models.weights_io import weights_config, weights_load_into


def teacher_load(path: Path, device: torch.device) -> torch.nn.Module:
    """A frozen parser from its weights file (its config travels in the file)."""
    teacher = parser_build(weights_config(path))
    weights_load_into(module=teacher, path=path)
    return teacher.eval().requires_grad_(False).to(device)


@torch.no_grad()
def teacher_logits(teacher: torch.nn.Module, x: torch.Tensor, scale: float) -> torch.Tensor:
    """x: [B, 3, H, W] -> [B, C, H, W]. A teacher trained at a higher resolution sees the crop
    enlarged by `scale` (sides kept to multiples of 32, the U-Net's stride) and its logits are
    brought back to the crop's size."""
    if scale == 1.0:
        return teacher(x)
    size = [max(32, round(side * scale / 32) * 32) for side in x.shape[2:]]
    logits = teacher(F.interpolate(x, size=size, mode="bilinear", align_corners=False))
    return F.interpolate(logits, size=x.shape[2:], mode="bilinear", align_corners=False)


def distillation_loss(student: torch.Tensor, teacher: torch.Tensor, temperature: float) -> torch.Tensor:
    """KL(teacher || student) per pixel at `temperature`, times T^2 so its gradients keep their
    size as T changes. student, teacher: [B, C, H, W] logits."""
    log_student = F.log_softmax(student / temperature, dim=1)
    log_teacher = F.log_softmax(teacher / temperature, dim=1)
    kl = (log_teacher.exp() * (log_teacher - log_student)).sum(1)  # [B, H, W]
    return kl.mean() * temperature ** 2

"""Distillation: the soft-target loss, the teacher's enlarged view, and train_parser --teacher."""
import io

import pytest
import torch
from django.core.management import CommandError, call_command

from models.garment_parser.distil import distillation_loss, teacher_logits
from models.garment_parser.model import parser_build, parser_weights_path
from models.weights_io import card_read, weights_config, weights_save


def test_distillation_loss_is_zero_when_the_student_agrees_and_pulls_it_towards_the_teacher():
    torch.manual_seed(0)
    teacher = torch.randn(2, 10, 8, 8)
    assert distillation_loss(teacher.clone(), teacher, temperature=2.0).abs() < 1e-6
    student = torch.randn(2, 10, 8, 8, requires_grad=True)
    loss = distillation_loss(student, teacher, temperature=2.0)
    assert loss > 0
    loss.backward()
    with torch.no_grad():
        closer = student - 0.5 * student.grad / student.grad.abs().max()
    assert distillation_loss(closer, teacher, temperature=2.0) < loss


def test_the_teacher_sees_the_crop_enlarged_and_answers_at_the_crops_size():
    seen = []

    class Spy(torch.nn.Module):
        def forward(self, x):  # [B, 3, H, W] -> [B, 10, H, W]
            seen.append(tuple(x.shape[2:]))
            return x.mean(1, keepdim=True).expand(-1, 10, -1, -1)

    out = teacher_logits(Spy(), torch.randn(2, 3, 384, 256), scale=1.25)
    assert seen == [(480, 320)] and out.shape == (2, 10, 384, 256)
    teacher_logits(Spy(), torch.randn(1, 3, 64, 96), scale=1.0)
    assert seen[-1] == (64, 96)


def test_train_parser_distils_from_a_teacher_file(random_parser_weights, tmp_path):
    teacher_path = tmp_path / "teacher.safetensors"
    config = dict(weights_config(parser_weights_path()), decoder_channels=[64, 32, 24, 16, 8])
    weights_save(module=parser_build(config), path=teacher_path, config=config)
    out = io.StringIO()
    call_command("train_parser", stdout=out, threads=1, epochs=1, train_limit=8, init="served", base_h=320,
                 serve_long_side=320, run_dir=tmp_path / "run", teacher=teacher_path, teacher_scale=1.25,
                 val_limit=4)
    assert "exported" in out.getvalue()
    training = card_read(parser_weights_path())["training"]
    assert training["teacher"] == str(teacher_path) and training["distil_weight"] == 1.0
    assert training["teacher_scale"] == 1.25 and training["device"] == "cpu"
    assert card_read(parser_weights_path())["metrics"]["photos"] == 4


def test_train_parser_refuses_a_missing_teacher(random_parser_weights, tmp_path):
    with pytest.raises(CommandError, match="no teacher weights"):
        call_command("train_parser", stdout=io.StringIO(), epochs=1, teacher=tmp_path / "none.safetensors")


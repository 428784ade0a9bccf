"""Where served models run: the GPU when torch sees one, else the CPU, or AIFASHION_DEVICE."""
import pytest
import torch

from models.runtime import model_device


def test_the_device_follows_the_setting_then_what_torch_sees(monkeypatch):
    monkeypatch.setenv("AIFASHION_DEVICE", "cuda:1")
    assert model_device() == torch.device("cuda", 1)
    monkeypatch.delenv("AIFASHION_DEVICE")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert model_device() == torch.device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert model_device() == torch.device("cpu")


def test_a_misspelt_device_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("AIFASHION_DEVICE", "gpu")
    with pytest.raises(RuntimeError, match="gpu"):
        model_device()

"""Build a pattern generator from the config its weights carry: a spatial generator
(model.Generator) or a structured one (sett.SettGenerator, config kind "sett")."""
import torch

from models.pattern_gan.model import DEFAULT_CONFIG, Generator
from models.pattern_gan.sett import FAMILIES, SettGenerator, sett_config


def generator_build(config: dict) -> torch.nn.Module:
    return SettGenerator(config) if config.get("kind") == "sett" else Generator(config)


def generator_config(category: str, kind: str) -> dict:
    """kind: "spatial", "sett", or "auto" (sett where the category has a structured family)."""
    if kind == "sett" and category not in FAMILIES:
        raise ValueError(f"{category} has no structured family; structured: {', '.join(sorted(FAMILIES))}")
    if kind == "sett" or (kind == "auto" and category in FAMILIES):
        return sett_config(category)
    return dict(DEFAULT_CONFIG)

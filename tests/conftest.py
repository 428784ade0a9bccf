import numpy as np
import pytest
import torch
from PIL import Image

from models.garment_parser.groups import default_groups
from models.pattern_gan.model import DEFAULT_CONFIG, Generator, pattern_weights_path
from models.pattern_gan.taxonomy import category_names
from models.pattern_gan.train import generator_fit_variations
from models.weights_io import weights_save


@pytest.fixture
def random_generator_weights(tmp_path, monkeypatch):
    """Untrained generators for two categories in a private weights folder: fast tests of the
    rendering machinery that do not depend on training results."""
    monkeypatch.setenv("AIFASHION_WEIGHTS_DIR", str(tmp_path / "weights"))
    torch.manual_seed(0)
    for category in ("floral", "tartan"):
        generator = Generator(DEFAULT_CONFIG)
        # Random style layers, so the global latent (and its PCA directions) matter as in a trained net.
        for block in [generator.base, *generator.ups]:
            torch.nn.init.normal_(block.style.weight, std=0.3)
        torch.nn.init.normal_(generator.periodic_in.weight, std=0.5)  # waves that show, as once trained
        with torch.no_grad():
            generator.to_rgb.weight.mul_(8)  # contrast like a trained net's, not a near-flat image
        generator_fit_variations(generator, samples=512)
        weights_save(module=generator, path=pattern_weights_path(category), config=DEFAULT_CONFIG)
    return tmp_path / "weights"


@pytest.fixture
def tryon_models(random_generator_weights):
    """Random generators (fast, deterministic) beside the served, trained garment parser:
    a try-on needs a parser that really finds garments."""
    from models.garment_parser.model import parser_weights_path
    from models.paths import REPO_DIR

    served = REPO_DIR / "models" / "weights" / parser_weights_path().name
    (random_generator_weights / served.name).symlink_to(served)
    return random_generator_weights


@pytest.fixture
def fabric_models(random_generator_weights):
    """Random generators beside the served fabric classifier (it must really see categories)."""
    from models.fabric.classifier import classifier_weights_path
    from models.paths import REPO_DIR

    served = REPO_DIR / "models" / "weights" / classifier_weights_path().name
    (random_generator_weights / served.name).symlink_to(served)
    return random_generator_weights


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def random_parser_weights(tmp_path, monkeypatch):
    """An untrained parser in a private weights folder, for CLI and service contracts."""
    from models.garment_parser.model import DEFAULT_CONFIG as PARSER_CONFIG, parser_build, parser_weights_path

    monkeypatch.setenv("AIFASHION_WEIGHTS_DIR", str(tmp_path / "weights"))
    torch.manual_seed(0)
    groups = default_groups()
    config = dict(PARSER_CONFIG, serve_long_side=128, class_names=list(groups.names),
                  garment_classes=list(groups.garment_names))
    weights_save(module=parser_build(config), path=parser_weights_path(), config=config)
    return tmp_path / "weights"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test writes job files into its own folder; jobs run inline after commit."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.JOBS_IN_BACKGROUND_THREAD = False
    from django.core.cache import cache

    cache.clear()  # rate-limit counters start afresh in every test


@pytest.fixture
def tiny_swatches(tmp_path, monkeypatch):
    """A few synthetic swatches per category: noise at a category-specific stripe frequency."""
    monkeypatch.setenv("AIFASHION_CHECKPOINT_DIR", str(tmp_path / "checkpoints"))
    rng = np.random.default_rng(0)
    for index, name in enumerate(category_names()):
        for split, count in (("train", 4), ("val", 2)):
            folder = tmp_path / "checkpoints" / "swatches" / name / split
            folder.mkdir(parents=True)
            for k in range(count):
                stripes = (np.sin(np.arange(128) * (index + 1) / 4) > 0)[None, :, None] * 160
                pixels = (stripes + rng.integers(0, 90, (128, 128, 3))).astype(np.uint8)
                Image.fromarray(pixels).save(folder / f"{k}.png")
    return tmp_path / "checkpoints" / "swatches"

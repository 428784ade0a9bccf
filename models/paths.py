"""Where data, served weights and training checkpoints live.

Each location can be moved with an environment variable so that CI, workers and
training machines can point elsewhere without code changes.
"""
import os
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return Path(os.environ.get("AIFASHION_DATA_DIR", REPO_DIR.parent / "shared" / "data"))


def weights_dir() -> Path:
    return Path(os.environ.get("AIFASHION_WEIGHTS_DIR", REPO_DIR / "models" / "weights"))


def checkpoints_dir() -> Path:
    return Path(os.environ.get("AIFASHION_CHECKPOINT_DIR", REPO_DIR / ".checkpoints"))

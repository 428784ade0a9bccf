"""The 13 pattern categories offered to users and the source folders feeding each."""
import json
from functools import lru_cache

from models.paths import data_dir


@lru_cache(maxsize=1)
def categories() -> dict[str, list[str]]:
    raw = json.loads((data_dir() / "patterns" / "taxonomy.json").read_text())
    return dict(raw["categories"])


def category_names() -> list[str]:
    return sorted(categories())

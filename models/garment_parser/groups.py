"""The 10 parser classes and the mapping from CCP's 59 labels to them (groups.json)."""
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from models.paths import data_dir


@dataclass(frozen=True)
class Groups:
    names: tuple[str, ...]
    garment_names: tuple[str, ...]
    label_to_group: np.ndarray  # [59] uint8: CCP label id -> class id

    @property
    def garment_ids(self) -> tuple[int, ...]:
        return tuple(self.names.index(name) for name in self.garment_names)

    def map_labels(self, labels: np.ndarray) -> np.ndarray:
        """[H, W] CCP label ids -> [H, W] class ids."""
        return self.label_to_group[labels]


def groups_from_file(path: Path) -> Groups:
    raw = json.loads(Path(path).read_text())
    names = tuple(raw["groups"])
    lut = np.asarray(raw["label_to_group"], dtype=np.uint8)
    if lut.max() >= len(names):
        raise ValueError(f"{path}: label_to_group names class {lut.max()}, only {len(names)} exist")
    return Groups(names=names, garment_names=tuple(raw["garment_groups"]), label_to_group=lut)


@lru_cache(maxsize=1)
def default_groups() -> Groups:
    return groups_from_file(data_dir() / "ccp" / "groups.json")

"""Garment parsing for the site, the tasks and the CLI."""
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from models.garment_parser.groups import default_groups
from models.garment_parser.predict import class_probabilities, matte_refine, parser_load
from models.runtime import torch_threads_configure
from tryon.photos import PhotoError, photo_read


@dataclass
class Segmentation:
    labels: np.ndarray  # [H, W] uint8 class ids (groups.json order)
    probabilities: np.ndarray  # [C, H, W] float32

    def matte(self, image: np.ndarray, class_names: list[str]) -> np.ndarray:
        """Soft alpha [H, W] in 0..1 covering the named classes, edges snapped to the photo."""
        names = default_groups().names
        unknown = [n for n in class_names if n not in names]
        if unknown:
            raise ValueError(f"unknown classes {unknown}; choose from {', '.join(names)}")
        probability = self.probabilities[[names.index(n) for n in class_names]].sum(0)
        return matte_refine(image, probability)


def photo_segment(*, image: np.ndarray) -> Segmentation:
    torch_threads_configure()
    model, config = parser_load()
    probabilities = class_probabilities(model, image, config["serve_long_side"]).numpy()
    return Segmentation(labels=probabilities.argmax(0).astype(np.uint8), probabilities=probabilities)


def segmentations_write(*, photos: list[Path], out_dir: Path) -> tuple[list[Path], list[str]]:
    """Write out_dir/<photo stem>.png (class ids) for each photo. A bad photo is reported
    and skipped; the others are still processed. -> (written paths, error messages)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written, errors = [], []
    for photo in photos:
        try:
            image = photo_read(Path(photo))
        except PhotoError as error:
            errors.append(str(error))
            continue
        target = out_dir / f"{Path(photo).stem}.png"
        Image.fromarray(photo_segment(image=image).labels).save(target)
        written.append(target)
    return written, errors

"""The fabric check on real close-ups: for photos of the validation split (never seen by the
classifier), the category found, the tile's seam, how close (texture distance) the tile and
the variations are to the photo against unsteered samples of the generator, and the time."""
import time

import numpy as np
import torch
from PIL import Image

from models.fabric.classifier import classifier_load
from models.fabric.pipeline import fabric_patterns
from models.paths import data_dir
from models.pattern_gan.sample import PatternSpec, pattern_render, seam_score, served_categories
from models.pattern_gan.swatches import _is_validation
from models.pattern_gan.taxonomy import categories

CLOSEUP_SOURCES = ("fingercamera", "dtd")
PHOTO_PX = 1000  # photos are judged at this long side, the size the target is stated for


def closeup_photos(count: int) -> list[tuple[str, object]]:
    """(category, path) of validation close-ups, taken in turn from each category."""
    by_category = {}
    for category, folders in categories().items():
        paths = [path for folder in folders if folder.split("/")[0] in CLOSEUP_SOURCES
                 for path in sorted((data_dir() / "patterns" / folder).glob("*")) if _is_validation(path)]
        if paths:
            by_category[category] = paths
    chosen = []
    while len(chosen) < count and any(by_category.values()):
        for category in sorted(by_category):
            if by_category[category] and len(chosen) < count:
                chosen.append((category, by_category[category].pop(0)))
    return chosen


def fabric_evaluate(*, count: int = 20, log=print) -> dict:
    torch.set_num_threads(2)
    model = classifier_load()
    rows = []
    for truth, path in closeup_photos(count):
        image = Image.open(path).convert("RGB")
        image.thumbnail((PHOTO_PX, PHOTO_PX))
        rgb = np.asarray(image)
        started = time.perf_counter()
        found = fabric_patterns(rgb=rgb, model=model, categories=set(served_categories()))
        for v in found.variations:  # the job renders each at 512 px
            pattern_render(PatternSpec(category=found.category, seed=v["seed"], size=512, palette=tuple(v["palette"])))
        seconds = time.perf_counter() - started
        row = {"photo": path.name, "truth": truth, "found": found.category, "seconds": round(seconds, 2),
               "tile_seam": round(seam_score(found.tile), 3), "tile_distance": round(found.tile_distance, 4),
               "variation_distance": round(float(np.mean([v["distance"] for v in found.variations])), 4),
               "random_distance": round(found.random_distance, 4)}
        rows.append(row)
        log("  ".join(f"{k} {v}" for k, v in row.items()))
    summary = {
        "photos": len(rows),
        "category_correct": sum(r["truth"] == r["found"] for r in rows),
        "seconds_max": max(r["seconds"] for r in rows), "seconds_median": float(np.median([r["seconds"] for r in rows])),
        "tile_seam_mean": round(float(np.mean([r["tile_seam"] for r in rows])), 3),
        "tile_closer_than_random": sum(r["tile_distance"] < r["random_distance"] for r in rows),
        "variations_closer_than_random": sum(r["variation_distance"] < r["random_distance"] for r in rows),
    }
    log("summary: " + "  ".join(f"{k} {v}" for k, v in summary.items()))
    return {"rows": rows, "summary": summary}

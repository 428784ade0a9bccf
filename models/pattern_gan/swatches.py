"""Extract pattern swatches (square crops that show only fabric) from the source images.

fashion-texture images are whole garments on a background, often worn: the garment parser
finds the garment that covers most of the photo (the printed one: a worn argyle sweater
shares the photo with plain jeans), crops are placed inside it and scored by sharpness, and
crops that reach outside it (background, skin, other garments) or are blurred are dropped.
Without served parser weights a colour heuristic (backdrop and skin tones) stands in.
fingercamera and dtd images are close-ups: crops are taken anywhere.
The split into train/validation is by source image (fixed seed), so no validation swatch
shares a photo with a training swatch.

    python -m models.pattern_gan.swatches
"""
import argparse
import hashlib
import json
import shutil
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from tqdm import tqdm

from models.paths import checkpoints_dir, data_dir
from models.pattern_gan.taxonomy import categories

SWATCH_PX = 128
VAL_SHARE = 0.15


def swatches_dir() -> Path:
    return checkpoints_dir() / "swatches"


def _background_mask(rgb: np.ndarray) -> np.ndarray:
    """Pixels close to the colour of the image border (product-photo backdrops)."""
    border = np.concatenate([rgb[:4].reshape(-1, 3), rgb[-4:].reshape(-1, 3),
                             rgb[:, :4].reshape(-1, 3), rgb[:, -4:].reshape(-1, 3)]).astype(np.float32)
    backdrop = np.median(border, axis=0)
    distance = np.linalg.norm(rgb.astype(np.float32) - backdrop, axis=2)
    return distance < 28


def _skin_mask(rgb: np.ndarray) -> np.ndarray:
    """A classic YCrCb skin-tone rule; cheap and good enough to reject arms and faces."""
    ycrcb = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb)
    cr, cb = ycrcb[..., 1], ycrcb[..., 2]
    return (cr > 138) & (cr < 173) & (cb > 77) & (cb < 127)


def _sharpness(grey: np.ndarray) -> float:
    return float(cv2.Laplacian(grey, cv2.CV_32F).var())


MIN_GARMENT_SHARE = 0.05  # below this the parser missed the garment: use the heuristic


def heuristic_fabric_mask(rgb: np.ndarray) -> np.ndarray:
    """[H, W] bool: not backdrop-coloured and not skin-toned."""
    return ~(_background_mask(rgb) | _skin_mask(rgb))


def parser_fabric_mask(rgb: np.ndarray) -> np.ndarray | None:
    """[H, W] bool: the pixels of the garment class that covers most of the photo,
    or None where the parser finds (almost) no garment."""
    # Imported here: training reads swatches on machines without the parser's packages (smp).
    from models.garment_parser.model import parser_classes
    from models.garment_parser.predict import class_probabilities, parser_load, photo_labels

    model, config = parser_load()
    _, garment_ids = parser_classes(config)
    labels = photo_labels(rgb, class_probabilities(model, rgb, config["serve_long_side"]), garment_ids).numpy()
    shares = [(labels == g).mean() for g in garment_ids]
    if max(shares) < MIN_GARMENT_SHARE:
        return None
    return labels == garment_ids[int(np.argmax(shares))]


CROP_SIDES = (0.3, 0.22)  # of the photo's short side; the smaller one fits narrow garments
MAX_OUTSIDE = 0.1  # share of a crop allowed outside the fabric mask (mask edges are soft)


def garment_crops(rgb: np.ndarray, per_image: int, fabric: np.ndarray) -> list[np.ndarray]:
    """Crops inside `fabric` ([H, W] bool) of a whole-garment photo, sharpest first;
    smaller crops only where the larger ones do not yield `per_image`."""
    h, w = rgb.shape[:2]
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    chosen = []  # (y, x, side)
    for share in CROP_SIDES:
        side = int(share * min(h, w))
        step = max(8, side // 3)
        candidates = []
        for y in range(0, h - side + 1, step):
            for x in range(0, w - side + 1, step):
                if (~fabric[y:y + side, x:x + side]).mean() <= MAX_OUTSIDE:
                    candidates.append((_sharpness(grey[y:y + side, x:x + side]), y, x))
        candidates.sort(reverse=True)
        for score, y, x in candidates:
            if score < 20 or len(chosen) == per_image:  # out of focus or featureless: not a swatch
                break
            # Overlap at most half a crop with the crops already taken.
            if all(abs(y - cy) >= max(side, s) // 2 or abs(x - cx) >= max(side, s) // 2 for cy, cx, s in chosen):
                chosen.append((y, x, side))
    return [rgb[y:y + side, x:x + side] for y, x, side in chosen]


def closeup_crops(rgb: np.ndarray, per_image: int, rng: np.random.Generator) -> list[np.ndarray]:
    h, w = rgb.shape[:2]
    crops = []
    for _ in range(per_image):
        side = int(rng.uniform(0.45, 0.75) * min(h, w))
        y, x = rng.integers(0, h - side + 1), rng.integers(0, w - side + 1)
        crops.append(rgb[y:y + side, x:x + side])
    return crops


def _is_validation(path: Path) -> bool:
    digest = hashlib.sha256(str(path.relative_to(data_dir())).encode()).digest()
    return digest[0] / 256 < VAL_SHARE


def swatches_extract(*, out_dir: Path, per_image: int = 4, seed: int = 0, use_parser: bool = True) -> dict:
    """Write out_dir/<category>/{train,val}/<source>_<image>_<k>.png; returns counts."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    from models.garment_parser.model import parser_weights_path

    use_parser = use_parser and parser_weights_path().exists()
    rng = np.random.default_rng(seed)
    counts = {}
    for category, sources in sorted(categories().items()):
        counts[category] = {"train": 0, "val": 0, "images": 0, "parser_masked": 0}
        for source in sources:
            folder = data_dir() / "patterns" / source
            for path in tqdm(sorted(folder.glob("*.jpg")), desc=f"{category} <- {source}", leave=False):
                rgb = np.asarray(Image.open(path).convert("RGB"))
                if source.startswith("fashion-texture"):
                    fabric = parser_fabric_mask(rgb) if use_parser else None
                    counts[category]["parser_masked"] += fabric is not None
                    fabric = heuristic_fabric_mask(rgb) if fabric is None else fabric
                    crops = garment_crops(rgb, per_image, fabric)
                else:
                    crops = closeup_crops(rgb, per_image, rng)
                split = "val" if _is_validation(path) else "train"
                target = out_dir / category / split
                target.mkdir(parents=True, exist_ok=True)
                for k, crop in enumerate(crops):
                    swatch = cv2.resize(crop, (SWATCH_PX, SWATCH_PX), interpolation=cv2.INTER_AREA)
                    name = f"{source.replace('/', '-')}_{path.stem}_{k}.png"
                    Image.fromarray(swatch).save(target / name)
                counts[category][split] += len(crops)
                counts[category]["images"] += 1
    (out_dir / "counts.json").write_text(json.dumps(counts, indent=2))
    return counts


def swatches_load(category: str, split: str, root: Path | None = None) -> np.ndarray:
    """-> [N, 128, 128, 3] uint8 (PNG as extracted, or JPEG as packed for a GPU machine)."""
    folder = (root or swatches_dir()) / category / split
    files = sorted([*folder.glob("*.png"), *folder.glob("*.jpg")])
    if not files:
        raise FileNotFoundError(f"no {split} swatches for {category!r} in {folder}: run the swatch extraction first")
    return np.stack([np.asarray(Image.open(f).convert("RGB")) for f in files])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=swatches_dir())
    parser.add_argument("--per-image", type=int, default=4)
    parser.add_argument("--heuristic", action="store_true", help="mask garments by colour rules, not the parser")
    args = parser.parse_args(argv)
    counts = swatches_extract(out_dir=args.out, per_image=args.per_image, use_parser=not args.heuristic)
    for line in counts_report(counts):
        print(line)


def counts_report(counts: dict) -> list[str]:
    return [f"{category:12s} images {c['images']:4d}  train {c['train']:4d}  val {c['val']:4d}  "
            f"parser-masked {c['parser_masked']:4d}" for category, c in counts.items()]


if __name__ == "__main__":
    main()

"""Extract pattern swatches (square crops that show only fabric) from the source images.

fashion-texture images are whole garments on a background, often worn: crops are placed
on the garment and scored, and crops that are mostly background, skin or blur are dropped.
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


def garment_crops(rgb: np.ndarray, per_image: int) -> list[np.ndarray]:
    """Crops on the garment of a whole-garment photo, best scored first."""
    h, w = rgb.shape[:2]
    side = int(0.3 * min(h, w))
    bad = _background_mask(rgb) | _skin_mask(rgb)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    candidates = []
    step = max(8, side // 3)
    for y in range(0, h - side + 1, step):
        for x in range(0, w - side + 1, step):
            bad_share = bad[y:y + side, x:x + side].mean()
            if bad_share > 0.08:
                continue
            candidates.append((_sharpness(grey[y:y + side, x:x + side]), y, x))
    candidates.sort(reverse=True)
    chosen = []
    for score, y, x in candidates:
        if score < 20:  # out-of-focus or featureless: not a usable swatch
            break
        # Overlap at most half a crop with the crops already taken.
        if all(abs(y - cy) >= side // 2 or abs(x - cx) >= side // 2 for cy, cx in chosen):
            chosen.append((y, x))
        if len(chosen) == per_image:
            break
    return [rgb[y:y + side, x:x + side] for y, x in chosen]


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


def swatches_extract(*, out_dir: Path, per_image: int = 4, seed: int = 0) -> dict:
    """Write out_dir/<category>/{train,val}/<source>_<image>_<k>.png; returns counts."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    rng = np.random.default_rng(seed)
    counts = {}
    for category, sources in sorted(categories().items()):
        counts[category] = {"train": 0, "val": 0, "images": 0}
        for source in sources:
            folder = data_dir() / "patterns" / source
            for path in tqdm(sorted(folder.glob("*.jpg")), desc=f"{category} <- {source}", leave=False):
                rgb = np.asarray(Image.open(path).convert("RGB"))
                crops = (garment_crops(rgb, per_image) if source.startswith("fashion-texture")
                         else closeup_crops(rgb, per_image, rng))
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
    """-> [N, 128, 128, 3] uint8."""
    folder = (root or swatches_dir()) / category / split
    files = sorted(folder.glob("*.png"))
    if not files:
        raise FileNotFoundError(f"no {split} swatches for {category!r} in {folder}: run the swatch extraction first")
    return np.stack([np.asarray(Image.open(f).convert("RGB")) for f in files])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=swatches_dir())
    parser.add_argument("--per-image", type=int, default=4)
    args = parser.parse_args(argv)
    counts = swatches_extract(out_dir=args.out, per_image=args.per_image)
    for category, c in counts.items():
        print(f"{category:12s} images {c['images']:4d}  train swatches {c['train']:4d}  val swatches {c['val']:4d}")


if __name__ == "__main__":
    main()

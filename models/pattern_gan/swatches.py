"""Extract pattern swatches (square crops that show only fabric) from the source images.

fashion-texture images are whole garments on a background, often worn: the garment parser
finds the garment that covers most of the photo (the printed one: a worn argyle sweater
shares the photo with plain jeans), crops are placed inside it and scored by sharpness, and
crops that reach outside it (background, skin, other garments) or are blurred are dropped.
Without served parser weights a colour heuristic (backdrop and skin tones) stands in.
fingercamera and dtd images are close-ups: crops are taken anywhere.
The split into train/validation is by source image (fixed seed), so no validation swatch
shares a photo with a training swatch.

Swatches v2 (SWATCH_SETTINGS): light is flattened before cropping and each crop's repeat
period measured (swatch_prep.py); categories whose crops repeat are re-cut to one motif
size; a classifier trained on the other half of the swatches rejects crops it cannot place
in their category (swatch_screen.py); sheets/<category>.png shows kept and rejected swatches.

    python -m models.pattern_gan.swatches
"""
import argparse
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from tqdm import tqdm

from models.paths import checkpoints_dir, data_dir
from models.pattern_gan.swatch_prep import LIGHT_SIGMA_SHARE, MIN_PERIOD_STRENGTH, illumination_flatten, repeat_period
from models.pattern_gan.taxonomy import categories

SWATCH_PX = 128
VAL_SHARE = 0.15
TARGET_PERIOD = (16.0, 40.0)  # px of a swatch: at least three repeats of a motif in every swatch
PERIODIC_SHARE = 0.5  # a category is rescaled when at least this share of its crops repeats clearly
SWATCH_SETTINGS = {
    "version": 2,
    "swatch_px": SWATCH_PX,
    "light_flattened": f"large-scale luminance divided out (Gaussian sigma {LIGHT_SIGMA_SHARE:.2f} of the short side, "
                       "inside the garment mask)",
    "period": f"autocorrelation along each axis (strength >= {MIN_PERIOD_STRENGTH}); categories where half the crops "
              f"repeat clearly are re-cut so the period spans the category median, kept within {TARGET_PERIOD} px",
    "screen": "a linear classifier on MobileNetV2 features, cross-fitted over 2 folds by source image, rejects crops "
              "it cannot assign to their category (at most a third of a category)",
}


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


def garment_boxes(rgb: np.ndarray, per_image: int, fabric: np.ndarray) -> list[tuple[int, int, int]]:
    """Square boxes (y, x, side) inside `fabric` ([H, W] bool) of a whole-garment photo,
    sharpest first; smaller boxes only where the larger ones do not yield `per_image`."""
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
    return chosen


def closeup_boxes(rgb: np.ndarray, per_image: int, rng: np.random.Generator) -> list[tuple[int, int, int]]:
    h, w = rgb.shape[:2]
    boxes = []
    for _ in range(per_image):
        side = int(rng.uniform(0.45, 0.75) * min(h, w))
        boxes.append((int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1)), side))
    return boxes


def _is_validation(path: Path) -> bool:
    digest = hashlib.sha256(str(path.relative_to(data_dir())).encode()).digest()
    return digest[0] / 256 < VAL_SHARE


@dataclass
class Cut:
    """A box in a (flattened) source image, before it becomes a swatch."""
    image: int  # index into the category's images
    y: int
    x: int
    side: int
    period: float | None  # source px, where the crop repeats clearly
    name: str
    split: str


def rescaled_box(cut: Cut, target: float, shape: tuple[int, int], fabric: np.ndarray | None) -> tuple[int, int, int]:
    """The box re-cut around its centre so that its period spans `target` of SWATCH_PX
    pixels: as large as that asks, but inside the image and (for garments) the fabric."""
    h, w = shape
    cy, cx = cut.y + cut.side / 2, cut.x + cut.side / 2
    wanted = int(round(SWATCH_PX * cut.period / target))
    for side in np.linspace(wanted, cut.side, 6).round().astype(int):
        side = int(min(side, h, w))
        y = int(np.clip(round(cy - side / 2), 0, h - side))
        x = int(np.clip(round(cx - side / 2), 0, w - side))
        if fabric is None or (~fabric[y:y + side, x:x + side]).mean() <= MAX_OUTSIDE:
            return y, x, side
    return cut.y, cut.x, cut.side


def category_target_period(periods: list[float | None]) -> float | None:
    """The motif size (px of a SWATCH_PX swatch) a category's swatches are rescaled to: the
    median of its crops' periods, within TARGET_PERIOD; None where most crops have no clear
    repeat (organic prints keep their scale)."""
    found = [p for p in periods if p is not None]
    if len(found) < PERIODIC_SHARE * max(len(periods), 1):
        return None
    return float(np.clip(np.median(found), *TARGET_PERIOD))


def swatches_extract(*, out_dir: Path, per_image: int = 4, seed: int = 0, use_parser: bool = True,
                     screen: bool = True) -> dict:
    """Write out_dir/<category>/{train,val}/<source>_<image>_<k>.png (and rejected/ where the
    screen rejects), plus out_dir/sheets/<category>.png; returns counts.

    The extraction is built beside out_dir and replaces it only once complete: a trainer
    started meanwhile reads the earlier extraction (or none), never crops the screen has not
    yet judged (a run that did trained on 125 crops the screen then rejected)."""
    from models.garment_parser.model import parser_weights_path

    building = out_dir.with_name(out_dir.name + ".partial")
    if building.exists():
        shutil.rmtree(building)
    use_parser = use_parser and parser_weights_path().exists()
    rng = np.random.default_rng(seed)
    counts = {}
    for category, sources in sorted(categories().items()):
        counts[category] = {"train": 0, "val": 0, "images": 0, "parser_masked": 0}
        images, fabrics, cuts = [], [], []
        for source in sources:
            folder = data_dir() / "patterns" / source
            for path in tqdm(sorted(folder.glob("*.jpg")), desc=f"{category} <- {source}", leave=False):
                rgb = np.asarray(Image.open(path).convert("RGB"))
                fabric = None
                if source.startswith("fashion-texture"):
                    fabric = parser_fabric_mask(rgb) if use_parser else None
                    counts[category]["parser_masked"] += fabric is not None
                    fabric = heuristic_fabric_mask(rgb) if fabric is None else fabric
                    boxes = garment_boxes(rgb, per_image, fabric)
                else:
                    boxes = closeup_boxes(rgb, per_image, rng)
                flat = illumination_flatten(rgb, fabric)
                grey = cv2.cvtColor(flat, cv2.COLOR_RGB2GRAY)
                split = "val" if _is_validation(path) else "train"
                for k, (y, x, side) in enumerate(boxes):
                    period, _ = repeat_period(grey[y:y + side, x:x + side])
                    cuts.append(Cut(len(images), y, x, side, period, f"{source.replace('/', '-')}_{path.stem}_{k}.png",
                                    split))
                images.append(flat)
                fabrics.append(fabric)
                counts[category]["images"] += 1
        # Periods in swatch pixels, as each crop would show them unscaled.
        target = category_target_period([c.period and c.period * SWATCH_PX / c.side for c in cuts])
        counts[category]["target_period_px"] = target and round(target, 1)
        for cut in cuts:
            flat = images[cut.image]
            y, x, side = (rescaled_box(cut, target, flat.shape[:2], fabrics[cut.image])
                          if target and cut.period else (cut.y, cut.x, cut.side))
            swatch = cv2.resize(flat[y:y + side, x:x + side], (SWATCH_PX, SWATCH_PX), interpolation=cv2.INTER_AREA)
            target_dir = building / category / cut.split
            target_dir.mkdir(parents=True, exist_ok=True)
            Image.fromarray(swatch).save(target_dir / cut.name)
            counts[category][cut.split] += 1
    if screen:
        from models.pattern_gan.swatch_screen import swatches_screen

        for category, rejected in swatches_screen(building).items():
            counts[category]["rejected"] = rejected
            for split in ("train", "val"):
                counts[category][split] = len(list((building / category / split).glob("*.png")))
    (building / "sheets").mkdir()
    for category in counts:
        swatches_sheet(building, category).save(building / "sheets" / f"{category}.png")
    (building / "counts.json").write_text(json.dumps({"settings": SWATCH_SETTINGS, "categories": counts}, indent=2))
    if out_dir.exists():
        shutil.rmtree(out_dir)
    building.rename(out_dir)
    return counts


def swatches_sheet(out_dir: Path, category: str, columns: int = 16, px: int = 64) -> Image.Image:
    """Kept training swatches above, rejected ones below a red rule: the data at a glance."""
    kept = sorted((out_dir / category / "train").glob("*.png"))[: columns * 6]
    rejected = sorted((out_dir / category / "rejected").glob("*/*.png"))[: columns * 3]
    rows = lambda n: -(-n // columns)  # noqa: E731
    sheet = Image.new("RGB", (columns * px, (rows(len(kept)) + rows(len(rejected))) * px + 6), "white")
    for k, path in enumerate(kept):
        sheet.paste(Image.open(path).resize((px, px)), ((k % columns) * px, (k // columns) * px))
    top = rows(len(kept)) * px
    sheet.paste((220, 0, 0), (0, top, columns * px, top + 6))
    for k, path in enumerate(rejected):
        sheet.paste(Image.open(path).resize((px, px)), ((k % columns) * px, top + 6 + (k // columns) * px))
    return sheet


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
    parser.add_argument("--no-screen", action="store_true", help="keep crops the classifier cannot place")
    args = parser.parse_args(argv)
    counts = swatches_extract(out_dir=args.out, per_image=args.per_image, use_parser=not args.heuristic,
                              screen=not args.no_screen)
    for line in counts_report(counts):
        print(line)


def counts_report(counts: dict) -> list[str]:
    return [f"{category:12s} images {c['images']:4d}  train {c['train']:4d}  val {c['val']:4d}  "
            f"rejected {c.get('rejected', 0):4d}  parser-masked {c['parser_masked']:4d}  "
            f"motif period {c['target_period_px'] or 'as photographed'}" for category, c in counts.items()]


if __name__ == "__main__":
    main()

"""Contact sheets: for each category, generated patterns beside real validation swatches, so
a person can judge at a glance what the numbers say.

    python -m models.pattern_gan.contact_sheet --out docs/patterns.png
"""
import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from models.pattern_gan.sample import PatternSpec, generator_from_file, pattern_render
from models.pattern_gan.model import pattern_weights_dir
from models.pattern_gan.swatches import swatches_load

LABEL_PX = 96


def contact_sheet(*, categories: list[str], weights_dir: Path, generated: int = 6, real: int = 3, px: int = 96,
                  first_seed: int = 10_000) -> Image.Image:
    """One row per category: its name, `generated` samples, a gap, `real` validation swatches."""
    gap = px // 4
    width = LABEL_PX + generated * px + gap + real * px
    sheet = Image.new("RGB", (width, px * len(categories)), "white")
    draw = ImageDraw.Draw(sheet)
    for row, name in enumerate(categories):
        y = row * px
        draw.text((4, y + px // 2 - 6), name, fill="black")
        generator = generator_from_file(weights_dir / f"{name}.safetensors")
        for k in range(generated):
            tile = pattern_render(PatternSpec(category=name, seed=first_seed + k, size=px), generator)
            sheet.paste(Image.fromarray(tile), (LABEL_PX + k * px, y))
        swatches = swatches_load(name, "val")
        picks = np.linspace(0, len(swatches) - 1, real).round().astype(int)
        for k, index in enumerate(picks):
            swatch = Image.fromarray(swatches[index]).resize((px, px), Image.Resampling.LANCZOS)
            sheet.paste(swatch, (LABEL_PX + generated * px + gap + k * px, y))
    return sheet


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="a .png path")
    parser.add_argument("--weights", type=Path, default=pattern_weights_dir(), help="a folder of generator weights")
    parser.add_argument("--category", nargs="*", default=None, help="default: every generator in --weights")
    parser.add_argument("--px", type=int, default=96)
    parser.add_argument("--colours", type=int, default=0,
                        help="quantise to this many colours (a small file to commit, e.g. 256); 0 keeps full colour")
    args = parser.parse_args(argv)
    names = args.category or sorted(p.stem for p in args.weights.glob("*.safetensors"))
    if not names:
        parser.error(f"no generator weights in {args.weights}")
    sheet = contact_sheet(categories=names, weights_dir=args.weights, px=args.px)
    if args.colours:
        sheet = sheet.quantize(args.colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out, optimize=True)
    print(f"{args.out}: {len(names)} categories, {args.out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()

"""Pattern generation for the site, the tasks and the CLI."""
import io
from pathlib import Path

import numpy as np
from PIL import Image

from models.pattern_gan.recolour import parse_hex
from models.pattern_gan.sample import PatternSpec, pattern_render
from models.pattern_gan.taxonomy import category_names
from models.runtime import torch_threads_configure


class PatternInputError(ValueError):
    """A request the user can fix: the message says how."""


def pattern_spec_build(*, category: str, seed: int, size: int = 512, scale: float = 1.0,
                       variations: tuple[float, ...] = (), palette: tuple[str, ...] = (),
                       seed_b: int | None = None, mix: float = 0.0) -> PatternSpec:
    if category not in category_names():
        raise PatternInputError(f"unknown category {category!r}; choose from {', '.join(category_names())}")
    try:
        spec = PatternSpec(category=category, seed=int(seed), size=int(size), scale=float(scale),
                           variations=tuple(float(v) for v in variations),
                           palette=tuple(parse_hex(c) for c in palette),
                           seed_b=None if seed_b is None else int(seed_b), mix=float(mix))
        spec.validate()
    except (TypeError, ValueError) as error:
        raise PatternInputError(str(error)) from error
    return spec


def pattern_generate(*, spec: PatternSpec) -> np.ndarray:
    """-> [size, size, 3] uint8, byte-identical for the same spec."""
    torch_threads_configure()
    return pattern_render(spec)


def png_encode(rgb: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    # Fast compression: patterns reach 2048 px and the default level triples encode time.
    Image.fromarray(rgb).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def patterns_write(*, category: str, count: int, seed: int, size: int, out_dir: Path) -> list[Path]:
    """Write out_dir/<category>/<seed>.png for seeds seed..seed+count-1 (category may be "all").
    Every input is checked before anything is written."""
    if count < 1:
        raise PatternInputError(f"count must be at least 1, not {count}")
    if seed < 0:
        raise PatternInputError(f"seed must be 0 or more, not {seed}")
    names = category_names() if category == "all" else [category]
    specs = [pattern_spec_build(category=name, seed=s, size=size)
             for name in names for s in range(seed, seed + count)]
    written = []
    for spec in specs:
        target = Path(out_dir) / spec.category / f"{spec.seed}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png_encode(pattern_generate(spec=spec)))
        written.append(target)
    return written

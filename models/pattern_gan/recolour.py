"""Recolour a pattern to a user palette while keeping its structure.

A gradient map: the pattern's luminance (stretched to its own 2nd..98th percentile)
indexes a colour ramp through the palette colours sorted dark to light. Every edge and
shape of the original survives as a luminance edge; only the colours change.
"""
import numpy as np

MAX_COLOURS = 3


def parse_hex(colour: str) -> tuple[int, int, int]:
    text = colour.strip().lstrip("#")
    if len(text) != 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise ValueError(f"colour {colour!r} is not of the form #rrggbb")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., :3].astype(np.float32) @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)


def palette_ramp(palette: list[tuple[int, int, int]]) -> np.ndarray:
    """-> [K, 3] float stops of the ramp, darkest first."""
    stops = np.array(sorted(palette, key=lambda c: _luminance(np.array(c, dtype=np.float32))), dtype=np.float32)
    if len(stops) == 1:
        # One colour: shade it from a deep to a light tone so the pattern stays readable.
        stops = np.stack([stops[0] * 0.35, stops[0], stops[0] + (255 - stops[0]) * 0.45])
    return stops


def recolour(rgb: np.ndarray, palette: list[tuple[int, int, int]]) -> np.ndarray:
    """rgb: [H, W, 3] uint8 -> [H, W, 3] uint8 in the palette's colours."""
    if not 1 <= len(palette) <= MAX_COLOURS:
        raise ValueError(f"a palette has 1 to {MAX_COLOURS} colours, not {len(palette)}")
    lum = _luminance(rgb)
    lo, hi = np.percentile(lum, [2, 98])
    t = np.clip((lum - lo) / max(hi - lo, 1e-3), 0, 1)
    stops = palette_ramp(palette)
    position = t * (len(stops) - 1)
    index = np.minimum(position.astype(np.int64), len(stops) - 2)
    frac = (position - index)[..., None]
    out = stops[index] * (1 - frac) + stops[index + 1] * frac
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)

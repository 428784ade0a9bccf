"""Render patterns from a trained generator: seeds, any size, scale, seed interpolation,
variation sliders and palettes. Same request, same bytes.
"""
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from models.pattern_gan.generators import generator_build
from models.pattern_gan.model import UPSAMPLE, Generator, pattern_weights_dir, pattern_weights_path
from models.pattern_gan.recolour import recolour
from models.pattern_gan.repeats import LAYOUTS, repeat_fill, repeat_unit
from models.runtime import model_device
from models.weights_io import weights_config, weights_load_into

MIN_SIZE, MAX_SIZE = 64, 2048
# A print (repeat_px set) is the repeat tiled: it may be this large and stays fast.
MAX_PRINT_SIZE, MAX_REPEAT_PX = 8000, 4000
MIN_SCALE, MAX_SCALE = 0.5, 4.0
# A print is a repeat: larger outputs tile one seamless native tile of at most this side,
# which keeps 2048 px fast (a 2048 px native render took 2.5 s on this CPU).
MAX_NATIVE = 512
VARIATION_LIMIT = 3.0
# Flat fields: a tile whose RMS colour contrast is below FLAT_CONTRAST (of 255) shows no pattern.
FLAT_CONTRAST = 3.0
# Nor does a faint one: a tile under a fifth of the contrast its generator typically draws (the
# median of its first FLOOR_SEEDS seeds at FLOOR_PX) reads as plain cloth, e.g. a houndstooth
# in two near-equal oranges (the served houndstooth drew 1 in 6 seeds so). Real cloth is rarely
# that faint: in each category at most 1 in 50 swatches (v2, training and validation, 96 px)
# falls under a fifth of the category's median contrast.
FAINT_SHARE = 0.2
FLOOR_SEEDS, FLOOR_PX = 64, 64
REDRAWS = 8  # a generator that draws 1 in 6 seeds faint leaves a seed faint about once in 10 million
REDRAW_STRIDE = 0x9E3779B97F4A7C15  # far from any seed a visitor types: another stream per redraw


@dataclass(frozen=True)
class PatternSpec:
    category: str
    seed: int
    size: int = 512
    scale: float = 1.0
    variations: tuple[float, ...] = (0.0, 0.0, 0.0)
    palette: tuple[tuple[int, int, int], ...] = field(default_factory=tuple)
    seed_b: int | None = None  # with mix: interpolate towards this seed's pattern
    mix: float = 0.0
    layout: str = "full"  # repeats.LAYOUTS
    # A print: one repeat (tile) spans repeat_px pixels of the output (from its width in cm
    # and the DPI); `scale` is then unused.
    repeat_px: int | None = None

    def validate(self) -> None:
        largest = MAX_SIZE if self.repeat_px is None else MAX_PRINT_SIZE
        if not MIN_SIZE <= self.size <= largest:
            raise ValueError(f"size must be {MIN_SIZE} to {largest} px, not {self.size}")
        if self.repeat_px is not None and not MIN_SIZE <= self.repeat_px <= MAX_REPEAT_PX:
            raise ValueError(f"a repeat must be {MIN_SIZE} to {MAX_REPEAT_PX} px wide, not {self.repeat_px}")
        if self.layout not in LAYOUTS:
            raise ValueError(f"unknown repeat layout {self.layout!r}; choose from {', '.join(LAYOUTS)}")
        if not MIN_SCALE <= self.scale <= MAX_SCALE:
            raise ValueError(f"scale must be {MIN_SCALE} to {MAX_SCALE}, not {self.scale}")
        if not 0 <= self.seed < 2**63 or (self.seed_b is not None and not 0 <= self.seed_b < 2**63):
            raise ValueError("seeds must be whole numbers from 0 to 2**63 - 1")
        if len(self.variations) > 3 or any(abs(v) > VARIATION_LIMIT for v in self.variations):
            raise ValueError(f"up to 3 variations, each from -{VARIATION_LIMIT} to {VARIATION_LIMIT}")
        if not 0 <= self.mix <= 1:
            raise ValueError("mix must be from 0 to 1")
        if len(self.palette) > 3:
            raise ValueError("a palette has at most 3 colours")


def served_categories() -> list[str]:
    """The categories the site offers: one per generator in the served weights folder. Serving
    reads no training data (taxonomy.json lives beside the repo, not in a deployed image)."""
    return sorted(path.stem for path in pattern_weights_dir().glob("*.safetensors"))


def generator_load(category: str) -> Generator:
    """Loaded once per process (per weights file); fp16 on disk, fp32 in memory."""
    path = pattern_weights_path(category)
    if not path.exists():
        raise FileNotFoundError(f"no trained generator for {category!r} at {path}")
    return generator_from_file(path)


@lru_cache(maxsize=None)
def generator_from_file(path: Path) -> Generator:
    generator = generator_build(weights_config(path))
    weights_load_into(module=generator, path=path)
    return generator.eval().requires_grad_(False).to(model_device())


def seed_latents(generator: Generator, seed: int, cells: int, redraw: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """-> (z_local [1, z_local, cells, cells], z_global [1, z_global]). The global part is drawn
    first so a seed keeps its look at every size. redraw k > 0: the seed's k-th other stream."""
    rng = torch.Generator().manual_seed((seed + redraw * REDRAW_STRIDE) % 2**64)
    z_global = torch.randn(1, generator.config["z_global"], generator=rng)
    z_local = torch.randn(1, generator.config["z_local"], cells, cells, generator=rng)
    return z_local, z_global


@torch.inference_mode()
def drawn_contrasts(generator: Generator, seeds: range, px: int) -> torch.Tensor:
    """-> [len(seeds)] colour contrast of the generator's own px x px draws for these seeds, as
    seed_latents draws them (no redraws)."""
    latents = [seed_latents(generator, seed, px // UPSAMPLE) for seed in seeds]
    device = generator.w_mean.device
    z_local = torch.cat([z for z, _ in latents]).to(device)  # [S, z_local, cells, cells]
    z_global = torch.cat([z for _, z in latents]).to(device)  # [S, z_global]
    return colour_contrast(generator(z_local, z_global)).cpu()


def contrast_floor(generator: Generator) -> float:
    """The colour contrast under which the site redraws a tile (flat or faint); worked out once
    per generator, on its first render."""
    floor = getattr(generator, "contrast_floor", None)
    if floor is None:
        typical = float(drawn_contrasts(generator, range(FLOOR_SEEDS), FLOOR_PX).median())
        floor = generator.contrast_floor = max(FLAT_CONTRAST, FAINT_SHARE * typical)
    return floor


def slerp(a: torch.Tensor, b: torch.Tensor, t: float) -> torch.Tensor:
    """Spherical interpolation keeps the Gaussian latent's norm, so midpoints stay in-distribution."""
    if t in (0, 1):
        # The ends are the two latents exactly: sin(w) * b / sin(w) is b only up to rounding (in
        # about 1 of 4 draws), enough to move a pixel, so mix 1 did not always render seed b.
        return b if t else a
    a_flat, b_flat = a.flatten(), b.flatten()
    cos = torch.dot(a_flat, b_flat) / (a_flat.norm() * b_flat.norm())
    omega = torch.arccos(cos.clamp(-1, 1))
    if omega.abs() < 1e-4:
        return a + (b - a) * t
    return (torch.sin((1 - t) * omega) * a + torch.sin(t * omega) * b) / torch.sin(omega)


def native_layout(size: int, scale: float) -> tuple[int, int]:
    """-> (native tile side n, repeats r) with n a multiple of 16 and n * r close to size / scale."""
    period = size / scale
    repeats = max(1, math.ceil(period / MAX_NATIVE))
    native = max(UPSAMPLE, round(period / repeats / UPSAMPLE) * UPSAMPLE)
    return native, repeats


def periodic_resample(tile: torch.Tensor, size: int, period: int) -> torch.Tensor:
    """Sample a periodic tile [1, 3, h, w] onto a size x size grid whose side spans `period`
    native pixels (a multiple of h and of w), wrapping around, so the result is itself seamless."""
    h, w = tile.shape[-2:]
    if period == size and size % h == 0 and size % w == 0:
        return tile.repeat(1, 1, size // h, size // w)  # whole tiles at native scale: exact and fast
    padded = F.pad(tile, (2, 2, 2, 2), mode="circular")
    position = (torch.arange(size, dtype=torch.float64, device=tile.device) + 0.5) * period / size - 0.5  # [size]
    x, y = ((((position % n) + 2.5) / (n + 4) * 2 - 1).float() for n in (w, h))
    grid = torch.stack(torch.meshgrid(x, y, indexing="xy"), dim=-1)[None]  # [1, size, size, 2]
    return F.grid_sample(padded, grid, mode="bicubic", align_corners=False).clamp(-1, 1)


@torch.inference_mode()
def pattern_render(spec: PatternSpec, generator: Generator | None = None) -> np.ndarray:
    """-> [size, size, 3] uint8 RGB, from the served generator of spec.category unless another
    is given. The image is a whole number of the layout's units, so it tiles seamlessly."""
    spec.validate()
    generator = generator or generator_load(spec.category)
    if spec.repeat_px is not None:
        return _print_render(spec, generator)
    native, repeats = native_layout(spec.size, spec.scale)
    if spec.layout != "full" and repeats % 2:
        # Every other layout's unit spans two tiles along an axis: a whole number of units per side.
        repeats += 1
        native = max(UPSAMPLE, round(spec.size / spec.scale / repeats / UPSAMPLE) * UPSAMPLE)
    tile = _tile(spec, generator, native)
    # The tile is exactly periodic, so tiled it shows the same texture wherever it is cut.
    # It is cut at the latent grid: a shift by half a cell (8 px) put the border on the step
    # shared by three upsampling levels and measurably raised the seam score (e.g. zigzag 0.83 -> 1.58).
    if spec.layout != "full":
        unit = repeat_unit(tile[0].permute(1, 2, 0).cpu().numpy(), spec.layout)
        tile = torch.from_numpy(np.ascontiguousarray(unit)).permute(2, 0, 1)[None].to(tile.device)
    return _finish(periodic_resample(tile, spec.size, native * repeats), spec)


def _print_render(spec: PatternSpec, generator: Generator) -> np.ndarray:
    """A print: the tile at repeat_px (rendered at most MAX_NATIVE and resampled), arranged by
    the layout and repeated over size x size by copying, which keeps 8000 px fast."""
    repeat_px = spec.repeat_px + spec.repeat_px % 2  # half-drop and half-brick shift by half a tile
    native = min(MAX_NATIVE, max(UPSAMPLE, round(repeat_px / UPSAMPLE) * UPSAMPLE))
    tile = _finish(periodic_resample(_tile(spec, generator, native), repeat_px, native), spec)
    return repeat_fill(repeat_unit(tile, spec.layout), spec.size, spec.size)


def _tile(spec: PatternSpec, generator: Generator, native: int) -> torch.Tensor:
    """-> the seed's seamless tile [1, 3, native, native] in -1..1. A seed whose latent draws a
    flat or faint field (no pattern to see; a generator's failure, not a design) is redrawn from
    the seed's next stream, up to REDRAWS times; solid is meant to be flat and is left as drawn."""
    for redraw in range(REDRAWS + 1):
        tile = _tile_drawn(spec, generator, native, redraw)
        if spec.category == "solid" or colour_contrast(tile) >= contrast_floor(generator):
            break
    return tile


def colour_contrast(images: torch.Tensor) -> torch.Tensor:
    """[B, 3, H, W] in -1..1 -> [B] RMS colour distance to the image's mean colour, 0..255 units."""
    rgb = (images + 1) * 127.5
    return (rgb - rgb.mean((2, 3), keepdim=True)).square().sum(1).mean((1, 2)).sqrt()


def _tile_drawn(spec: PatternSpec, generator: Generator, native: int, redraw: int) -> torch.Tensor:
    cells = native // UPSAMPLE
    z_local, z_global = seed_latents(generator, spec.seed, cells, redraw)
    if spec.seed_b is not None and spec.mix > 0:
        z_local_b, z_global_b = seed_latents(generator, spec.seed_b, cells, redraw)
        z_local, z_global = slerp(z_local, z_local_b, spec.mix), slerp(z_global, z_global_b, spec.mix)
    # Latents are drawn on the CPU (the same numbers for a seed on any host), then moved.
    device = generator.w_mean.device
    z_local, z_global = z_local.to(device), z_global.to(device)
    w = generator.map(z_global)  # [1, w_dim]
    for k, amount in enumerate(spec.variations):
        w = w + amount * generator.w_spread[k] * generator.w_directions[k]
    return generator.synthesise(z_local, w)


def _finish(image: torch.Tensor, spec: PatternSpec) -> np.ndarray:
    """[1, 3, H, W] in -1..1 -> [H, W, 3] uint8, recoloured to the spec's palette."""
    rgb = ((image[0].permute(1, 2, 0) + 1) * 127.5).round().clamp(0, 255).to(torch.uint8).cpu().numpy()
    if spec.palette:
        rgb = recolour(rgb, list(spec.palette))
    return rgb


# A step profile whose circular autocorrelation reaches this at some lag repeats with that lag.
PERIODIC_PROFILE = 0.5


def seam_score(rgb: np.ndarray) -> float:
    """Wrap-around step over the ordinary step at the same phase of the texture; 1.0 = seamless.

    An exactly periodic weave or sett has steps at thread and band edges only; where its phase
    puts an edge on the tile border, the wrap step is an edge step, and measured against the
    mean step of all columns it read as a seam (up to 1.7 for a tartan that tiles exactly). So
    the wrap step is compared with the steps one, two, ... periods before it, the period being
    the strongest lag of the step profile's autocorrelation; a texture without such a period
    (noise, blobs, a ramp) is compared with the mean step, as before."""
    x = rgb.astype(np.float32)
    # Step profiles across columns and across rows; the last entry of each is the wrap-around.
    columns = np.abs(np.roll(x, -1, axis=1) - x).mean(axis=(0, 2))  # [W]
    rows = np.abs(np.roll(x, -1, axis=0) - x).mean(axis=(1, 2))  # [H]
    wrap = columns[-1] + rows[-1]
    reference = _same_phase_step(columns) + _same_phase_step(rows)
    # A floor of a tenth of the mean step: a wrap inside a flat band (0 against about 0) is no seam.
    floor = 0.1 * (columns[:-1].mean() + rows[:-1].mean()) + 1e-6
    return float((wrap + floor) / (reference + floor))


def _same_phase_step(profile: np.ndarray) -> float:
    """Mean of the interior steps at the wrap's phase of the profile's own period, or of all
    interior steps where the profile has no period. profile: [N] steps, the last the wrap."""
    n = len(profile)
    centred = profile.astype(np.float64) - profile.mean()
    power = float((centred ** 2).sum())
    if power > 0 and n >= 8:
        lags = np.arange(2, n // 2 + 1)
        correlation = np.array([(centred * np.roll(centred, int(lag))).sum() for lag in lags]) / power
        peak = np.r_[True, correlation[1:] >= correlation[:-1]] & np.r_[correlation[:-1] >= correlation[1:], True]
        strong = np.flatnonzero(peak & (correlation >= max(PERIODIC_PROFILE, correlation.max() - 1e-9)))
        if strong.size:
            lag = int(lags[strong[0]])  # the shortest of the highest peaks (a period, not half of one)
            # A tile holds whole repeats, so the true period may be n / k px, a fraction: steps
            # a whole number of such periods back, where that lands within 0.1 px of a column,
            # are at the wrap's own phase (a sharp edge 0.4 px off its phase is a smaller step).
            repeats = round(n / lag)
            period = n / repeats if abs(n / repeats - lag) < 1 else lag
            back = np.arange(1, int((n - 1) // period) + 1) * period
            on_phase = np.abs(back - np.round(back)) <= 0.1
            back = back[on_phase] if on_phase.any() else back
            return float(profile[n - 1 - np.round(back).astype(int)].mean())
    return float(profile[:-1].mean())

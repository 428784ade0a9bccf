"""Pattern generation for the site, the tasks and the CLI."""
import secrets
from pathlib import Path

import numpy as np

from jobs.errors import UserInputError
from jobs.models import Job
from jobs.services import job_create, job_fail, job_file_save, job_finish, job_progress, job_start
from models.pattern_gan.palette import colourways, dominant_colours, hex_colour
from models.pattern_gan.recolour import parse_hex
from models.pattern_gan.sample import MAX_PRINT_SIZE, PatternSpec, pattern_render, served_categories
from models.runtime import torch_threads_configure
from patterns.png import png_encode
from patterns.schemas import SEED_MAX, PatternFields, PatternRequest, served_category


class PatternInputError(UserInputError):
    """A pattern request the user can fix: the message says how."""


def pattern_spec_build(*, category: str, seed: int, size: int = 512, scale: float = 1.0,
                       variations: tuple[float, ...] = (), palette: tuple[str, ...] = (),
                       seed_b: int | None = None, mix: float = 0.0, layout: str = "full",
                       repeat_px: int | None = None) -> PatternSpec:
    try:
        served_category(category)
        spec = PatternSpec(category=category, seed=int(seed), size=int(size), scale=float(scale),
                           variations=tuple(float(v) for v in variations),
                           palette=tuple(parse_hex(c) for c in palette),
                           seed_b=None if seed_b is None else int(seed_b), mix=float(mix), layout=layout,
                           repeat_px=None if repeat_px is None else int(repeat_px))
        spec.validate()
    except (TypeError, ValueError) as error:
        raise PatternInputError(str(error)) from error
    return spec


def pattern_generate(*, spec: PatternSpec) -> np.ndarray:
    """-> [size, size, 3] uint8, byte-identical for the same spec."""
    torch_threads_configure()
    return pattern_render(spec)


def patterns_write(*, category: str, count: int, seed: int, size: int, out_dir: Path) -> list[Path]:
    """Write out_dir/<category>/<seed>.png for seeds seed..seed+count-1 (category may be "all").
    Every input is checked before anything is written."""
    if count < 1:
        raise PatternInputError(f"count must be at least 1, not {count}")
    if seed < 0:
        raise PatternInputError(f"seed must be 0 or more, not {seed}")
    names = served_categories() if category == "all" else [category]
    specs = [pattern_spec_build(category=name, seed=s, size=size)
             for name in names for s in range(seed, seed + count)]
    written = []
    for spec in specs:
        target = Path(out_dir) / spec.category / f"{spec.seed}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png_encode(pattern_generate(spec=spec)))
        written.append(target)
    return written


def pattern_spec_from_fields(*, fields: PatternFields, size: int, scale: float,
                             repeat_px: int | None = None) -> PatternSpec:
    """Validated pattern fields (of a pattern or a try-on request) -> the spec to render."""
    return pattern_spec_build(
        category=fields.category, seed=secrets.randbelow(SEED_MAX + 1) if fields.seed is None else fields.seed,
        size=size, scale=scale, variations=tuple(fields.variations), palette=tuple(fields.palette),
        seed_b=fields.seed_b, mix=fields.mix, layout=fields.repeat, repeat_px=repeat_px)


def pattern_job_create(*, owner: str, request: PatternRequest) -> Job:
    if request.repeat_px is None:
        spec = pattern_spec_from_fields(fields=request, size=request.size or 512, scale=request.scale)
        dpi = None
    else:  # a print: two repeats a side unless a size is asked for
        size = request.size or min(2 * request.repeat_px, MAX_PRINT_SIZE)
        spec = pattern_spec_from_fields(fields=request, size=size, scale=1.0, repeat_px=request.repeat_px)
        dpi = request.print_dpi
    return job_create(owner=owner, kind=Job.Kind.PATTERN, params={**spec_to_params(spec), "dpi": dpi})


def spec_to_params(spec: PatternSpec) -> dict:
    return {"category": spec.category, "seed": spec.seed, "size": spec.size, "scale": spec.scale,
            "variations": list(spec.variations), "palette": ["#%02x%02x%02x" % c for c in spec.palette],
            "seed_b": spec.seed_b, "mix": spec.mix, "layout": spec.layout, "repeat_px": spec.repeat_px}


def pattern_job_execute(*, job_id) -> None:
    """Idempotent: a job already finished is left as it is."""
    job = job_start(job_id=job_id)
    if job is None:
        return
    params = dict(job.params)
    dpi = params.pop("dpi", None)
    try:
        rgb = pattern_generate(spec=pattern_spec_build(**params))
    except (PatternInputError, FileNotFoundError) as error:
        job_fail(job_id=job.id, message=str(error))
        return
    job_progress(job=job, percent=80)
    # Its own colours and colourways come back with it: the page offers them to choose from.
    colours = dominant_colours(rgb)
    found = {"colours": [hex_colour(c) for c in colours],
             "colourways": [[hex_colour(c) for c in way] for way in colourways(colours)]}
    job_finish(job=job, results=[job_file_save(job=job, name="pattern.png", data=png_encode(rgb, dpi=dpi))],
               params={**job.params, **found})


def palette_from_photo(*, rgb: np.ndarray, colours: int = 3, count: int = 4) -> dict:
    """-> {"palette": [hex, ...], "colourways": [[hex, ...], ...]} of a photo (e.g. a fabric)."""
    palette = dominant_colours(rgb, k=colours)
    return {"palette": [hex_colour(c) for c in palette],
            "colourways": [[hex_colour(c) for c in way] for way in colourways(palette, count)]}

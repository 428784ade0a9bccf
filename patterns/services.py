"""Pattern generation for the site, the tasks and the CLI."""
import io
import secrets
from pathlib import Path

import numpy as np
from PIL import Image

from jobs.errors import UserInputError
from jobs.models import Job
from jobs.services import job_create, job_fail, job_file_save, job_finish, job_progress, job_start
from models.pattern_gan.recolour import parse_hex
from models.pattern_gan.sample import PatternSpec, pattern_render, served_categories
from models.runtime import torch_threads_configure
from patterns.schemas import SEED_MAX, PatternFields, PatternRequest


class PatternInputError(UserInputError):
    """A pattern request the user can fix: the message says how."""


def pattern_spec_build(*, category: str, seed: int, size: int = 512, scale: float = 1.0,
                       variations: tuple[float, ...] = (), palette: tuple[str, ...] = (),
                       seed_b: int | None = None, mix: float = 0.0) -> PatternSpec:
    served = served_categories()
    if category not in served:
        choice = f"choose from {', '.join(served)}" if served else "no pattern generators are installed"
        raise PatternInputError(f"unknown category {category!r}; {choice}")
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


def pattern_spec_from_fields(*, fields: PatternFields, size: int, scale: float) -> PatternSpec:
    """Validated pattern fields (of a pattern or a try-on request) -> the spec to render."""
    return pattern_spec_build(
        category=fields.category, seed=secrets.randbelow(SEED_MAX + 1) if fields.seed is None else fields.seed,
        size=size, scale=scale, variations=tuple(fields.variations), palette=tuple(fields.palette),
        seed_b=fields.seed_b, mix=fields.mix)


def pattern_job_create(*, owner: str, request: PatternRequest) -> Job:
    spec = pattern_spec_from_fields(fields=request, size=request.size, scale=request.scale)
    return job_create(owner=owner, kind=Job.Kind.PATTERN, params=spec_to_params(spec))


def spec_to_params(spec: PatternSpec) -> dict:
    return {"category": spec.category, "seed": spec.seed, "size": spec.size, "scale": spec.scale,
            "variations": list(spec.variations), "palette": ["#%02x%02x%02x" % c for c in spec.palette],
            "seed_b": spec.seed_b, "mix": spec.mix}


def pattern_job_execute(*, job_id) -> None:
    """Idempotent: a job already finished is left as it is."""
    job = job_start(job_id=job_id)
    if job is None:
        return
    try:
        spec = pattern_spec_build(**job.params)
        rgb = pattern_generate(spec=spec)
    except (PatternInputError, FileNotFoundError) as error:
        job_fail(job_id=job.id, message=str(error))
        return
    job_progress(job=job, percent=80)
    job_finish(job=job, results=[job_file_save(job=job, name="pattern.png", data=png_encode(rgb))])

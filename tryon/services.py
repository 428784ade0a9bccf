"""Garment parsing for the site, the tasks and the CLI."""
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from django.db import transaction

from models.garment_parser.model import parser_classes
from models.garment_parser.predict import class_probabilities, matte_refine, parser_load, photo_labels
from models.runtime import torch_threads_configure
from patterns.jobs import job_enqueue, job_fail, job_file_read, job_file_save, job_finish, job_progress, job_start
from patterns.models import Job
from patterns.services import pattern_generate, pattern_params_parse, pattern_spec_build, png_encode, spec_to_params
from tryon.compositing import garment_composite, garments_outlined
from tryon.photos import PhotoError, photo_read
from tryon.stock import stock_names, stock_path
from tryon.uploads import upload_reencode


@dataclass
class Segmentation:
    labels: np.ndarray  # [H, W] uint8 class ids, indices into names
    probabilities: np.ndarray  # [C, H, W] float32
    names: tuple[str, ...]  # the parser's classes

    def matte(self, image: np.ndarray, class_names: list[str]) -> np.ndarray:
        """Soft alpha [H, W] in 0..1 covering the named classes, edges snapped to the photo."""
        unknown = [n for n in class_names if n not in self.names]
        if unknown:
            raise ValueError(f"unknown classes {unknown}; choose from {', '.join(self.names)}")
        probability = self.probabilities[[self.names.index(n) for n in class_names]].sum(0)
        return matte_refine(image, probability)


def photo_segment(*, image: np.ndarray) -> Segmentation:
    torch_threads_configure()
    model, config = parser_load()
    probabilities = class_probabilities(model, image, config["serve_long_side"])
    names, garment_ids = parser_classes(config)
    labels = photo_labels(image, probabilities, garment_ids)
    return Segmentation(labels=labels.numpy(), probabilities=probabilities.numpy(), names=names)


def segmentations_write(*, photos: list[Path], out_dir: Path) -> tuple[list[Path], list[str]]:
    """Write out_dir/<photo stem>.png (class ids) for each photo. A bad photo is reported
    and skipped; the others are still processed. -> (written paths, error messages)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written, errors = [], []
    for photo in photos:
        try:
            image = photo_read(Path(photo))
        except PhotoError as error:
            errors.append(str(error))
            continue
        target = out_dir / f"{Path(photo).stem}.png"
        Image.fromarray(photo_segment(image=image).labels).save(target)
        written.append(target)
    return written, errors


GARMENT_CHOICES = ("top", "outerwear", "bottom", "dress")
MAX_ROTATION = 180.0


def tryon_params_parse(data) -> dict:
    """Request fields -> try-on parameters (pattern fields are checked by the patterns service)."""
    raw = data.getlist("garments") if hasattr(data, "getlist") else data.get("garments")
    if isinstance(raw, str) or raw is None:
        raw = [g.strip() for g in (raw or "").split(",") if g.strip()]
    garments = [str(g) for g in raw] or list(GARMENT_CHOICES)
    unknown = [g for g in garments if g not in GARMENT_CHOICES]
    if unknown:
        raise TryonInputError(f"unknown garments {unknown}; choose from {', '.join(GARMENT_CHOICES)}")
    try:
        rotation = float(data.get("rotation") or 0)
    except (TypeError, ValueError):
        raise TryonInputError("rotation must be a number of degrees") from None
    if not -MAX_ROTATION <= rotation <= MAX_ROTATION:
        raise TryonInputError(f"rotation must be from -{MAX_ROTATION:g} to {MAX_ROTATION:g} degrees")
    pattern = pattern_params_parse(data)
    pattern["size"] = 512  # the tile; its zoom on the photo is the try-on scale below
    scale = pattern.pop("scale", 1.0)
    spec = pattern_spec_build(**pattern)
    try:
        scale = float(scale)
    except (TypeError, ValueError):
        raise TryonInputError("scale must be a number") from None
    if not 0.25 <= scale <= 4:
        raise TryonInputError("scale must be from 0.25 to 4")
    return {"pattern": spec_to_params(spec), "garments": garments, "scale": scale, "rotation": rotation}


class TryonInputError(ValueError):
    """A request the user can fix: the message says how."""


def tryon_job_create(*, owner: str, data, upload=None) -> Job:
    """upload: a Django UploadedFile, or None with data["template"] naming a stock photo."""
    from tryon.tasks import tryon_job_run

    params = tryon_params_parse(data)
    if upload is not None:
        photo = upload_reencode(data=upload.read(), name=upload.name or "upload",
                                content_type=(upload.content_type or "").split(";")[0].strip())
        params["source"] = "upload"
    elif data.get("template"):
        path = stock_path(str(data["template"]))
        if path is None:
            raise TryonInputError(f"unknown template {data['template']!r}; choose from {', '.join(stock_names())}")
        photo = upload_reencode(data=path.read_bytes(), name=path.name, content_type="image/jpeg")
        params["source"] = f"template:{data['template']}"
    else:
        raise TryonInputError("send a photo (JPEG, PNG or WebP) or choose a template")
    with transaction.atomic():
        job = Job.objects.create(owner=owner, kind=Job.Kind.TRYON, params=params)
        job_file_save(job=job, name="photo.png", data=photo)
        job_enqueue(task=tryon_job_run, job=job)
    return job


def tryon_job_execute(*, job_id) -> None:
    """Idempotent: a finished job is left alone; a re-run overwrites its own partial files."""
    job = job_start(job_id=job_id)
    if job is None:
        return
    photo = photo_read(job_file_read(job=job, name="photo.png"), name="photo.png")
    segmentation = photo_segment(image=photo)
    job_progress(job=job, percent=40)
    outlined, found = garments_outlined(photo, segmentation.labels, segmentation.names)
    chosen = [g for g in job.params["garments"] if g in found]
    if not chosen:
        job_fail(job_id=job.id, message=f"none of the chosen garments ({', '.join(job.params['garments'])}) "
                                        f"was found in the photo; found: {', '.join(found) or 'none'}")
        return
    alpha = segmentation.matte(photo, chosen)
    tile = pattern_generate(spec=pattern_spec_build(**job.params["pattern"]))
    job_progress(job=job, percent=70)
    result = garment_composite(photo, alpha, tile, job.params["scale"], job.params["rotation"])
    results = [
        job_file_save(job=job, name="result.png", data=png_encode(result)),
        job_file_save(job=job, name="pattern.png", data=png_encode(tile)),
        job_file_save(job=job, name="garments.png", data=png_encode(outlined)),
    ]
    Job.objects.filter(id=job.id).update(params={**job.params, "found": found, "dressed": chosen})
    job_finish(job=job, results=results)

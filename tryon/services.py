"""Garment parsing for the site, the tasks and the CLI."""
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from jobs.errors import UserInputError
from jobs.models import Job
from jobs.photos import PhotoError, photo_read
from jobs.services import job_create, job_fail, job_file_read, job_file_save, job_finish, job_progress, job_start
from jobs.uploads import upload_reencode
from models.garment_parser.model import parser_classes
from models.garment_parser.predict import class_probabilities, matte_refine, parser_load, photo_labels
from models.runtime import torch_threads_configure
from patterns.png import png_encode
from patterns.services import pattern_generate, pattern_spec_build, pattern_spec_from_fields, spec_to_params
from tryon.compositing import garment_composite, garments_outlined
from tryon.schemas import TryonRequest
from tryon.stock import stock_path


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


TILE_PX = 512  # the pattern tile; its zoom on the photo is the request's scale


class TryonInputError(UserInputError):
    """A try-on request the user can fix: the message says how."""


def tryon_job_create(*, owner: str, request: TryonRequest, upload=None) -> Job:
    """upload: a Django UploadedFile, or None with request.template naming a stock photo."""
    spec = pattern_spec_from_fields(fields=request, size=TILE_PX, scale=1.0)
    params = {"pattern": spec_to_params(spec), "garments": list(request.garments), "scale": request.scale,
              "rotation": request.rotation}
    if request.fabric_job is not None:
        params["fabric_job"] = str(fabric_tile_job(owner=owner, job_id=request.fabric_job).id)
    if upload is not None:
        photo = upload_reencode(data=upload.read(), name=upload.name or "upload",
                                content_type=(upload.content_type or "").split(";")[0].strip())
        params["source"] = "upload"
    elif request.template is not None:
        path = stock_path(request.template)
        photo = upload_reencode(data=path.read_bytes(), name=path.name, content_type="image/jpeg")
        params["source"] = f"template:{request.template}"
    else:
        raise TryonInputError("send a photo (JPEG, PNG or WebP) or choose a template")
    return job_create(owner=owner, kind=Job.Kind.TRYON, params=params, files={"photo.png": photo})


def fabric_tile_job(*, owner: str, job_id: str) -> Job:
    """The visitor's finished fabric job whose tile a try-on may use."""
    job = Job.objects.filter(id=job_id, owner=owner, kind=Job.Kind.FABRIC, status=Job.Status.DONE).first() \
        if _is_uuid(job_id) else None
    if job is None or "tile.png" not in job.results:
        raise TryonInputError("fabric_job: no finished fabric job of yours has that id")
    return job


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


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
    if job.params.get("fabric_job"):
        tile = photo_read(job_file_read(job=Job.objects.get(id=job.params["fabric_job"]), name="tile.png"))
    else:
        tile = pattern_generate(spec=pattern_spec_build(**job.params["pattern"]))
    job_progress(job=job, percent=70)
    result = garment_composite(photo, alpha, tile, job.params["scale"], job.params["rotation"])
    results = [
        job_file_save(job=job, name="result.png", data=png_encode(result)),
        job_file_save(job=job, name="pattern.png", data=png_encode(tile)),
        job_file_save(job=job, name="garments.png", data=png_encode(outlined)),
    ]
    job_finish(job=job, results=results, params={**job.params, "found": found, "dressed": chosen})

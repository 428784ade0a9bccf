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
from jobs.uploads import photo_png, upload_read, uploaded_file_read
from models.garment_parser.model import parser_classes
from models.garment_parser.predict import class_probabilities, matte_refine, parser_load, photo_labels
from models.runtime import torch_threads_configure
from patterns.png import png_encode
from patterns.services import pattern_generate, pattern_spec_build, pattern_spec_from_fields, spec_to_params
from tryon.compositing import (DEFAULT_PERSON_CM, DEFAULT_REPEAT_CM, body_scale, garments_composite,
                               garments_outlined, person_height_px)
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


TILE_PX = 512  # a generated pattern's tile (one repeat; two a side in the other layouts)


class TryonInputError(UserInputError):
    """A try-on request the user can fix: the message says how."""


def tryon_job_create(*, owner: str, request: TryonRequest, upload=None) -> Job:
    """upload: a Django UploadedFile, or None with request.template naming a stock photo."""
    spec = pattern_spec_from_fields(fields=request, size=TILE_PX, scale=1.0)
    own = {}
    for garment in request.garments:
        category, seed = request.garment_pattern(garment)
        if category is not None or seed is not None:
            fields = request.model_copy(update={"category": category or request.category, "seed": seed})
            own[garment] = spec_to_params(pattern_spec_from_fields(fields=fields, size=TILE_PX, scale=1.0))
    params = {"pattern": spec_to_params(spec), "garment_patterns": own, "garments": list(request.garments),
              "scale": request.scale, "rotation": request.rotation, "repeat_cm": request.repeat_cm,
              "person_height_cm": request.person_height_cm}
    if request.fabric_job is not None:
        params["fabric_job"] = str(fabric_tile_job(owner=owner, job_id=request.fabric_job).id)
    if upload is not None:
        photo = photo_png(uploaded_file_read(upload))
        params["source"] = "upload"
    elif request.template is not None:
        path = stock_path(request.template)
        photo = photo_png(upload_read(data=path.read_bytes(), name=path.name, content_type="image/jpeg"))
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
    fabric = job.params.get("fabric_job")
    main_tile = photo_read(job_file_read(job=Job.objects.get(id=fabric), name="tile.png")) if fabric else None
    try:
        dressed = tryon_render(photo=photo, params=job.params, main_tile=main_tile,
                               progress=lambda percent: job_progress(job=job, percent=percent))
    except TryonInputError as error:
        job_fail(job_id=job.id, message=str(error))
        return
    results = [job_file_save(job=job, name="result.png", data=png_encode(dressed.result))]
    results += [job_file_save(job=job, name=name, data=png_encode(tile)) for name, tile in dressed.tiles.items()]
    results.append(job_file_save(job=job, name="garments.png", data=png_encode(dressed.outlined)))
    job_finish(job=job, results=results, params={**job.params, "found": dressed.found, "dressed": dressed.dressed,
                                                 "person_height_px": dressed.person_px})


@dataclass
class Dressed:
    result: np.ndarray  # [H, W, 3] uint8: the photo re-dressed
    tiles: dict[str, np.ndarray]  # file name -> the pattern tile it wore
    outlined: np.ndarray  # the garments found, outlined
    found: dict[str, float]  # garment -> share of the photo
    dressed: list[str]
    person_px: int


def tryon_render(*, photo: np.ndarray, params: dict, main_tile: np.ndarray | None = None,
                 progress=lambda percent: None, folds: bool = True) -> Dressed:
    """The try-on itself (a job's params; main_tile: a fabric tile instead of the generated
    pattern). Raises TryonInputError when none of the chosen garments is in the photo."""
    segmentation = photo_segment(image=photo)
    progress(40)
    outlined, found = garments_outlined(photo, segmentation.labels, segmentation.names)
    chosen = [g for g in params["garments"] if g in found]
    if not chosen:
        raise TryonInputError(f"none of the chosen garments ({', '.join(params['garments'])}) "
                              f"was found in the photo; found: {', '.join(found) or 'none'}")
    # The main pattern dresses every chosen garment without its own; each other one its own.
    own = {g: p for g, p in params.get("garment_patterns", {}).items() if g in chosen}
    if main_tile is not None:
        main, main_repeat_px = main_tile, main_tile.shape[1]  # a fabric tile is one repeat of the fabric
    else:
        main, main_repeat_px = pattern_generate(spec=pattern_spec_build(**params["pattern"])), _repeat_px(params["pattern"])
    person_px = person_height_px(segmentation.labels, segmentation.names.index("background"))

    def zoom(repeat_px: int) -> float:
        return params["scale"] * body_scale(person_px=person_px, repeat_px=repeat_px,
                                            person_cm=params.get("person_height_cm", DEFAULT_PERSON_CM),
                                            repeat_cm=params.get("repeat_cm", DEFAULT_REPEAT_CM))

    layers, tiles = [], {"pattern.png": main}
    rest = [g for g in chosen if g not in own]
    if rest:
        layers.append((segmentation.matte(photo, rest), main, zoom(main_repeat_px)))
    for garment, pattern in own.items():
        tile = pattern_generate(spec=pattern_spec_build(**pattern))
        tiles[f"pattern-{garment}.png"] = tile
        layers.append((segmentation.matte(photo, [garment]), tile, zoom(_repeat_px(pattern))))
    progress(70)
    result = garments_composite(photo, layers, params["rotation"], folds=folds)
    return Dressed(result=result, tiles=tiles, outlined=outlined, found=found, dressed=chosen, person_px=person_px)


def _repeat_px(pattern: dict) -> int:
    """Pixels of one repeat in a generated tile: the tile, or half of it in the layouts whose
    unit spans two tiles (the rendered tile is then two repeats a side)."""
    return TILE_PX if pattern.get("layout", "full") == "full" else TILE_PX // 2

"""Patterns from a visitor's own fabric photo: the category the classifier sees, a seamless
repeat tile cut from the photo, and variations of that category's generator steered toward
it (models/fabric). A service module beside services.py: the fabric job's life-cycle."""
import numpy as np

from jobs.models import Job
from jobs.photos import photo_read
from jobs.services import job_create, job_fail, job_file_read, job_file_save, job_finish, job_progress, job_start
from jobs.uploads import upload_reencode
from models.fabric.classifier import classifier_load, fabric_classify
from models.fabric.steer import random_distance, steered_variations
from models.fabric.tile import fabric_tile
from models.pattern_gan.palette import dominant_colours, hex_colour
from models.pattern_gan.sample import PatternSpec, served_categories
from models.runtime import torch_threads_configure
from models.texture_features import cosine_distance, imagenet_features
from patterns.png import png_encode
from patterns.services import pattern_generate

VARIATIONS = 4
VARIATION_PX = 512


def fabric_job_create(*, owner: str, upload) -> Job:
    photo = upload_reencode(data=upload.read(), name=upload.name or "upload",
                            content_type=(upload.content_type or "").split(";")[0].strip())
    return job_create(owner=owner, kind=Job.Kind.FABRIC, params={}, files={"photo.png": photo})


def fabric_job_execute(*, job_id) -> None:
    """Idempotent: a finished job is left alone; a re-run overwrites its own files."""
    job = job_start(job_id=job_id)
    if job is None:
        return
    torch_threads_configure()
    rgb = photo_read(job_file_read(job=job, name="photo.png"), name="photo.png")
    try:
        model = classifier_load()
    except FileNotFoundError as error:
        job_fail(job_id=job.id, message=str(error))
        return
    names, probabilities, features = fabric_classify(rgb, model)
    served = set(served_categories())
    ranked = [i for i in np.argsort(-probabilities) if names[i] in served]
    if not ranked:
        job_fail(job_id=job.id, message="no pattern generators are installed")
        return
    category = names[ranked[0]]
    job_progress(job=job, percent=20)
    tile, measured = fabric_tile(rgb)
    job_progress(job=job, percent=40)
    variations = steered_variations(rgb=rgb, photo_features=features, category=category, trunk=model.trunk,
                                    count=VARIATIONS)
    job_progress(job=job, percent=70)
    results = [job_file_save(job=job, name="tile.png", data=png_encode(tile))]
    for k, variation in enumerate(variations, start=1):
        spec = PatternSpec(category=category, seed=variation["seed"], size=VARIATION_PX,
                           palette=tuple(tuple(c) for c in variation["palette"]))
        results.append(job_file_save(job=job, name=f"variation-{k}.png", data=png_encode(pattern_generate(spec=spec))))
        variation["palette"] = [hex_colour(tuple(c)) for c in variation["palette"]]
    tile_distance = float(cosine_distance(features[None], imagenet_features(model.trunk, tile[None]))[0, 0])
    found = {
        "category": category,
        "probabilities": {names[i]: round(float(probabilities[i]), 3) for i in ranked[:3]},
        "palette": [hex_colour(c) for c in dominant_colours(rgb)],
        "tile": {**measured, "texture_distance": round(tile_distance, 4)},
        "variations": variations,
        "random_texture_distance": round(random_distance(photo_features=features, category=category,
                                                         trunk=model.trunk), 4),
    }
    job_finish(job=job, results=results, params={**job.params, **found})

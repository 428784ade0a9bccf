"""Patterns from a visitor's own fabric photo: the category the classifier sees, a seamless
repeat tile cut from the photo, and variations of that category's generator steered toward
it (models/fabric). A service module beside services.py: the fabric job's life-cycle."""
from jobs.models import Job
from jobs.photos import photo_read
from jobs.services import job_create, job_fail, job_file_read, job_file_save, job_finish, job_progress, job_start
from jobs.uploads import photo_png, uploaded_file_read
from models.fabric.classifier import classifier_load
from models.fabric.pipeline import fabric_patterns
from models.pattern_gan.palette import dominant_colours, hex_colour
from models.pattern_gan.sample import PatternSpec, served_categories
from models.runtime import torch_threads_configure
from patterns.png import png_encode
from patterns.services import pattern_generate

VARIATION_PX = 512


def fabric_job_create(*, owner: str, upload) -> Job:
    photo = photo_png(uploaded_file_read(upload))
    return job_create(owner=owner, kind=Job.Kind.FABRIC, params={}, files={"photo.png": photo})


def fabric_job_execute(*, job_id) -> None:
    """Idempotent: a finished job is left alone; a re-run overwrites its own files."""
    job = job_start(job_id=job_id)
    if job is None:
        return
    torch_threads_configure()
    rgb = photo_read(job_file_read(job=job, name="photo.png"), name="photo.png")
    try:
        found = fabric_patterns(rgb=rgb, model=classifier_load(), categories=set(served_categories()),
                                progress=lambda percent: job_progress(job=job, percent=percent))
    except (FileNotFoundError, ValueError) as error:  # no classifier, or no generator installed
        job_fail(job_id=job.id, message=str(error))
        return
    job_progress(job=job, percent=70)
    results = [job_file_save(job=job, name="tile.png", data=png_encode(found.tile))]
    for k, variation in enumerate(found.variations, start=1):
        spec = PatternSpec(category=found.category, seed=variation["seed"], size=VARIATION_PX,
                           palette=tuple(variation["palette"]))
        results.append(job_file_save(job=job, name=f"variation-{k}.png", data=png_encode(pattern_generate(spec=spec))))
    params = {
        "category": found.category, "probabilities": found.probabilities,
        "palette": [hex_colour(c) for c in dominant_colours(rgb)],
        "tile": {**found.tile_measured, "texture_distance": round(found.tile_distance, 4)},
        "variations": [{**v, "palette": [hex_colour(c) for c in v["palette"]]} for v in found.variations],
        "random_texture_distance": round(found.random_distance, 4),
    }
    job_finish(job=job, results=results, params={**job.params, **params})

"""Job life-cycle shared by pattern and try-on work: enqueueing after commit, status
transitions, result files in storage, and the 24-hour cleanup."""
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from aifashion.middleware import ServiceUnavailable
from patterns.models import Job

log = logging.getLogger("aifashion.jobs")

# Without a broker the site runs tasks in this process, on one background thread: the
# request returns at once and models load once, exactly as in a worker.
_in_process = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs")


def job_enqueue(*, task, job: Job) -> None:
    def send():
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            try:
                task.delay(str(job.id))
            except Exception as error:  # noqa: BLE001 - any publish failure: the queue is unreachable
                job_fail(job_id=job.id, message="the job queue is unavailable; please submit again")
                raise ServiceUnavailable("job queue unreachable") from error
        elif settings.JOBS_IN_BACKGROUND_THREAD:
            _in_process.submit(task.apply, args=(str(job.id),))
        else:  # tests: run right here, after the commit
            task.apply(args=(str(job.id),))

    transaction.on_commit(send)


def job_start(*, job_id) -> Job | None:
    """Mark a job running; None if it is already finished (a retried or duplicate delivery)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(id=job_id)
        if job.status in (Job.Status.DONE, Job.Status.FAILED):
            return None
        job.status, job.started_at, job.progress = Job.Status.RUNNING, timezone.now(), 5
        job.save(update_fields=["status", "started_at", "progress"])
    log.info("job %s started (%s)", job.id, job.kind, extra={"job_id": str(job.id), "kind": job.kind})
    return job


def job_progress(*, job: Job, percent: int) -> None:
    Job.objects.filter(id=job.id).update(progress=percent)


def job_file_save(*, job: Job, name: str, data: bytes) -> str:
    path = f"{job.files_prefix}/{name}"
    if default_storage.exists(path):  # a retry overwrites its own earlier attempt
        default_storage.delete(path)
    default_storage.save(path, ContentFile(data))
    return name


def job_file_open(*, job: Job, name: str):
    return default_storage.open(f"{job.files_prefix}/{name}", "rb")


def job_file_read(*, job: Job, name: str) -> bytes:
    with job_file_open(job=job, name=name) as handle:
        return handle.read()


def job_finish(*, job: Job, results: list[str]) -> None:
    Job.objects.filter(id=job.id).update(status=Job.Status.DONE, progress=100, results=results,
                                         finished_at=timezone.now(), error="")
    log.info("job %s done", job.id, extra={"job_id": str(job.id), "kind": job.kind})


def job_fail(*, job_id, message: str) -> None:
    Job.objects.filter(id=job_id).exclude(status=Job.Status.DONE).update(
        status=Job.Status.FAILED, error=message, finished_at=timezone.now())
    log.warning("job %s failed: %s", job_id, message, extra={"job_id": str(job_id)})


def job_files_delete(*, job: Job) -> None:
    if not default_storage.exists(job.files_prefix):
        return
    for name in default_storage.listdir(job.files_prefix)[1]:
        default_storage.delete(f"{job.files_prefix}/{name}")


def jobs_cleanup(*, older_than: timedelta = timedelta(hours=24)) -> int:
    """Delete jobs (and their uploads and results) created before now - older_than."""
    count = 0
    for job in Job.objects.filter(created_at__lt=timezone.now() - older_than).iterator():
        job_files_delete(job=job)
        job.delete()
        count += 1
    return count

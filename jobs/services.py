"""Job life-cycle shared by pattern and try-on work: creation under the per-visitor cap,
enqueueing after commit, start, progress, finish and fail, result files, the sweeper that
re-enqueues jobs gone silent, and the 24-hour cleanup."""
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from aifashion.middleware import ServiceUnavailable
from jobs.errors import VisitorJobLimit
from jobs.models import Job, Visitor
from jobs.registry import job_executor
from jobs.selectors import jobs_unfinished_count

log = logging.getLogger("aifashion.jobs")

# A database that stops answering (restart, failover, network) raises these; trying again later may work.
DATABASE_TRANSIENT = (OperationalError, InterfaceError)


def job_create(*, owner: str, kind: str, params: dict, files: dict[str, bytes] | None = None) -> Job:
    """Create and enqueue a job with its input files, unless the visitor already has
    JOBS_PER_VISITOR unfinished jobs (VisitorJobLimit)."""
    with transaction.atomic():
        Visitor.objects.get_or_create(token=owner)
        # Serialises this visitor's concurrent requests, so the count below cannot be overtaken.
        Visitor.objects.select_for_update().get(token=owner)
        limit = settings.JOBS_PER_VISITOR
        if jobs_unfinished_count(owner=owner) >= limit:
            raise VisitorJobLimit(f"you already have {limit} jobs waiting or running; "
                                  "start another when one of them has finished")
        job = Job.objects.create(owner=owner, kind=kind, params=params, heartbeat_at=timezone.now())
        for name, data in (files or {}).items():
            job_file_save(job=job, name=name, data=data)
        job_enqueue(job=job)
    return job


def job_enqueue(*, job: Job) -> None:
    """Hand the job to a runner once the transaction commits. If the queue cannot take it,
    the job fails with a message and the request answers 503."""
    Job.objects.filter(id=job.id).update(attempts=F("attempts") + 1, heartbeat_at=timezone.now())

    def send():
        try:
            job_dispatch(job_id=job.id)
        except Exception as error:  # noqa: BLE001 - any publish failure: the queue is unreachable
            job_fail(job_id=job.id, message="the job queue is unavailable; please submit again")
            raise ServiceUnavailable("job queue unreachable") from error

    transaction.on_commit(send)


def job_dispatch(*, job_id) -> None:
    """To the Celery queue; without a broker, to this process's background runner (or, in
    tests, run right here)."""
    from jobs.runner import embedded_runner
    from jobs.tasks import job_run

    if not settings.CELERY_TASK_ALWAYS_EAGER:
        job_run.delay(str(job_id))
    elif settings.JOBS_IN_BACKGROUND_THREAD:
        embedded_runner.submit(str(job_id))
    else:
        job_execute(job_id=job_id)


def job_execute(*, job_id) -> None:
    """Run the job by its kind's service (idempotent). A job deleted meanwhile is ignored."""
    kind = Job.objects.filter(id=job_id).values_list("kind", flat=True).first()
    if kind is not None:
        job_executor(kind=kind)(job_id=job_id)


def job_start(*, job_id) -> Job | None:
    """Mark a job running; None if it is already finished (a retried or duplicate delivery)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(id=job_id)
        if job.status in (Job.Status.DONE, Job.Status.FAILED):
            return None
        job.status, job.progress = Job.Status.RUNNING, 5
        job.started_at = job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "started_at", "heartbeat_at", "progress"])
    log.info("job %s started (%s)", job.id, job.kind, extra={"job_id": str(job.id), "kind": job.kind})
    return job


def job_progress(*, job: Job, percent: int) -> None:
    Job.objects.filter(id=job.id).update(progress=percent, heartbeat_at=timezone.now())


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


def job_finish(*, job: Job, results: list[str], params: dict | None = None) -> None:
    """params: the job's parameters with what the run found out added (None keeps them)."""
    update = {"params": params} if params is not None else {}
    Job.objects.filter(id=job.id).update(status=Job.Status.DONE, progress=100, results=results,
                                         finished_at=timezone.now(), error="", **update)
    log.info("job %s done", job.id, extra={"job_id": str(job.id), "kind": job.kind})


def job_fail(*, job_id, message: str) -> None:
    Job.objects.filter(id=job_id).exclude(status=Job.Status.DONE).update(
        status=Job.Status.FAILED, error=message, finished_at=timezone.now())
    log.warning("job %s failed: %s", job_id, message, extra={"job_id": str(job_id)})


def jobs_sweep(*, now=None) -> dict:
    """Re-enqueue every unfinished job silent for JOBS_STALE_SECONDS (its message was lost,
    its worker died, or its start met an outage); fail it once it has had JOBS_MAX_ATTEMPTS.
    Several sweepers may run at once: each stale job is claimed by exactly one.
    -> {"requeued": n, "failed": m}"""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    stale = Job.objects.filter(status__in=Job.UNFINISHED).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff))
    counts = {"requeued": 0, "failed": 0}
    for job in stale.only("id", "status", "attempts", "heartbeat_at"):
        if job.attempts >= settings.JOBS_MAX_ATTEMPTS:
            job_fail(job_id=job.id, message=f"the job did not finish after {job.attempts} attempts (the service "
                                            "is overloaded or was interrupted); please submit it again")
            counts["failed"] += 1
            continue
        claimed = Job.objects.filter(id=job.id, status=job.status, heartbeat_at=job.heartbeat_at).update(
            status=Job.Status.QUEUED, attempts=F("attempts") + 1, heartbeat_at=now)
        if not claimed:
            continue
        log.warning("job %s re-enqueued (attempt %d)", job.id, job.attempts + 1, extra={"job_id": str(job.id)})
        try:
            job_dispatch(job_id=job.id)
        except Exception:  # noqa: BLE001 - the queue is down: the next sweep tries again
            log.exception("job %s could not be re-enqueued", job.id, extra={"job_id": str(job.id)})
        counts["requeued"] += 1
    return counts


def job_files_delete(*, job: Job) -> None:
    if not default_storage.exists(job.files_prefix):
        return
    for name in default_storage.listdir(job.files_prefix)[1]:
        default_storage.delete(f"{job.files_prefix}/{name}")


def jobs_cleanup(*, older_than: timedelta = timedelta(hours=24)) -> int:
    """Delete jobs (and their uploads and results) created before now - older_than, and
    visitors with no job left."""
    count = 0
    for job in Job.objects.filter(created_at__lt=timezone.now() - older_than).iterator():
        job_files_delete(job=job)
        job.delete()
        count += 1
    owners = Job.objects.values("owner")
    Visitor.objects.filter(first_seen__lt=timezone.now() - older_than).exclude(token__in=owners).delete()
    return count

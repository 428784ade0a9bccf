"""Celery tasks: they take a job id and call a service; re-running one is harmless."""
from celery import shared_task

from jobs.services import DATABASE_TRANSIENT, job_execute, job_fail, jobs_cleanup, jobs_sweep

TRANSIENT = (*DATABASE_TRANSIENT, ConnectionError)


@shared_task(bind=True, queue="gpu", acks_late=True, reject_on_worker_lost=True,
             autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def job_run(self, job_id: str) -> None:
    """Outages retry with backoff, then the sweeper takes over; anything else fails the job
    with a message instead of leaving it running."""
    try:
        job_execute(job_id=job_id)
    except TRANSIENT:
        raise
    except Exception:
        job_fail(job_id=job_id, message="internal error while running the job")
        raise


@shared_task(queue="gpu")
def jobs_sweep_run() -> dict:
    return jobs_sweep()


@shared_task(queue="gpu")
def jobs_cleanup_run() -> int:
    return jobs_cleanup()

"""Celery tasks: they take a job id and call a service; re-running one is harmless."""
from celery import shared_task
from django.db import DatabaseError

from patterns.jobs import job_fail, jobs_cleanup
from patterns.services import pattern_job_execute

RETRY = {"autoretry_for": (DatabaseError, ConnectionError), "retry_backoff": True, "max_retries": 3}


def run_or_fail(task, execute, job_id: str) -> None:
    """Transient errors retry; anything else marks the job failed instead of leaving it running."""
    try:
        execute(job_id=job_id)
    except RETRY["autoretry_for"]:
        if task.request.retries >= RETRY["max_retries"]:
            job_fail(job_id=job_id, message="the service was unavailable; please try again")
        raise
    except Exception:
        job_fail(job_id=job_id, message="internal error while running the job")
        raise


@shared_task(bind=True, queue="gpu", acks_late=True, reject_on_worker_lost=True, **RETRY)
def pattern_job_run(self, job_id: str) -> None:
    run_or_fail(self, pattern_job_execute, job_id)


@shared_task(queue="gpu")
def jobs_cleanup_run() -> int:
    return jobs_cleanup()

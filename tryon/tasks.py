from celery import shared_task

from patterns.tasks import RETRY, run_or_fail
from tryon.services import tryon_job_execute


@shared_task(bind=True, queue="gpu", acks_late=True, reject_on_worker_lost=True, **RETRY)
def tryon_job_run(self, job_id: str) -> None:
    run_or_fail(self, tryon_job_execute, job_id)

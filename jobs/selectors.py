"""Reads of jobs, always scoped to the visitor who owns them."""
from django.http import Http404

from jobs.models import Job


def job_get_owned(*, job_id, owner: str) -> Job:
    """The job if this visitor owns it; 404 otherwise, so ids of others' jobs reveal nothing."""
    try:
        return Job.objects.get(id=job_id, owner=owner)
    except (Job.DoesNotExist, ValueError):
        raise Http404("no such job") from None


def jobs_unfinished_count(*, owner: str) -> int:
    return Job.objects.filter(owner=owner, status__in=Job.UNFINISHED).count()

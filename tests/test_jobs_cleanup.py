"""Jobs and their files go after 24 hours."""
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobs.services import job_file_save
from jobs.models import Job

pytestmark = pytest.mark.django_db


def test_cleanup_deletes_old_jobs_and_files_and_keeps_new_ones(settings):
    old = Job.objects.create(owner="a", kind=Job.Kind.PATTERN)
    new = Job.objects.create(owner="a", kind=Job.Kind.PATTERN)
    Job.objects.filter(id=old.id).update(created_at=timezone.now() - timedelta(hours=25))
    for job in (old, new):
        job_file_save(job=job, name="pattern.png", data=b"png")
    call_command("cleanup_jobs")
    assert list(Job.objects.values_list("id", flat=True)) == [new.id]
    assert not (Path(settings.MEDIA_ROOT) / "jobs" / str(old.id) / "pattern.png").exists()
    assert (Path(settings.MEDIA_ROOT) / "jobs" / str(new.id) / "pattern.png").exists()

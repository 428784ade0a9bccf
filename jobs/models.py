import uuid

from django.db import models


class Job(models.Model):
    """One unit of model work (a pattern, a try-on, a fabric photo turned into patterns), owned by
    the visitor who asked for it."""

    class Kind(models.TextChoices):
        PATTERN = "pattern"
        TRYON = "tryon"
        FABRIC = "fabric"

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # unguessable
    owner = models.CharField(max_length=64, db_index=True)  # the visitor token kept in their session
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    params = models.JSONField(default=dict)
    results = models.JSONField(default=list)  # names of the files this job wrote
    error = models.TextField(blank=True)
    # Times the job was handed to a runner; the sweeper gives up after JOBS_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(default=0)
    # Last sign of life (enqueued, started, progress): the sweeper re-enqueues a job silent too long.
    heartbeat_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} job {self.id} ({self.status})"

    @property
    def files_prefix(self) -> str:
        return f"jobs/{self.id}"


class Visitor(models.Model):
    """A row per visitor token, locked while a job is created so that the per-visitor cap
    holds under concurrent requests (on any database)."""

    token = models.CharField(max_length=64, primary_key=True)
    first_seen = models.DateTimeField(auto_now_add=True)

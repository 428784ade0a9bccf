"""The jobs app on the real database: the per-visitor cap, the sweeper that leaves no job
stranded, the embedded runner waiting out a database outage, and the move of the Job table."""
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from jobs.models import Job
from jobs.runner import EmbeddedRunner
from jobs.services import jobs_sweep

pytestmark = pytest.mark.django_db


def post_pattern(client, **body):
    return client.post("/api/patterns", {"category": "floral", "size": 64, **body}, content_type="application/json")


def stale(job: Job, *, seconds: float, **fields) -> Job:
    Job.objects.filter(id=job.id).update(heartbeat_at=timezone.now() - timedelta(seconds=seconds), **fields)
    job.refresh_from_db()
    return job


def test_a_visitor_over_the_cap_gets_429_until_a_job_finishes(client, settings, django_capture_on_commit_callbacks,
                                                                random_generator_weights):
    from django.test import Client

    settings.JOBS_PER_VISITOR = 2
    with django_capture_on_commit_callbacks() as pending:  # enqueued but not run: the jobs stay queued
        first = [post_pattern(client, seed=s) for s in (1, 2)]
        refused = post_pattern(client, seed=3)
    assert [r.status_code for r in first] == [202, 202]
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "2 jobs waiting or running" in refused.json()["error"]
    assert post_pattern(Client(), seed=4).status_code == 202  # another visitor is not held up
    for callback in pending[:1]:
        callback()  # the first job runs
    assert client.get(first[0].json()["status_url"]).json()["status"] == "done"
    assert post_pattern(client, seed=5).status_code == 202


def test_a_job_silent_too_long_is_enqueued_again_and_runs(client, settings, django_capture_on_commit_callbacks,
                                                          random_generator_weights):
    with django_capture_on_commit_callbacks():  # its message is lost: never delivered
        job = Job.objects.get(id=post_pattern(client, seed=7).json()["id"])
    assert jobs_sweep() == {"requeued": 0, "failed": 0}  # not silent long enough yet
    stale(job, seconds=settings.JOBS_STALE_SECONDS + 1)
    assert jobs_sweep() == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2


def test_a_running_job_whose_worker_died_is_run_again(client, settings, django_capture_on_commit_callbacks,
                                                      random_generator_weights):
    with django_capture_on_commit_callbacks():
        job = Job.objects.get(id=post_pattern(client, seed=8).json()["id"])
    stale(job, seconds=settings.JOBS_STALE_SECONDS + 5, status=Job.Status.RUNNING, progress=40)
    assert jobs_sweep()["requeued"] == 1
    assert Job.objects.get(id=job.id).status == Job.Status.DONE


def test_after_the_last_attempt_the_job_fails_with_a_message(settings):
    job = Job.objects.create(owner="v", kind=Job.Kind.PATTERN, params={}, attempts=settings.JOBS_MAX_ATTEMPTS)
    stale(job, seconds=settings.JOBS_STALE_SECONDS + 1, status=Job.Status.RUNNING)
    assert jobs_sweep() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "please submit it again" in job.error


def test_a_row_from_before_heartbeats_is_judged_by_its_age(settings, monkeypatch):
    sent = []
    monkeypatch.setattr("jobs.services.job_dispatch", lambda job_id: sent.append(job_id))
    job = Job.objects.create(owner="v", kind=Job.Kind.PATTERN, params={})
    Job.objects.filter(id=job.id).update(created_at=timezone.now() - timedelta(hours=1))
    assert jobs_sweep()["requeued"] == 1 and sent == [job.id]


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_enqueue_each_stale_job_once(settings, monkeypatch):
    sent, lock = [], threading.Lock()

    def dispatch(job_id):
        with lock:
            sent.append(job_id)

    monkeypatch.setattr("jobs.services.job_dispatch", dispatch)
    jobs = [Job.objects.create(owner="v", kind=Job.Kind.PATTERN, params={}, attempts=1) for _ in range(20)]
    for job in jobs:
        stale(job, seconds=settings.JOBS_STALE_SECONDS + 1)
    start = threading.Barrier(2)

    def sweep():
        start.wait()
        try:
            jobs_sweep()
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == sorted(job.id for job in jobs)


def test_the_embedded_runner_waits_out_a_database_outage(monkeypatch, settings):
    settings.JOBS_STALE_SECONDS = 30
    calls = []

    def execute(job_id):
        calls.append(job_id)
        if len(calls) < 3:
            raise OperationalError("connection refused")

    monkeypatch.setattr("jobs.services.job_execute", execute)
    monkeypatch.setattr("jobs.runner.connection", type("Closed", (), {"close": staticmethod(lambda: None)}))
    EmbeddedRunner()._run("job-1")
    assert calls == ["job-1"] * 3


def test_the_embedded_runner_fails_a_crashing_job_and_lives_on(monkeypatch):
    failed = []
    monkeypatch.setattr("jobs.services.job_execute", lambda job_id: 1 / 0)
    monkeypatch.setattr("jobs.services.job_fail", lambda job_id, message: failed.append((job_id, message)))
    EmbeddedRunner()._run("job-2")
    assert failed == [("job-2", "internal error while running the job")]


@pytest.mark.django_db(transaction=True)
def test_moving_job_to_its_own_app_keeps_existing_rows():
    from django.db.migrations.executor import MigrationExecutor

    before = [("patterns", "0001_initial"), ("jobs", None)]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    job_id = uuid.uuid4()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO patterns_job (id, owner, kind, status, progress, params, results, error, created_at) "
                       "VALUES (%s, 'v', 'pattern', 'done', 100, '{\"seed\": 3}', '[\"pattern.png\"]', '', %s)",
                       [job_id, timezone.now()])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    job = Job.objects.get(id=job_id)
    assert (job.params, job.results, job.status, job.attempts) == ({"seed": 3}, ["pattern.png"], "done", 0)

"""Without a broker (bin/serve), the web process runs jobs itself on one background thread,
so a request returns at once and models load once, as in a worker. Between jobs the thread
sweeps stale ones (jobs.services.jobs_sweep), as celery beat does in production."""
import logging
import queue
import threading
import time

from django.conf import settings
from django.db import connection

log = logging.getLogger("aifashion.jobs")


class EmbeddedRunner:
    def __init__(self):
        self._queue: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._last_sweep = 0.0

    def submit(self, job_id: str) -> None:
        self.wake()
        self._queue.put(job_id)

    def wake(self) -> None:
        """Start the thread if it is not running (the first job request of the process starts it)."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="jobs", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            try:
                job_id = self._queue.get(timeout=settings.JOBS_SWEEP_SECONDS)
            except queue.Empty:
                job_id = None
            if job_id is not None:
                self._run(job_id)
            if time.monotonic() - self._last_sweep >= settings.JOBS_SWEEP_SECONDS:
                self._last_sweep = time.monotonic()
                self._sweep()

    def _run(self, job_id: str) -> None:
        """Database outages are waited out (the job starts once the database answers again);
        after JOBS_STALE_SECONDS of outage the sweeper takes the job over."""
        from jobs.services import DATABASE_TRANSIENT, job_execute, job_fail

        give_up, pause = time.monotonic() + settings.JOBS_STALE_SECONDS, 0.25
        while True:
            try:
                job_execute(job_id=job_id)
                return
            except DATABASE_TRANSIENT as error:
                connection.close()  # the next try opens a fresh connection
                if time.monotonic() > give_up:
                    log.warning("job %s: database still unavailable (%s); left to the sweeper", job_id, error,
                                extra={"job_id": job_id})
                    return
                time.sleep(pause)
                pause = min(pause * 2, 5.0)
            except Exception:  # noqa: BLE001 - the job fails with a message; the thread lives on
                log.exception("job %s crashed", job_id, extra={"job_id": job_id})
                try:
                    job_fail(job_id=job_id, message="internal error while running the job")
                except DATABASE_TRANSIENT:
                    connection.close()
                return

    def _sweep(self) -> None:
        from jobs.services import jobs_sweep

        try:
            jobs_sweep()
        except Exception:  # noqa: BLE001 - e.g. the database is down; the next turn sweeps again
            connection.close()
            log.warning("job sweep skipped", exc_info=True)


embedded_runner = EmbeddedRunner()

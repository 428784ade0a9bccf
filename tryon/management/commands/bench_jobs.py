"""Latency and throughput of try-on and pattern jobs through the real queue
(web server -> Redis -> Celery worker -> PostgreSQL/SQLite), sequential and concurrent."""
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aifashion.processes import job_wait, site_session, web_process, worker_process
from tryon.stock import stock_names, stock_path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--jobs", type=int, default=20, help="try-on jobs per phase")
        parser.add_argument("--clients", type=int, default=4, help="concurrent clients in the concurrent phase")
        parser.add_argument("--workers", type=int, default=1, help="worker processes to start (each loads the models once)")
        parser.add_argument("--category", default="floral")
        parser.add_argument("--url", help="use a running site instead of starting web and worker processes")

    def handle(self, *args, **options):
        if not settings.REDIS_URL and not options["url"]:
            raise CommandError("set REDIS_URL (and DATABASE_URL) so jobs go through the real queue, or pass --url")
        if options["jobs"] < 1 or options["clients"] < 1 or options["workers"] < 1:
            raise CommandError("--jobs, --clients and --workers must be at least 1")
        logs = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
        with ExitStack() as stack:
            url = options["url"]
            if not url:
                env = dict(os.environ)
                for i in range(options["workers"]):
                    stack.enter_context(worker_process(env, logs / f"worker{i}.log"))
                url = stack.enter_context(web_process(env, logs / "web.log"))
            self.run_phases(url, options)

    def submit_tryon(self, url: str, category: str, seed: int) -> float:
        visitor = site_session(url)
        photo = stock_path(stock_names()[seed % len(stock_names())])
        started = time.perf_counter()
        response = visitor.post(url + "/api/tryon", data={"category": category, "seed": str(seed)},
                                files={"photo": (photo.name, photo.read_bytes(), "image/jpeg")}, timeout=60)
        if response.status_code != 202:
            raise CommandError(f"try-on request refused: {response.status_code} {response.text}")
        job = job_wait(visitor, url, response.json(), timeout=300)
        if job["status"] != "done":
            raise CommandError(f"try-on job failed: {job['error']}")
        return time.perf_counter() - started

    def submit_pattern(self, url: str, category: str, seed: int) -> float:
        visitor = site_session(url)
        started = time.perf_counter()
        response = visitor.post(url + "/api/patterns", json={"category": category, "seed": seed, "size": 512}, timeout=60)
        job = job_wait(visitor, url, response.json(), timeout=300)
        if job["status"] != "done":
            raise CommandError(f"pattern job failed: {job['error']}")
        return time.perf_counter() - started

    def report(self, name: str, latencies: list[float], wall: float) -> None:
        self.stdout.write(f"{name:32s} jobs {len(latencies):4d}  p50 {statistics.median(latencies) * 1000:7.0f} ms  "
                          f"p95 {percentile(latencies, 0.95) * 1000:7.0f} ms  throughput {len(latencies) / wall:5.2f} jobs/s")

    def run_phases(self, url: str, options) -> None:
        n, category = options["jobs"], options["category"]
        self.submit_tryon(url, category, 0)  # warm-up: the worker loads its models once
        for name, submit in (("pattern 512 px, sequential", self.submit_pattern), ("try-on, sequential", self.submit_tryon)):
            started = time.perf_counter()
            latencies = [submit(url, category, seed) for seed in range(1, n + 1)]
            self.report(name, latencies, time.perf_counter() - started)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=options["clients"]) as pool:
            latencies = list(pool.map(lambda seed: self.submit_tryon(url, category, seed), range(1, n + 1)))
        self.report(f"try-on, {options['clients']} concurrent clients", latencies, time.perf_counter() - started)

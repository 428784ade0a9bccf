"""Starting the site's own processes (web server, Celery worker) as subprocesses, for the
integration tests and the job benchmark. Loopback only; each stops when its context ends."""
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def worker_process(env: dict, log_path: Path, concurrency: int = 1, pool: str = "prefork"):
    command = [sys.executable, "-m", "celery", "-A", "aifashion", "worker", "-Q", "gpu", "-c", str(concurrency), "-P", pool,
               "--prefetch-multiplier", "1", "--without-mingle", "--without-gossip", "-l", "info"]
    already = log_path.read_bytes().count(b"ready.") if log_path.exists() else 0
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=REPO_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while log_path.read_bytes().count(b"ready.") <= already:
            if process.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"worker did not start; see {log_path}")
            time.sleep(0.3)
        yield process
    finally:
        _stop(process)


@contextlib.contextmanager
def beat_process(env: dict, log_path: Path):
    """celery beat (the periodic sweeper and cleanup), its schedule file beside the log."""
    command = [sys.executable, "-m", "celery", "-A", "aifashion", "beat", "-l", "info",
               "--schedule", str(log_path.with_suffix(".schedule"))]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=REPO_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        _stop(process)


@contextlib.contextmanager
def web_process(env: dict, log_path: Path, port: int | None = None):
    port = port or free_port()
    command = [sys.executable, "-m", "gunicorn", "aifashion.wsgi", "--bind", f"127.0.0.1:{port}",
               "--workers", "1", "--threads", "4", "--timeout", "120"]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=REPO_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                requests.get(url + "/tryon/", timeout=15)
                break
            except (requests.ConnectionError, requests.Timeout):
                if process.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"web server did not start; see {log_path}") from None
                time.sleep(0.3)
        yield url
    finally:
        _stop(process)


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_DIR, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def site_session(url: str) -> requests.Session:
    """A visitor: cookies kept, CSRF token taken from the first page."""
    session = requests.Session()
    session.get(url + "/tryon/", timeout=10)
    session.headers["X-CSRFToken"] = session.cookies.get("csrftoken", "")
    session.headers["Referer"] = url + "/tryon/"
    return session


def job_wait(session: requests.Session, url: str, job: dict, timeout: float = 120) -> dict:
    deadline = time.time() + timeout
    while job["status"] not in ("done", "failed"):
        if time.time() > deadline:
            raise TimeoutError(f"job {job['id']} still {job['status']} after {timeout} s")
        time.sleep(0.1)
        job = session.get(url + job["status_url"], timeout=10).json()
    return job

"""Load on loopback: 200 try-on jobs from 8 concurrent clients through web, Redis, workers
and PostgreSQL, with no error. The latencies are printed and kept in artifacts/load.json."""
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from aifashion.processes import REPO_DIR, job_wait, manage, site_session, web_process, worker_process
from tests.live import process_env, redis_empty, scratch_database
from tryon.stock import stock_names, stock_path

JOBS, CLIENTS = 200, 8


def test_200_tryon_jobs_from_8_clients_without_an_error(tryon_models, tmp_path, capsys):
    photos = [stock_path(name).read_bytes() for name in stock_names()]
    with scratch_database() as database_url:
        env = process_env(DATABASE_URL=database_url, REDIS_URL=redis_empty(), MEDIA_ROOT=str(tmp_path / "media"),
                          AIFASHION_WEIGHTS_DIR=str(tryon_models), RATE_LIMIT_TRYON="100000/m")
        manage(env, "migrate", "--noinput")
        with worker_process(env, tmp_path / "worker.log", concurrency=2), web_process(env, tmp_path / "web.log") as url:
            visitors = [site_session(url) for _ in range(CLIENTS)]

            def one(i: int) -> tuple[float, str]:
                visitor = visitors[i % CLIENTS]
                started = time.perf_counter()
                response = visitor.post(url + "/api/tryon", data={"category": "floral", "seed": str(i)},
                                        files={"photo": ("me.jpg", photos[i % len(photos)], "image/jpeg")}, timeout=60)
                if response.status_code != 202:
                    return time.perf_counter() - started, f"HTTP {response.status_code}"
                job = job_wait(visitor, url, response.json(), timeout=600)
                return time.perf_counter() - started, "" if job["status"] == "done" else job["error"]

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                outcomes = list(pool.map(one, range(JOBS)))
            wall = time.perf_counter() - started
    latencies = sorted(seconds for seconds, _ in outcomes)
    errors = [error for _, error in outcomes if error]
    figures = {"jobs": JOBS, "clients": CLIENTS, "errors": len(errors), "wall_s": round(wall, 1),
               "p50_s": round(statistics.median(latencies), 2), "p95_s": round(latencies[int(0.95 * (JOBS - 1))], 2),
               "throughput_jobs_per_s": round(JOBS / wall, 2)}
    (REPO_DIR / "artifacts").mkdir(exist_ok=True)
    (REPO_DIR / "artifacts" / "load.json").write_text(json.dumps(figures, indent=2))
    with capsys.disabled():
        print("\nload:", json.dumps(figures))
    assert not errors, errors[:5]

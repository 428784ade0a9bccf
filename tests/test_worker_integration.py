"""A try-on job through the real stack: gunicorn, a Celery worker process, Redis, PostgreSQL."""
import io

from PIL import Image

from aifashion.processes import job_wait, manage, site_session, web_process, worker_process
from tests.hostile_uploads import corpus
from tests.live import private_redis, process_env, scratch_database
from tryon.stock import stock_names, stock_path


def test_tryon_job_runs_in_a_separate_worker(tryon_models, tmp_path):
    with scratch_database() as database_url, private_redis(tmp_path) as (redis_url, _, _):
        env = process_env(DATABASE_URL=database_url, REDIS_URL=redis_url, MEDIA_ROOT=str(tmp_path / "media"),
                          AIFASHION_WEIGHTS_DIR=str(tryon_models))
        manage(env, "migrate", "--noinput")
        with worker_process(env, tmp_path / "worker.log") as worker, web_process(env, tmp_path / "web.log") as url:
            visitor = site_session(url)
            photo = stock_path(stock_names()[0])
            response = visitor.post(url + "/api/tryon", data={"category": "floral", "seed": "9", "garments": ["top", "bottom"]},
                                    files={"photo": ("me.jpg", photo.read_bytes(), "image/jpeg")}, timeout=30)
            assert response.status_code == 202, response.text
            job = job_wait(visitor, url, response.json())
            assert job["status"] == "done", job["error"]
            result = visitor.get(url + job["results"]["result"], timeout=10)
            assert Image.open(io.BytesIO(result.content)).size == Image.open(photo).size
            # The work happened in the worker process, not in the web server.
            assert f"{job['id']}" in (tmp_path / "worker.log").read_text()
            # The odd-but-valid uploads of the hostile corpus all reach the worker: it stays up.
            for name, (data, content_type, expected) in corpus().items():
                if expected != "accepted":
                    continue
                response = visitor.post(url + "/api/tryon", data={"category": "floral", "seed": "2"},
                                        files={"photo": (name, data, content_type)}, timeout=30)
                assert response.status_code == 202, (name, response.text)
                ended = job_wait(visitor, url, response.json())
                assert ended["status"] == "done" or "internal error" not in ended["error"], (name, ended["error"])
            assert worker.poll() is None


def test_the_per_visitor_cap_holds_on_the_real_queue(random_generator_weights, tmp_path):
    with scratch_database() as database_url, private_redis(tmp_path) as (redis_url, _, _):
        env = process_env(DATABASE_URL=database_url, REDIS_URL=redis_url, MEDIA_ROOT=str(tmp_path / "media"),
                          AIFASHION_WEIGHTS_DIR=str(random_generator_weights), JOBS_PER_VISITOR="2")
        manage(env, "migrate", "--noinput")
        with web_process(env, tmp_path / "web.log") as url:
            visitor, other = site_session(url), site_session(url)
            body = {"category": "floral", "size": 64}
            queued = [visitor.post(url + "/api/patterns", json=body, timeout=30) for _ in range(2)]
            assert [r.status_code for r in queued] == [202, 202]  # no worker yet: both stay queued
            refused = visitor.post(url + "/api/patterns", json=body, timeout=30)
            assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
            assert "waiting or running" in refused.json()["error"]
            assert other.post(url + "/api/patterns", json=body, timeout=30).status_code == 202
            with worker_process(env, tmp_path / "worker.log"):
                for response in queued:
                    assert job_wait(visitor, url, response.json())["status"] == "done"
                assert visitor.post(url + "/api/patterns", json=body, timeout=30).status_code == 202
            # Over the real server, an oversized body is answered (413, JSON), not cut off mid-upload.
            big = visitor.post(url + "/api/patterns", data=b" " * (5 * 1024 * 1024),
                               headers={"Content-Type": "application/json"}, timeout=60)
            assert big.status_code == 413 and "limit" in big.json()["error"]
            assert visitor.get(url + "/api/jobs/nothing", timeout=10).json()["error"] == "not found"


def test_a_fabric_photo_becomes_patterns_in_the_worker(tmp_path):
    from models.fabric.evaluate import closeup_photos

    category, photo = closeup_photos(1)[0]
    with scratch_database() as database_url, private_redis(tmp_path) as (redis_url, _, _):
        env = process_env(DATABASE_URL=database_url, REDIS_URL=redis_url, MEDIA_ROOT=str(tmp_path / "media"))
        manage(env, "migrate", "--noinput")
        with worker_process(env, tmp_path / "worker.log"), web_process(env, tmp_path / "web.log") as url:
            visitor = site_session(url)
            response = visitor.post(url + "/api/fabric", files={"photo": (photo.name, photo.read_bytes(), "image/jpeg")},
                                    timeout=30)
            assert response.status_code == 202, response.text
            job = job_wait(visitor, url, response.json())
            assert job["status"] == "done", job["error"]
            assert f"{job['id']}" in (tmp_path / "worker.log").read_text()
    params = job["params"]
    assert params["category"] == category  # a validation close-up the classifier never saw
    assert all(v["distance"] < params["random_texture_distance"] for v in params["variations"])
    assert params["tile"]["texture_distance"] < params["random_texture_distance"]

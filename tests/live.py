"""Fixtures' building blocks for tests that run the site's real processes."""
import contextlib
import os
import uuid

import psycopg
import redis

POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/14"


@contextlib.contextmanager
def scratch_database():
    """A new, empty PostgreSQL database for processes outside the test process."""
    name = f"aifashion_it_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def process_env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "aifashion.settings", "MODEL_THREADS": "1"}, **overrides)
    return env


def redis_empty(url: str = REDIS) -> str:
    redis.Redis.from_url(url).flushdb()
    return url

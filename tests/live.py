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


@contextlib.contextmanager
def private_redis(directory, port: int | None = None):
    """A Redis server of this test's own (append-only file in `directory`), so that stopping
    it touches nothing else. Yields (url, start, stop); the append-only file keeps queued
    messages across a stop and start, as a production Redis with persistence would."""
    import shutil
    import subprocess
    import time

    from aifashion.processes import free_port

    port = port or free_port()
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
               "--appendfsync", "always", "--dir", str(directory)]
    state = {}

    def start():
        state["process"] = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while True:
            try:
                redis.Redis(port=port, socket_connect_timeout=0.5).ping()
                return
            except redis.ConnectionError:
                if time.time() > deadline:
                    raise RuntimeError("private redis did not start") from None
                time.sleep(0.1)

    def stop():
        state["process"].terminate()
        state["process"].wait(timeout=10)

    start()
    try:
        yield f"redis://127.0.0.1:{port}/0", start, stop
    finally:
        if state["process"].poll() is None:
            stop()


class TcpProxy:
    """A loopback TCP proxy to another local port whose link can be cut and restored,
    to take a server away from the site without touching the server itself."""

    def __init__(self, target_port: int):
        import socket
        import threading

        from aifashion.processes import free_port

        self.target_port, self.port = target_port, free_port()
        self._socket, self._threading = socket, threading
        self._connections: list = []
        self._listener = None
        self.restore()

    def restore(self) -> None:
        listener = self._socket.socket()
        listener.setsockopt(self._socket.SOL_SOCKET, self._socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        self._threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        # shutdown() first: on Linux, close() alone leaves an accept() blocked in another thread
        # listening, and it let one new connection through after the cut (a flaky 200).
        try:
            self._listener.shutdown(self._socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        for connection in self._connections:
            try:
                connection.shutdown(self._socket.SHUT_RDWR)
            except OSError:
                pass
            connection.close()
        self._connections.clear()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if listener is not self._listener or listener.fileno() == -1:  # accepted while being cut
                client.close()
                return
            server = self._socket.create_connection(("127.0.0.1", self.target_port))
            self._connections += [client, server]
            for a, b in ((client, server), (server, client)):
                self._threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.close()
                except OSError:
                    pass

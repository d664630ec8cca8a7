"""A Redis server of the test's own (never the machine's shared one), and cluster settings."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
import redis

from queue_server.settings import Settings, parse_settings

T = TypeVar("T")

SECRET = "a-cluster-secret-of-at-least-32-characters"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], T], *, within_s: float = 10.0) -> T:
    """Poll ``condition`` until it returns something true, or fail after ``within_s``."""
    deadline = time.monotonic() + within_s
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"not true within {within_s} s: {condition}")
        time.sleep(0.01)


class RedisServer:
    """``redis-server`` on a free local port, in a temporary folder, with no persistence."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [shutil.which("redis-server") or "redis-server", "--port", str(self.port)]
        command += ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.folder)]
        self._process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2, socket_timeout=0.2)
        wait_for(lambda: self._answers(client))
        client.close()

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    def _answers(self, client: redis.Redis) -> bool:
        assert self._process is not None and self._process.poll() is None, "redis-server exited"
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def cluster_settings(
    settings: Settings, database_url: str, redis_url: str, data_dir: Path, **api: object
) -> Settings:
    """``settings`` in cluster mode: this database and Redis, the shared secret key."""
    data = settings.model_dump(mode="json")
    data["database"]["url"] = database_url
    data["cluster"] = {"redis_url": redis_url}
    data["api"] = {**data["api"], "secret_key": SECRET, **api}
    data["data_dir"] = str(data_dir)
    return parse_settings(data)


# ------------------------------------------------------------ server processes
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests.cluster.cluster_rig
from tests.cluster.cluster_rig import Cluster, cluster_config  # noqa: E402


@pytest.fixture
def cluster(tmp_path: Path, pg_url: str, redis_server: RedisServer) -> Iterator[Cluster]:
    """A cluster with no server yet (``cluster.add(n)`` starts them)."""
    url = pg_url.replace("postgresql+psycopg://", "postgresql://", 1)
    config = cluster_config(tmp_path, url, redis_server.url)
    running = Cluster(tmp_path, url, redis_server, config)
    try:
        yield running
    finally:
        running.stop()

"""A Redis server of the test's own (never the machine's shared one), and cluster settings."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from queue_server.settings import Settings, parse_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests.cluster.cluster_rig
from tests.cluster.cluster_rig import (
    Cluster,
    RedisServer,
    cluster_config,
    free_port,
    wait_for,
)

__all__ = ["RedisServer", "free_port", "wait_for"]

SECRET = "a-cluster-secret-of-at-least-32-characters"


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

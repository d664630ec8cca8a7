"""Cluster mode's settings: PostgreSQL, and one secret key written in every server's file."""

from __future__ import annotations

from pathlib import Path

import pytest

from queue_server.runtime import secret_key
from queue_server.settings import ConfigError, Settings

from .conftest import SECRET, cluster_settings

PG = "postgresql://xephang@db.lan/xephang"
REDIS = "redis://db.lan:6379/0"


def test_cluster_mode_needs_a_configured_secret_key(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        cluster_settings(settings, PG, REDIS, tmp_path, secret_key="")
    assert caught.value.problems[0][0] == "api.secret_key"
    assert "at least 32 characters" in caught.value.problems[0][1]
    with pytest.raises(ConfigError, match=r"api\.secret_key: cluster mode needs"):
        cluster_settings(settings, PG, REDIS, tmp_path, secret_key="x" * 31)


def test_every_server_signs_with_the_configured_key(settings: Settings, tmp_path: Path) -> None:
    machines = [cluster_settings(settings, PG, REDIS, tmp_path / m) for m in ("a", "b")]
    assert machines[0].cluster_mode
    assert {secret_key(machine) for machine in machines} == {SECRET}
    assert not (tmp_path / "a" / "secret_key").exists()  # no key of its own per machine


def test_embedded_mode_still_keeps_a_key_in_the_data_directory(settings: Settings) -> None:
    assert not settings.cluster_mode
    key = secret_key(settings)
    assert (Path(settings.data_dir) / "secret_key").read_text() == key

"""docs/deployment.md, ``[api] secret_key``: empty, the server signs sign-ins with a random
key kept in ``<data_dir>/secret_key`` (0600), the same at every start."""

from __future__ import annotations

import stat
from pathlib import Path

from queue_server.runtime import secret_key
from queue_server.settings import Settings


def test_an_empty_secret_key_is_made_once_and_kept_private(
    demo_settings: Settings, tmp_path: Path
) -> None:
    settings = demo_settings.model_copy(update={"data_dir": str(tmp_path / "data")})
    assert settings.api.secret_key == ""
    first = secret_key(settings)
    kept = tmp_path / "data" / "secret_key"
    assert kept.read_text() == first and len(first) >= 32
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert secret_key(settings) == first  # a restart signs with the same key


def test_a_configured_secret_key_is_used_and_nothing_is_written(
    demo_settings: Settings, tmp_path: Path
) -> None:
    api = demo_settings.api.model_copy(update={"secret_key": "k" * 40})
    settings = demo_settings.model_copy(update={"data_dir": str(tmp_path), "api": api})
    assert secret_key(settings) == "k" * 40
    assert not (tmp_path / "secret_key").exists()

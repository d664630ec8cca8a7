"""QR codes lead to an address that serves: the configured public_url, else the address
the kiosk used; `xephang init` and the admin's kiosks page warn about a wrong one."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from queue_server.auth.tokens import create_token
from queue_server.core.operations import Queue
from queue_server.runtime import start_app
from queue_server.settings import Settings
from queue_server.web.state import runtime_of

REPO = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def with_public_url(settings: Settings, url: str | None) -> Settings:
    center = settings.center.model_copy(update={"public_url": url})
    return settings.model_copy(update={"center": center})


@pytest.fixture
def device_app(settings: Settings, sqlite_queue: Queue) -> Iterator[Callable[..., Flask]]:
    made: list[Flask] = []

    def make(public_url: str | None) -> Flask:
        app = start_app(
            with_public_url(settings, public_url), queue=sqlite_queue, testing=True, devices=True
        )
        made.append(app)
        return app

    yield make
    for app in made:
        runtime_of(app).stop()


def printed_track_url(app: Flask, queue: Queue, base_url: str) -> str:
    secret, _info = create_token(queue.db, "kiosk", name="kiosk-1", clock=queue.clock)
    answer = app.test_client().post(
        "/api/v1/tickets",
        json={"service": "CT"},
        headers={"Authorization": f"Bearer {secret}"},
        base_url=base_url,
    )
    assert answer.status_code == 201, answer.get_json()
    printer: Any = runtime_of(app).device_worker.devices.spoolers["kiosk-1"].printer  # type: ignore[union-attr]
    assert printer.wait_for_prints(printer.count + 1, timeout=10)
    return str(printer.printed[-1].printout.track_url)


def test_unset_public_url_follows_the_address_the_kiosk_used(
    device_app: Callable[..., Flask], sqlite_queue: Queue
) -> None:
    app = device_app(None)
    url = printed_track_url(app, sqlite_queue, "http://10.20.30.40:5000")
    assert url.startswith("http://10.20.30.40:5000/track/")


def test_a_set_public_url_is_used(device_app: Callable[..., Flask], sqlite_queue: Queue) -> None:
    app = device_app("http://xephang.lan:8080")
    url = printed_track_url(app, sqlite_queue, "http://10.20.30.40:5000")
    assert url.startswith("http://xephang.lan:8080/track/")


def test_the_demo_leaves_public_url_unset(demo_settings: Settings) -> None:
    assert demo_settings.center.public_url is None


def test_the_kiosks_page_warns_when_public_url_does_not_answer(
    settings: Settings, sqlite_queue: Queue, signer: Callable[..., Any]
) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    app = start_app(with_public_url(settings, dead), queue=sqlite_queue, testing=True)
    client, _headers = signer(app, "admin")
    page = client.get("/admin/kiosks").get_data(as_text=True)
    assert f"public_url {dead}" in page and "không có gì trả lời" in page

    quiet = start_app(with_public_url(settings, None), queue=sqlite_queue, testing=True)
    client, _headers = signer(quiet, "admin")
    assert "public_url" not in client.get("/admin/kiosks").get_data(as_text=True)


@pytest.mark.parametrize(
    ("public_url", "warned", "cluster"),
    [
        ("http://192.0.2.1:5000", True, False),
        ("http://127.0.0.1:5000", False, False),
        (None, False, False),
        ("http://192.0.2.1", False, True),  # cluster mode: nginx's address, elsewhere
    ],
)
def test_init_warns_when_public_url_is_not_this_machine(
    tmp_path: Path, public_url: str | None, warned: bool, cluster: bool, request: Any
) -> None:
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = text.replace('data_dir = "../var/demo"', f'data_dir = "{tmp_path / "data"}"')
    if public_url:
        text = text.replace("[center]\n", f'[center]\npublic_url = "{public_url}"\n', 1)
    if cluster:
        url = request.getfixturevalue("pg_url").replace("+psycopg", "")
        text = re.sub(r'^url = "".*$', f'url = "{url}"', text, count=1, flags=re.M)
        text += '\n[api]\nsecret_key = "a-cluster-secret-of-at-least-32-characters"\n'
        text += '\n[cluster]\nredis_url = "redis://127.0.0.1:1/0"\n'  # not asked by init
    config = tmp_path / "center.toml"
    config.write_text(text, encoding="utf-8")
    env = {**os.environ, "XEPHANG_LANG": "vi"}
    env.pop("XEPHANG_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-m", "queue_server.cli", "init", "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert ("192.0.2.1 không phải là địa chỉ của máy này" in done.stderr) is warned, done.stderr

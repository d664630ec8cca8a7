"""The setup page tells systemd it has started (the unit is ``Type=notify``), as gunicorn
does once it serves the center; without ``$NOTIFY_SOCKET`` nothing is sent."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from queue_server.wizard.web import tell_systemd_ready


def test_ready_goes_to_the_socket_systemd_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = str(tmp_path / "notify")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as systemd:
        systemd.bind(address)
        systemd.settimeout(5)
        monkeypatch.setenv("NOTIFY_SOCKET", address)
        tell_systemd_ready()
        message = systemd.recv(1024).decode()
    assert message.splitlines()[0] == "READY=1"


def test_nothing_is_sent_outside_systemd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    tell_systemd_ready()  # no socket to write to: returns quietly

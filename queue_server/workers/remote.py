"""Run the device worker in its own process, fed by the server over Socket.IO.

For a counter PC that owns a serial port, and for cluster mode. On the first connect
the server sends a ``snapshot`` and the worker sets every board from it. On a reconnect
(to the same server process or another) the feed names the last ``seq`` it has and gets
the events it missed (print jobs included), then ``resumed``; or a snapshot when they
are no longer kept. A gap in the events' ``seq`` asks for a fresh snapshot. The
effective device settings (the file plus the admin pages' changes) are fetched on every
connect and after each ``settings_changed``.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import requests
import socketio

from queue_server.core.envelope import Envelope
from queue_server.core.events import SettingsChanged, event_type_named
from queue_server.workers.devices import DeviceWorker

log = logging.getLogger(__name__)


class RemoteFeed:
    """Connects a :class:`DeviceWorker` to a server's ``/devices`` namespace."""

    def __init__(self, worker: DeviceWorker, server: str, token: str | None = None) -> None:
        self.worker = worker
        self.server = server.rstrip("/")
        self.token = token
        self.last_seq = 0
        self.connected = threading.Event()
        self.snapshots = 0
        self.resumes = 0
        self.settings_reloads = 0
        self.unknown_events = 0  # names no event type of core/events.py has (logged)
        if worker.snapshot_source is None:  # rebuilt boards take the state from the API
            worker.snapshot_source = lambda: self._get("/api/v1/state") or {}
        self.client = socketio.Client(reconnection=True, reconnection_delay_max=5)
        self.client.on("connect", self._on_connect, namespace="/devices")
        self.client.on("disconnect", self._on_disconnect, namespace="/devices")
        self.client.on("snapshot", self._on_snapshot, namespace="/devices")
        self.client.on("resumed", self._on_resumed, namespace="/devices")
        self.client.on("batch", self._on_batch, namespace="/devices")
        self.client.on("*", self._on_event, namespace="/devices")  # every domain event

    def start(self) -> RemoteFeed:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        self.client.connect(
            self.server,
            namespaces=["/devices"],
            headers=headers,
            auth=self._auth,
            wait_timeout=10,
            retry=True,
        )
        return self

    def stop(self) -> None:
        self.client.disconnect()

    def _auth(self) -> dict[str, Any]:
        """Sent on every (re)connect: the token, and the last seq once there is one."""
        auth: dict[str, Any] = {"token": self.token} if self.token else {}
        if self.last_seq:
            auth["after"] = self.last_seq
        return auth

    def _on_connect(self) -> None:
        log.info("connected to %s", self.server)
        self._reload_settings()  # changes made on the admin pages while we were away
        self.connected.set()

    def _on_disconnect(self, *_args: Any) -> None:
        log.warning("lost the server; reconnecting")
        self.connected.clear()

    def _on_snapshot(self, snapshot: dict[str, Any]) -> None:
        self.snapshots += 1
        self.last_seq = int(snapshot.get("seq", 0))
        self.worker.resync(snapshot)

    def _on_resumed(self, _data: Any = None) -> None:
        self.resumes += 1

    def _on_batch(self, pairs: Any = None) -> None:
        """Several events in one frame (what was missed while away): one by one."""
        for pair in pairs if isinstance(pairs, list) else []:
            if isinstance(pair, list) and len(pair) == 2:
                self._on_event(pair[0], pair[1])

    def _on_event(self, name: str, data: Any = None) -> None:
        """A domain event: its wire name is mapped back to its type through the registry
        of ``core/events.py``; a name no type has is logged (and still counts in ``seq``)."""
        if not isinstance(data, dict):
            log.warning("event %r from the server has no payload object: ignored", name)
            return
        seq = self._count(data)
        if seq is None:
            return
        event_type = event_type_named(name)
        if event_type is None:
            self.unknown_events += 1
            log.warning("unknown event %r from the server: ignored", name)
            return
        self.worker.handle(Envelope(name, seq, data))
        if event_type is SettingsChanged:
            self._reload_settings()

    def _count(self, data: dict[str, Any]) -> int | None:
        """The event's seq (None: already had, e.g. in a snapshot or a resume); a gap
        before it takes the state from the API."""
        seq = int(data.get("seq", 0))
        if seq and seq <= self.last_seq:
            return None
        if self.last_seq and seq > self.last_seq + 1:
            self._refresh()
        self.last_seq = max(self.last_seq, seq)
        return seq

    def _get(self, path: str) -> Any:
        """JSON from the server's API, or None (logged) if it cannot be had."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = requests.get(f"{self.server}{path}", headers=headers, timeout=5)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            log.warning("could not read %s: %s", path, exc)
            return None

    def _refresh(self) -> None:
        """Events were missed: take the state from the API instead."""
        snapshot = self._get("/api/v1/state")
        if snapshot is not None:
            self._on_snapshot(snapshot)

    def _reload_settings(self) -> None:
        """The admin changed settings: rebuild from the server's effective device settings."""
        found = self._get("/api/v1/devices/settings")
        if not isinstance(found, dict) or not isinstance(found.get("sections"), dict):
            return
        try:
            settings = self.worker.settings.with_sections(found["sections"])
        except ValueError as exc:
            log.error("the server's device settings do not fit this machine's file: %s", exc)
            return
        self.worker.reconfigure(settings)  # rebuilt boards show the current numbers
        self.settings_reloads += 1

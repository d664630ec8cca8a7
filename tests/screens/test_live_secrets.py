"""Over real TCP: resync is limited per connection, and only a device token's worker
gets the tracking codes it prints (issue 12)."""

from __future__ import annotations

import json
import queue
import threading
import time
from pathlib import Path
from typing import Any

import socketio
from playwright.sync_api import Browser, expect

from queue_server.core.envelope import Envelope
from queue_server.web.resync import RESYNC_BURST, RESYNC_INTERVAL_S
from queue_server.workers.devices import DeviceWorker, build_devices
from queue_server.workers.remote import RemoteFeed

from .conftest import LiveServer

FLOOD = 2000


def test_a_resync_flood_gets_a_bounded_number_of_snapshots(server: LiveServer) -> None:
    """2,000 ``resync`` frames from one client: a handful of snapshots, and every other
    frame answered with ``retry_after`` (they used to be 2,000 snapshots, 11 MB)."""
    client = socketio.Client(reconnection=False)
    snapshot = threading.Event()
    client.on("snapshot", lambda _data: snapshot.set(), namespace="/display")
    client.connect(
        server.url,
        namespaces=["/display"],
        transports=["websocket"],  # polling caps a request at 16 packets
        auth={"token": server.token("display")},
        wait_timeout=5,
    )
    answers: queue.Queue[dict[str, Any]] = queue.Queue()
    try:
        assert snapshot.wait(5)
        started = time.monotonic()
        for _frame in range(FLOOD):
            client.emit("resync", namespace="/display", callback=answers.put)
        replies = [answers.get(timeout=60) for _frame in range(FLOOD)]
        elapsed = time.monotonic() - started
    finally:
        client.disconnect()
    snapshots = [reply for reply in replies if "counters" in reply]
    waits = [reply for reply in replies if set(reply) == {"retry_after"}]
    assert len(snapshots) + len(waits) == FLOOD
    assert RESYNC_BURST <= len(snapshots) <= RESYNC_BURST + elapsed / RESYNC_INTERVAL_S + 1
    assert all(1 <= reply["retry_after"] <= RESYNC_INTERVAL_S + 1 for reply in waits)
    assert len(json.dumps(replies)) < 200_000  # was 11 MB


def test_a_display_over_its_resync_limit_asks_again_and_stays_right(
    browser: Browser, server: LiveServer
) -> None:
    """Twelve quick settings changes make an open display ask for a snapshot after each:
    past the limit it is told to wait, asks again, and ends with the last notice and the
    live calls (a ``retry_after`` answer taken for a snapshot would break it)."""
    display = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    display.goto(f"{server.url}/display?token={server.token('display')}")
    expect(display.locator("#board li")).not_to_have_count(0)
    admin = server.token("admin")

    def dataset(name: str) -> int:
        return int(display.evaluate(f"document.body.dataset.{name} || '0'"))

    pause = threading.Event()
    changes = 12  # unthrottled only if they took over (12 - 5) * 2 s
    for change in range(1, changes + 1):
        notice = {"value": f"Thông báo số {change}"}
        saved = server.api("PUT", "/api/v1/admin/settings/center.notice", admin, notice)
        assert saved.status_code == 200, saved.text
        deadline = time.monotonic() + 5
        while dataset("resyncs") < change and time.monotonic() < deadline:
            pause.wait(0.02)  # a condition polled, not a sleep
    expect(display.locator("#notice")).to_have_text(f"Thông báo số {changes}", timeout=8000)
    assert dataset("resyncWaits") >= 1  # it was told to wait, and still got there

    issued = server.api("POST", "/api/v1/tickets", admin, {"service": "CT"}).json()
    called = server.api("POST", "/api/v1/counters/3/next", server.token("officer", 3), {})
    assert called.status_code == 200, called.text
    number = display.locator('#board [data-counter="3"] .d-board-number')
    expect(number).to_have_text(issued["number"], timeout=8000)
    display.context.close()


def _recording_worker(server: LiveServer, folder: Path) -> tuple[DeviceWorker, list[Envelope]]:
    settings = server.settings.model_copy(update={"data_dir": str(folder)})
    worker = DeviceWorker(settings, build_devices(settings)).start()
    seen: list[Envelope] = []
    handle = worker.handle

    def record(envelope: Envelope) -> None:
        seen.append(envelope)
        handle(envelope)

    worker.handle = record  # type: ignore[method-assign]
    return worker, seen


def test_only_a_device_token_gets_the_code_to_print(server: LiveServer, tmp_path: Path) -> None:
    """``xephang devices`` with a device token prints the QR code; with a display token
    (older set-ups) it still drives the boards and prints, without the code."""
    feeds = []
    try:
        for role in ("device", "display"):
            worker, seen = _recording_worker(server, tmp_path / role)
            feed = RemoteFeed(worker, server.url, server.token(role)).start()
            feeds.append((role, feed, worker, seen))
            assert feed.connected.wait(10)
        issued = server.api("POST", "/api/v1/tickets", server.token("kiosk"), {"service": "CT"})
        assert issued.status_code == 201, issued.text
        ticket = issued.json()
        codes = {}
        for role, _feed, _worker, seen in feeds:
            deadline, pause = time.monotonic() + 5, threading.Event()
            while not any(e.name == "ticket_issued" for e in seen) and time.monotonic() < deadline:
                pause.wait(0.05)  # a condition polled, not a sleep
            (event,) = [e for e in seen if e.name == "ticket_issued"]
            assert event.payload["ticket"]["number"] == ticket["number"]
            codes[role] = event.payload["ticket"].get("track_code")
        assert codes == {"device": ticket["track_code"], "display": None}
    finally:
        for _role, feed, worker, _seen in feeds:
            feed.stop()
            worker.stop()

"""``xephang devices`` as a first-class member: it follows a real server over Socket.IO,
prints, and reports the job states and its devices' status back over HTTP."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest
import requests
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from queue_server.auth.tokens import create_token
from queue_server.core.bootstrap import open_queue
from queue_server.core.db import Database
from queue_server.core.leases import leases
from queue_server.core.operations import Queue
from queue_server.runtime import start_app
from queue_server.settings import Settings
from queue_server.web.devices import PrintJobRecorder
from queue_server.web.state import runtime_of
from queue_server.workers.center_api import ApiLink, JobReporter
from queue_server.workers.device_keys import printer_key
from queue_server.workers.devices import DeviceWorker, build_devices
from queue_server.workers.leased import DatabaseLink
from queue_server.workers.remote import RemoteFeed
from tests.cluster.cluster_rig import REPO, free_port
from xephang.devices.printer import FailureReason, JobState, PrintJob, TicketPrintout


def wait_for(condition: Callable[[], object], within_s: float = 10.0) -> None:
    deadline = time.monotonic() + within_s
    while not condition():
        assert time.monotonic() < deadline, f"not true within {within_s} s"
        time.sleep(0.02)


@dataclass
class Served:
    app: Flask
    queue: Queue
    port: int
    server: BaseWSGIServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def serve(self) -> Served:
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def token(self, role: str, **options: Any) -> str:
        secret, _info = create_token(self.queue.db, role, **options)
        return secret

    def api(self, method: str, path: str, token: str, body: Any = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"}
        return requests.request(method, self.url + path, json=body, headers=headers, timeout=10)


@pytest.fixture
def served(settings: Settings, tmp_path: Path) -> Iterator[Served]:
    """A server that drives no device itself (``[devices] worker = "external"``)."""
    devices = settings.devices.model_copy(update={"worker": "external", "lease_s": 0.9})
    settings = settings.model_copy(update={"devices": devices})
    queue = open_queue(settings, db=Database(f"sqlite:///{tmp_path / 'center.db'}"))
    app = start_app(settings, queue=queue, testing=True)
    served = Served(app, queue, free_port())
    yield served
    if served.server is not None:
        served.server.shutdown()
    runtime_of(app).stop()
    queue.db.dispose()


def remote_worker(settings: Settings, url: str, token: str) -> tuple[DeviceWorker, JobReporter]:
    link = ApiLink(url, token)
    reporter = JobReporter(link).start()
    devices = build_devices(settings, on_print_job=reporter.record, leased=True)
    return DeviceWorker(settings, devices, link=link).start(), reporter


def test_a_remote_worker_prints_and_the_server_records_what_became_of_each_ticket(
    served: Served, settings: Settings, tmp_path: Path
) -> None:
    served.serve()
    device = served.token("device")
    remote = settings.model_copy(update={"data_dir": str(tmp_path / "counter-pc")})
    remote = remote.model_copy(update={"devices": runtime_of(served.app).settings.devices})
    worker, reporter = remote_worker(remote, served.url, device)
    feed = RemoteFeed(worker, served.url, device).start()
    try:
        assert feed.connected.wait(10)
        kiosk = served.token("kiosk", name="kiosk-1")
        ticket = served.api("POST", "/api/v1/tickets", kiosk, {"service": "HT"}).json()
        desk = served.token("admin")

        def job() -> dict[str, Any] | None:
            path = f"/api/v1/tickets/{ticket['id']}/print-jobs"
            jobs = served.api("GET", path, desk).json()["jobs"]
            return jobs[0] if jobs else None

        wait_for(lambda: (job() or {}).get("state") == "confirmed")
        assert job() == {**cast(dict[str, Any], job()), "kiosk": "kiosk-1", "attempts": 1}
        printed = list((tmp_path / "counter-pc" / "tickets" / "kiosk-1").glob("*.png"))
        assert len(printed) == 1  # on the counter PC's printer, not the server's

        def devices() -> dict[str, Any]:
            return dict(requests.get(served.url + "/api/v1/readyz", timeout=5).json()["devices"])

        wait_for(lambda: devices().get("led:rs485", {}).get("ok"))  # the boards answered
        ready = devices()
        assert worker.duties is not None
        printer = ready["printer:kiosk-1"]
        assert (printer["ok"], printer["stale"], printer["state"]) == (True, False, "online")
        assert printer["reported_by"] == worker.duties.holder and printer["age_s"] < 5
        assert ready["led:rs485"]["reported_by"] == worker.duties.holder
        assert 3 in ready["led:rs485"]["counters"]
        # The kiosk following its job sees the printer as the counter PC reported it.
        followed = served.api("GET", f"/api/v1/print-jobs/{ticket['id']}", kiosk).json()
        assert followed["printer"]["state"] == "online" and followed["job"]["state"] == "confirmed"
        worker.stop()  # a clean stop withdraws the reports; the printer is free
        reporter.stop()
        assert "printer:kiosk-1" not in devices()
    finally:
        worker.stop()
        reporter.stop()
        assert served.server is not None
        served.server.shutdown()  # before the socket's goodbye, which takes seconds here
        served.server = None
        feed.stop()


def job(job_id: str, state: JobState, reason: FailureReason | None = None) -> PrintJob:
    printout = cast(TicketPrintout, None)  # the reporter sends states, never the ticket
    now = datetime.now(UTC)
    return PrintJob(job_id, printout, state, attempts=1, reason=reason, updated_at=now)


def test_job_states_wait_for_a_server_that_is_away_and_the_latest_is_sent(
    served: Served,
) -> None:
    first = served.queue.issue("HT", channel="kiosk", kiosk="kiosk-1").value.id
    second = served.queue.issue("HT", channel="kiosk", kiosk="kiosk-1").value.id
    reporter = JobReporter(ApiLink(served.url, served.token("device"), timeout_s=1)).start()
    try:  # nothing listens on the server's port yet
        reporter.record("kiosk-1", job(str(first), JobState.QUEUED))
        reporter.record("kiosk-1", job(str(second), JobState.QUEUED))
        reporter.record("kiosk-1", job(str(first), JobState.CONFIRMED))
        reporter.record("kiosk-1", job(str(second), JobState.FAILED, FailureReason.PAPER_OUT))
        assert reporter.pending == 2 and reporter.sent == 0
        served.serve()
        wait_for(lambda: reporter.pending == 0)
    finally:
        reporter.stop()
    desk = served.token("admin")
    for ticket, expected in ((first, ("confirmed", None)), (second, ("failed", "paper_out"))):
        [found] = served.api("GET", f"/api/v1/tickets/{ticket}/print-jobs", desk).json()["jobs"]
        assert (found["state"], found["reason"]) == expected


def test_the_reporter_keeps_only_the_latest_jobs_while_away(served: Served) -> None:
    reporter = JobReporter(ApiLink(served.url, "xp_none", timeout_s=0.2), limit=2)
    for number in ("1", "2", "3"):
        reporter.record("kiosk-1", job(number, JobState.QUEUED))
    assert (reporter.pending, reporter.dropped) == (2, 1)


def report(state: str = "confirmed", **extra: Any) -> dict[str, Any]:
    return {"kiosk": "kiosk-1", "state": state, "attempts": 1, **extra}


def test_the_report_routes_check_their_input_and_the_role(served: Served) -> None:
    client = served.app.test_client()
    ticket = served.queue.issue("HT", channel="kiosk", kiosk="kiosk-1").value.id

    def post(path: str, token: str, body: Any, method: str = "POST") -> Any:
        headers = {"Authorization": f"Bearer {token}"}
        return client.open(path, method=method, json=body, headers=headers)

    device = served.token("device")
    assert post(f"/api/v1/print-jobs/{ticket}", device, report()).status_code == 200
    for role, counter in (("kiosk", None), ("display", None), ("officer", 1), ("rating", 1)):
        token = served.token(role, counter=counter)
        refused = post(f"/api/v1/print-jobs/{ticket}", token, report())
        assert refused.status_code == 403 and "error" in refused.get_json(), role
        assert post("/api/v1/devices/status", token, {}, "PUT").status_code == 403, role
        assert post("/api/v1/devices/leases", token, {}).status_code == 403, role
    bad = {
        "abc": report(),
        f"{ticket}": report("printed"),
        f"{ticket}-x": report(),
        f"{ticket} ": report(at="2026-12-01T10:00:00"),  # no time zone
    }
    for job_id, body in bad.items():
        answer = post(f"/api/v1/print-jobs/{job_id.strip()}", device, body)
        assert answer.status_code == 400 and answer.get_json()["error"], (job_id, body)
    unknown = post(f"/api/v1/print-jobs/{ticket}", device, report(kiosk="kiosk-9"))
    assert unknown.status_code == 400 and unknown.get_json()["field"] == "kiosk"
    assert post("/api/v1/print-jobs/999999", device, report()).status_code == 404
    kept = post(f"/api/v1/print-jobs/{ticket}", device, report("failed", if_absent=True))
    assert kept.get_json()["recorded"] is False and kept.get_json()["job"]["state"] == "confirmed"
    status = {"reporter": "w", "interval_s": 1, "devices": {"printer:kiosk-1": {"ok": "yes"}}}
    assert post("/api/v1/devices/status", device, status, "PUT").status_code == 400
    named = {"reporter": "w", "interval_s": 1, "devices": {"scanner": {"ok": True}}}
    assert post("/api/v1/devices/status", device, named, "PUT").status_code == 400
    lease = {"holder": "w", "ttl_s": 0.01, "claims": [{"key": "tcp:x:1"}]}
    assert post("/api/v1/devices/leases", device, lease).status_code == 400


XEPHANG = str(Path(sys.executable).parent / "xephang")


def test_a_killed_devices_process_is_replaced_and_the_next_ticket_prints_once(
    served: Served, settings: Settings, tmp_path: Path
) -> None:
    """``xephang devices`` drives the printer; ``kill -9`` it, and this machine's other
    worker (the server's own, here in the test process) takes the printer over."""
    served.serve()
    data = Path(settings.data_dir)
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = re.sub(r"^data_dir = .*$", f'data_dir = "{data}"', text, flags=re.M)
    config = tmp_path / "counter-pc.toml"
    config.write_text(text + '\n[devices]\nworker = "external"\nlease_s = 2.0\n', "utf-8")
    command = [XEPHANG, "devices", "--server", served.url, "--config", str(config)]
    env = {**os.environ, "XEPHANG_TOKEN": served.token("device"), "XEPHANG_LANG": "en"}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    runtime = runtime_of(served.app)
    key = printer_key(runtime.settings, runtime.settings.kiosks[0])
    worker: DeviceWorker | None = None
    try:
        wait_for(lambda: any(s.key == key and s.holder for s in leases(served.queue.db)), 30)
        [holder] = [s.holder for s in leases(served.queue.db) if s.key == key]
        assert holder is not None and f":{process.pid}:" in holder
        recorder = PrintJobRecorder(served.queue.db)
        devices = build_devices(runtime.settings, on_print_job=recorder.record, leased=True)
        link = DatabaseLink(served.queue.db, served.queue.clock)
        worker = DeviceWorker(runtime.settings, devices, link=link).start()
        runtime.relay.subscribe(worker.handle)
        kiosk, admin = served.token("kiosk", name="kiosk-1"), served.token("admin")

        def state(ticket: int) -> str | None:
            jobs = served.api("GET", f"/api/v1/tickets/{ticket}/print-jobs", admin).json()["jobs"]
            return jobs[0]["state"] if jobs else None

        first = served.api("POST", "/api/v1/tickets", kiosk, {"service": "HT"}).json()["id"]
        wait_for(lambda: state(first) == "confirmed", 20)  # printed by xephang devices
        assert worker.duties is not None and not worker.duties.drives(key)
        process.kill()  # kill -9: no release, no goodbye
        process.wait(10)
        wait_for(lambda: worker is not None and worker.duties is not None
                 and worker.duties.drives(key))  # fmt: skip
        second = served.api("POST", "/api/v1/tickets", kiosk, {"service": "HT"}).json()["id"]
        wait_for(lambda: state(second) == "confirmed")
        assert len(list((data / "tickets" / "kiosk-1").glob("*.png"))) == 2
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        if worker is not None:
            worker.stop()

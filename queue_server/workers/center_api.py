"""``xephang devices`` talks to the server over its API with the device token.

:class:`ApiLink` claims and renews leases and reports the devices' status
(``/api/v1/devices/leases``, ``/api/v1/devices/status``). :class:`JobReporter` sends
every print job's state change (``POST /api/v1/print-jobs/<id>``) from a thread of
its own: while the server does not answer it keeps the latest state of each job (at
most ``limit`` jobs, the oldest dropped first, logged) and sends them when it answers
again, oldest change first.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import requests

from queue_server.core.leases import Claim, LeaseState
from queue_server.core.printjobs import is_slip_job
from xephang.devices.printer import PrintJob

log = logging.getLogger(__name__)

TIMEOUT_S = 5.0
PENDING_JOBS = 1000  # job states kept while the server does not answer
RETRY_S = (0.5, 5.0)  # first and longest wait between tries


class ServerError(RuntimeError):
    """The server answered with an error (``status``), or not at all (None)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def refused(self) -> bool:
        """Refused for good: sending it again would not help (not 401, 403, 429)."""
        return (
            self.status is not None
            and 400 <= self.status < 500
            and self.status not in (401, 403, 429)
        )


class ApiLink:
    """A :class:`queue_server.workers.leased.CenterLink` over the server's API."""

    def __init__(self, server: str, token: str | None, timeout_s: float = TIMEOUT_S) -> None:
        self.server = server.rstrip("/")
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout_s = timeout_s

    def send(self, method: str, path: str, body: dict[str, Any]) -> Any:
        """The JSON answer; :class:`ServerError` for no answer or a 4xx/5xx one."""
        try:
            response = self.session.request(
                method, f"{self.server}/api/v1{path}", json=body, timeout=self.timeout_s
            )
        except requests.RequestException as exc:
            raise ServerError(str(exc)) from exc
        if response.status_code >= 400:
            message = f"{response.status_code} {response.text[:200]}"
            raise ServerError(message, response.status_code)
        return response.json()

    def claim(self, holder: str, ttl_s: float, claims: Sequence[Claim]) -> list[LeaseState]:
        body = {
            "holder": holder,
            "ttl_s": ttl_s,
            "claims": [
                {"key": c.key, "take_over": c.take_over, "kiosks": list(c.kiosks)} for c in claims
            ],
        }
        answer = self.send("POST", "/devices/leases", body)
        return [
            LeaseState(
                key=lease["key"],
                holder=lease["holder"],
                version=int(lease["version"]),
                ttl_s=float(lease["ttl_s"]),
                held=bool(lease["held"]),
                gained=bool(lease["gained"]),
            )
            for lease in answer["leases"]
        ]

    def release(self, holder: str, keys: Sequence[str]) -> None:
        self.send("POST", "/devices/leases", {"holder": holder, "ttl_s": 1, "release": list(keys)})

    def report_status(
        self, reporter: str, interval_s: float, reports: dict[str, Any], gone: Sequence[str]
    ) -> None:
        body = {"reporter": reporter, "interval_s": interval_s, "devices": reports}
        self.send("PUT", "/devices/status", body | {"gone": list(gone)})

    def record_missing(self, jobs: Sequence[tuple[str, str]]) -> None:
        for job_id, kiosk in jobs:
            body = {"kiosk": kiosk, "state": "failed", "reason": "no_driver", "if_absent": True}
            self.send("POST", f"/print-jobs/{job_id}", body | {"detail": NO_DRIVER})


NO_DRIVER = "no device worker drove this printer"


def job_body(kiosk: str, job: PrintJob) -> dict[str, Any]:
    """A spooler's job change as ``POST /print-jobs/<id>`` takes it."""
    return {
        "kiosk": kiosk,
        "state": job.state.value,
        "reason": job.reason.value if job.reason else None,
        "detail": job.detail[:500],
        "attempts": min(job.attempts, 1000),
        "awaiting_recovery": job.awaiting_recovery,
        "at": job.updated_at.isoformat(),
    }


class JobReporter:
    """Sends print job states to the server in order, keeping them while it is away."""

    def __init__(self, link: ApiLink, limit: int = PENDING_JOBS) -> None:
        self.link = link
        self.limit = limit
        self.sent = 0
        self.dropped = 0
        self._pending: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._changed = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def record(self, kiosk: str, job: PrintJob) -> None:
        """The spooler's ``on_change``: never blocks on the network."""
        if is_slip_job(job.id):
            return  # an appointment slip: the server records only tickets' jobs
        with self._changed:
            self._pending.pop(job.id, None)  # the latest change goes last
            self._pending[job.id] = job_body(kiosk, job)
            while len(self._pending) > self.limit:
                lost, _body = self._pending.popitem(last=False)
                self.dropped += 1
                log.warning("print job %s: state not kept (server away too long)", lost)
            self._changed.notify_all()

    @property
    def pending(self) -> int:
        with self._changed:
            return len(self._pending)

    def start(self) -> JobReporter:
        self._thread = threading.Thread(target=self._run, name="xephang-jobs", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after sending what can be sent within ``timeout``."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        wait = RETRY_S[0]
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._pending or self._stopping)
                if not self._pending:
                    return
                job_id, body = next(iter(self._pending.items()))
            if self._send(job_id, body):
                wait = RETRY_S[0]
                continue
            with self._changed:
                if self._stopping:
                    return
                self._changed.wait(wait)  # woken early by a new change: tried again
            wait = min(wait * 2, RETRY_S[1])

    def _send(self, job_id: str, body: dict[str, Any]) -> bool:
        """True when the server took it (or refused it for good: 4xx, logged)."""
        try:
            self.link.send("POST", f"/print-jobs/{job_id}", body)
        except ServerError as exc:
            if not exc.refused:
                log.warning("print job %s: state not sent yet: %s", job_id, exc)
                return False
            log.error("print job %s: the server refused its state: %s", job_id, exc)
        with self._changed:
            if self._pending.get(job_id) is body:  # not changed meanwhile
                del self._pending[job_id]
            self.sent += 1
        return True

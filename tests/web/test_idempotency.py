"""Idempotency-Key: a repeated POST returns the first result and calls nobody new."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, insert, select

from queue_server.auth.tokens import principal_for_token
from queue_server.core.clock import FrozenClock
from queue_server.core.models import IdempotencyRecord, Ticket
from queue_server.core.operations import Queue
from queue_server.settings import Settings
from queue_server.web.idempotency import CLAIM_LEASE
from tests.conftest import DEMO_CONFIG

TokenMaker = Callable[..., dict[str, str]]


def _issue(client: FlaskClient, headers: dict[str, str], count: int) -> None:
    for _ in range(count):
        assert (
            client.post("/api/v1/tickets", json={"service": "HT"}, headers=headers).status_code
            == 201
        )


def test_repeated_call_next_calls_nobody_new(
    client: FlaskClient, token: TokenMaker, queue: Queue
) -> None:
    _issue(client, token("admin"), 3)
    officer = token("officer", counter=2)
    first = client.post("/api/v1/counters/2/next", headers={**officer, "Idempotency-Key": "k-1"})
    again = client.post("/api/v1/counters/2/next", headers={**officer, "Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 200
    assert first.get_json() == again.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(queue.waiting_for_counter(2)) == 2  # only one ticket was called

    other = client.post("/api/v1/counters/2/next", headers={**officer, "Idempotency-Key": "k-2"})
    assert other.get_json()["ticket"]["id"] != first.get_json()["ticket"]["id"]
    assert len(queue.waiting_for_counter(2)) == 1


def test_keys_are_scoped_per_token_and_request(
    client: FlaskClient, token: TokenMaker, queue: Queue
) -> None:
    _issue(client, token("admin"), 3)
    one = token("officer", counter=2, **{"Idempotency-Key": "same"})
    two = token("officer", counter=2, **{"Idempotency-Key": "same"})
    a = client.post("/api/v1/counters/2/next", headers=one).get_json()
    b = client.post("/api/v1/counters/2/next", headers=two).get_json()
    assert a["ticket"]["id"] != b["ticket"]["id"]
    misuse = client.post("/api/v1/counters/2/recall", headers=one)
    assert misuse.status_code == 422
    assert "error" in misuse.get_json()


def test_empty_result_is_replayed_and_errors_are_not_stored(
    client: FlaskClient, token: TokenMaker
) -> None:
    officer = token("officer", counter=3, **{"Idempotency-Key": "nobody"})
    assert client.post("/api/v1/counters/3/next", headers=officer).status_code == 204
    replay = client.post("/api/v1/counters/3/next", headers=officer)
    assert replay.status_code == 204 and replay.headers["Idempotent-Replayed"] == "true"

    recall = token("officer", counter=3, **{"Idempotency-Key": "r"})
    assert client.post("/api/v1/counters/3/recall", headers=recall).status_code == 409
    client.post("/api/v1/tickets", json={"service": "CT"}, headers=token("admin"))
    client.post("/api/v1/counters/3/next", headers=token("officer", counter=3))
    assert client.post("/api/v1/counters/3/recall", headers=recall).status_code == 200


def test_keys_expire_after_a_day(
    client: FlaskClient, token: TokenMaker, clock: FrozenClock, queue: Queue
) -> None:
    _issue(client, token("admin"), 2)
    officer = token("officer", counter=2, lifetime=None, **{"Idempotency-Key": "daily"})
    assert client.post("/api/v1/counters/2/next", headers=officer).status_code == 200
    clock.advance(hours=23)
    assert client.post("/api/v1/counters/2/next", headers=officer).headers["Idempotent-Replayed"]
    clock.advance(hours=2)
    later = client.post("/api/v1/counters/2/next", headers=officer)
    assert "Idempotent-Replayed" not in later.headers  # a new request, not a replay


def test_invalid_key_is_a_400(client: FlaskClient, token: TokenMaker) -> None:
    response = client.post(
        "/api/v1/counters/2/next",
        headers={**token("officer", counter=2), "Idempotency-Key": "x" * 201},
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == "Idempotency-Key"


def test_concurrent_duplicates_call_once(app: Flask, token: TokenMaker, queue: Queue) -> None:
    client = app.test_client()
    _issue(client, token("admin"), 5)
    headers = token("officer", counter=2, **{"Idempotency-Key": "race"})
    statuses: list[int] = []
    ids: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(6)

    def press() -> None:
        start.wait(timeout=10)
        response = app.test_client().post("/api/v1/counters/2/next", headers=headers)
        with lock:
            statuses.append(response.status_code)
            if response.status_code == 200:
                ids.append(response.get_json()["ticket"]["id"])

    threads = [threading.Thread(target=press) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert set(statuses) <= {200, 409}
    assert len(set(ids)) == 1
    assert len(queue.waiting_for_counter(2)) == 4


CLAIMANT = """
import sys, time
from datetime import datetime
from queue_server.core.db import Database
from queue_server.web.idempotency import _claim
url, scope, key, fingerprint, now = sys.argv[1:]
assert _claim(Database(url), scope, key, fingerprint, datetime.fromisoformat(now)) is None
print("claimed", flush=True)
time.sleep(600)  # "mid-request": killed with SIGKILL by the test
"""


def _officer_scope(queue: Queue, headers: dict[str, str]) -> str:
    principal = principal_for_token(
        queue.db, headers["Authorization"].removeprefix("Bearer "), queue.clock.now()
    )
    assert principal is not None
    return principal.scope


def test_a_claim_of_a_killed_process_does_not_block_a_retry(
    client: FlaskClient, token: TokenMaker, queue: Queue, db_url: str
) -> None:
    """``kill -9`` mid-request: the retry runs instead of a day of 409 'still running'."""
    _issue(client, token("admin"), 2)
    officer = token("officer", counter=2, **{"Idempotency-Key": "crash"})
    scope = _officer_scope(queue, officer)
    fingerprint = "POST /api/v1/counters/2/next"
    now = queue.clock.now().isoformat()
    claimant = subprocess.Popen(
        [sys.executable, "-c", CLAIMANT, db_url, scope, "crash", fingerprint, now],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert claimant.stdout is not None
        assert claimant.stdout.readline().strip() == "claimed"
        still_running = client.post("/api/v1/counters/2/next", headers=officer)
        assert still_running.status_code == 409  # its owner is alive: really still running
    finally:
        claimant.send_signal(signal.SIGKILL)
        claimant.wait(timeout=30)
    retry = client.post("/api/v1/counters/2/next", headers=officer)
    assert retry.status_code == 200, retry.get_json()
    assert "Idempotent-Replayed" not in retry.headers
    again = client.post("/api/v1/counters/2/next", headers=officer)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == retry.get_json()
    assert len(queue.waiting_for_counter(2)) == 1


def test_a_claim_from_another_host_is_taken_over_after_the_lease(
    client: FlaskClient, token: TokenMaker, queue: Queue, clock: FrozenClock
) -> None:
    _issue(client, token("admin"), 2)
    officer = token("officer", counter=2, **{"Idempotency-Key": "elsewhere"})
    with queue.db.write() as conn:
        conn.execute(
            insert(IdempotencyRecord).values(
                scope=_officer_scope(queue, officer),
                key="elsewhere",
                request="POST /api/v1/counters/2/next",
                created_at=clock.now(),
                body={"claim": {"host": "another-node", "pid": 1, "start": 1}},
            )
        )
    assert client.post("/api/v1/counters/2/next", headers=officer).status_code == 409
    clock.advance(seconds=CLAIM_LEASE.total_seconds() + 1)
    assert client.post("/api/v1/counters/2/next", headers=officer).status_code == 200


KILLED_SERVER = """
import sys, time
from datetime import datetime
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.settings import load_settings
from queue_server.web.api import tickets
from queue_server.runtime import start_app
config, data_dir, url, now, secret = sys.argv[1:]
settings = load_settings(config).model_copy(update={"data_dir": data_dir})
clock = FrozenClock(datetime.fromisoformat(now))
queue = open_queue(settings, clock=clock, db=Database(url), migrate=False, sync=False)
app = start_app(settings, queue=queue, testing=True)

def stuck(*args, **kwargs):  # the ticket is made; the process dies before answering
    print("issued", flush=True)
    time.sleep(600)

tickets.jsonify = stuck
app.test_client().post(
    "/api/v1/tickets",
    json={"service": "HT"},
    headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "power-cut"},
)
"""


def test_a_request_killed_after_its_change_leaves_no_orphan_and_the_retry_runs_once(
    client: FlaskClient, token: TokenMaker, queue: Queue, db_url: str, settings: Settings
) -> None:
    """SIGKILL between the ticket's insert and the answer: the change and the stored
    answer commit together, so there is no ticket without an answer; the retry makes
    exactly one ticket."""
    kiosk = token("kiosk", **{"Idempotency-Key": "power-cut"})
    secret = kiosk["Authorization"].removeprefix("Bearer ")
    arguments = [str(DEMO_CONFIG), settings.data_dir, db_url, queue.clock.now().isoformat(), secret]
    server = subprocess.Popen(
        [sys.executable, "-c", KILLED_SERVER, *arguments],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        assert server.stdout.readline().strip() == "issued"
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
    with queue.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(Ticket)).scalar_one() == 0
    retry = client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)
    assert retry.status_code == 201, retry.get_json()
    replay = client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json() == retry.get_json()
    with queue.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(Ticket)).scalar_one() == 1

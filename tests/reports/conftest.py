"""A known day at the demo center, played with a frozen clock so every answer is exact.

Monday 2026-11-23 (local time, Asia/Ho_Chi_Minh):

=====  ========  ==========  ======================================================
id     service   priority    story
=====  ========  ==========  ======================================================
T1     HT        —           issued 09:00, counter 2 calls 09:08 (wait 480 s),
                             serving 09:09, done 09:15 (service 360 s)
T2     HT        elderly     issued 09:01, counter 2 calls 09:05 (wait 240 s),
                             serving 09:06, done 09:08 (service 120 s)
T3     CT        disabled    issued 09:02, counter 3 calls 09:05 (wait 180 s),
                             never "serving", done 09:10 (service 300 s from the call)
T4     CT        —           issued 09:03, counter 3 calls 09:10 (wait 420 s),
                             serving 09:10, done 09:11 (service 60 s)
T5     HT        —           issued 09:04, cancelled 09:20
T6     CT        elderly     issued 10:00, counter 3 calls 10:05 (wait 300 s), no-show 10:07
=====  ========  ==========  ======================================================

Tuesday 2026-11-24: T7 HT, issued 08:30, counter 2 calls 08:32 (wait 120 s), serving
08:33, done 08:43 (service 600 s). Counter 2's calls are made by officer "Nguyễn Thị Lan".
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from queue_server.auth.users import add_user, session_version
from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.relay import Relay
from queue_server.runtime import start_app
from queue_server.settings import Settings
from queue_server.web.security import VERSION_KEY

OFFICER = "Nguyễn Thị Lan"
Play = Callable[[Queue, FrozenClock], None]


def at(clock: FrozenClock, day: int, hour: int, minute: int) -> None:
    """Move the frozen clock to a local (UTC+7) time in November 2026."""
    clock.set(datetime(2026, 11, day, hour - 7, minute, tzinfo=UTC))


def play_known_days(queue: Queue, clock: FrozenClock) -> None:
    officer = add_user(queue.db, "lan", "officer", "mat-khau-123", display_name=OFFICER)

    def issue(service: str, priority: str | None = None) -> int:
        return queue.issue(service, priority).value.id

    at(clock, 23, 9, 0)
    t1 = issue("HT")
    at(clock, 23, 9, 1)
    t2 = issue("HT", "elderly")
    at(clock, 23, 9, 2)
    t3 = issue("CT", "disabled")
    at(clock, 23, 9, 3)
    t4 = issue("CT")
    at(clock, 23, 9, 4)
    t5 = issue("HT")
    at(clock, 23, 9, 5)
    queue.call_ticket(2, t2, officer_id=officer)
    queue.call_ticket(3, t3)
    at(clock, 23, 9, 6)
    queue.start_serving(2)
    at(clock, 23, 9, 8)
    queue.finish(2)
    queue.call_ticket(2, t1, officer_id=officer)
    at(clock, 23, 9, 9)
    queue.start_serving(2)
    at(clock, 23, 9, 10)
    queue.finish(3)
    queue.call_ticket(3, t4)
    queue.start_serving(3)
    at(clock, 23, 9, 11)
    queue.finish(3)
    at(clock, 23, 9, 15)
    queue.finish(2)
    at(clock, 23, 9, 20)
    queue.cancel(t5)
    at(clock, 23, 10, 0)
    t6 = issue("CT", "elderly")
    at(clock, 23, 10, 5)
    queue.call_ticket(3, t6)
    at(clock, 23, 10, 7)
    queue.no_show(3)

    at(clock, 24, 8, 30)
    t7 = issue("HT")
    at(clock, 24, 8, 32)
    queue.call_ticket(2, t7, officer_id=officer)
    at(clock, 24, 8, 33)
    queue.start_serving(2)
    at(clock, 24, 8, 43)
    queue.finish(2)


@pytest.fixture
def play() -> Play:
    return play_known_days


# --- the web side of the reports: the real app on the parametrised database ---
STAFF_PASSWORD = "mat-khau-dai-123"


@pytest.fixture
def bus() -> Relay:
    return Relay()


@pytest.fixture
def app(settings: Settings, queue: Queue, bus: Relay) -> Flask:
    return start_app(settings, queue=queue, relay=bus, testing=True)


def client_as(app: Flask, role: str) -> tuple[FlaskClient, dict[str, str]]:
    """A client signed in (session cookie) as a new user of ``role``, and its CSRF header."""
    queue: Queue = app.extensions["xephang"].queue
    user_id = add_user(queue.db, f"{role}-{secrets.token_hex(3)}", role, STAFF_PASSWORD)
    client = app.test_client()
    with client.session_transaction() as session:
        session["user_id"] = user_id
        session[VERSION_KEY] = session_version(queue.db, user_id)
        session["csrf"] = csrf = secrets.token_urlsafe(16)
    return client, {"X-CSRF-Token": csrf}

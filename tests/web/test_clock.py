"""The clock after a power cut (docs/outages.md): a clock that jumped back or far forward
refuses issuing and calling until it is right again or an admin confirms it; a day's
numbering is never started again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import select

from queue_server.cli.main import main
from queue_server.core.audit import audit_entries
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.clockguard import ClockConfig, ClockSuspect
from queue_server.core.db import Database
from queue_server.core.maintenance import MaintenancePlan, maintain_if_due
from queue_server.core.models import Ticket
from queue_server.core.operations import Queue
from queue_server.runtime import start_app
from queue_server.settings import Settings, load_settings

from ..reports.test_cli import write_config
from .conftest import CSRF_FIELD, make_token_maker, sign_in

MONDAY_9 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 local
BEHIND = "Đồng hồ của máy chủ đang chậm hơn"  # the center speaks Vietnamese
AHEAD = "Đồng hồ của máy chủ đang nhanh hơn nhiều"


@pytest.fixture
def guarded(settings: Settings, db_url: str, clock: FrozenClock) -> Iterator[Queue]:
    """The demo center's queue with the clock guard on (the default)."""
    on = settings.model_copy(update={"clock": ClockConfig()})
    database = Database(db_url)
    queue = open_queue(on, clock=clock, db=database)
    yield queue
    database.dispose()


def numbers(queue: Queue) -> list[tuple[str, str]]:
    with queue.db.read() as conn:
        rows = conn.execute(select(Ticket.day, Ticket.number).order_by(Ticket.id)).all()
    return [(day.isoformat(), number) for day, number in rows]


def actions(queue: Queue) -> list[str]:
    return [e.action for e in audit_entries(queue.db) if e.action.startswith("clock.")]


def test_back_and_forward_refused_until_confirmed_and_no_number_reused(
    settings: Settings, guarded: Queue, clock: FrozenClock
) -> None:
    queue = guarded
    app = start_app(settings.model_copy(update={"clock": ClockConfig()}), queue=queue, testing=True)
    client: FlaskClient = app.test_client()
    token = make_token_maker(queue)
    kiosk, officer, admin = token("kiosk"), token("officer", counter=2), token("admin")
    issue = lambda: client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)  # noqa: E731
    assert [issue().get_json()["number"] for _ in range(2)] == ["B001", "B002"]
    clock.advance(days=1)  # Tuesday
    assert issue().get_json()["number"] == "B001"

    # The clock goes back to Monday afternoon: nothing is issued or called.
    clock.set(MONDAY_9 + timedelta(hours=6))
    refused = issue()
    assert refused.status_code == 503
    assert refused.get_json()["error"].startswith(BEHIND)
    assert refused.get_json()["reason"] == "clock"
    assert refused.headers["Retry-After"] == "60"
    called = client.post("/api/v1/counters/2/next", headers=officer)
    assert called.status_code == 503 and called.get_json()["reason"] == "clock"
    state = client.get("/api/v1/clock", headers=admin).get_json()
    assert state["suspect"] is True and state["kind"] == "behind"
    assert state["detected"]["kind"] == "behind"
    assert actions(queue) == ["clock.suspect"]

    # An admin confirms: issuing resumes on Monday, whose numbering goes on (B003).
    browser = "2026-11-23T08:00:05+00:00"
    confirmed = client.post("/api/v1/clock/confirm", json={"browser_time": browser}, headers=admin)
    assert confirmed.status_code == 200 and confirmed.get_json()["suspect"] is False
    assert issue().get_json()["number"] == "B003"
    assert client.post("/api/v1/counters/2/next", headers=officer).status_code == 200
    entry = audit_entries(queue.db, "clock.confirmed")[-1]
    assert entry.detail["browser_time"] == browser and entry.detail["was"]["kind"] == "behind"

    # Far forward while running: noticed on the issue path, then right again by itself.
    clock.advance(days=30)
    refused = issue()
    assert refused.status_code == 503 and refused.get_json()["error"].startswith(AHEAD)
    clock.advance(days=-30, minutes=5)
    assert issue().get_json()["number"] == "B004"
    assert actions(queue) == [
        "clock.suspect",
        "clock.confirmed",
        "clock.suspect",
        "clock.recovered",
    ]
    assert numbers(queue) == [
        ("2026-11-23", "B001"),
        ("2026-11-23", "B002"),
        ("2026-11-24", "B001"),
        ("2026-11-23", "B003"),
        ("2026-11-23", "B004"),
    ]
    app.extensions["xephang"].stop()


def test_processes_share_the_confirmation_and_maintenance_waits(
    settings: Settings, guarded: Queue, clock: FrozenClock
) -> None:
    other = Queue(guarded.db, guarded.options, clock)  # a second server process
    guarded.issue("HT")
    clock.advance(days=-2)
    for queue in (guarded, other):
        with pytest.raises(ClockSuspect):
            queue.issue("HT")
    assert maintain_if_due(guarded, MaintenancePlan()).value is None  # nothing closed
    skipped = audit_entries(guarded.db, "maintenance.skipped")
    assert [(e.actor, e.detail["kind"]) for e in skipped] == [("system:maintenance", "behind")]
    guarded.clock_guard.confirm(guarded.db, clock.now(), "user:admin")
    assert other.issue("HT").value.number == "B001"  # the day two days back: its own count
    assert [number for _day, number in numbers(guarded)] == ["B001", "B001"]


def test_cli_status_and_confirm(tmp_path: Path) -> None:
    """The CLI judges the machine's real clock: the last ticket is two days ahead."""
    config = write_config(tmp_path)
    runner = CliRunner()

    now = datetime.now(UTC)
    queue = open_queue(load_settings(config), clock=FrozenClock(now - timedelta(seconds=30)))
    first = queue.issue("HT").value
    queue.clock = FrozenClock(now + timedelta(days=2))  # tickets stamped by a wrong clock
    queue.issue("HT")
    queue.db.dispose()
    status = runner.invoke(main, ["clock", "status", "--config", str(config)])
    assert status.exit_code == 3, status.output
    issued = runner.invoke(main, ["ticket", "issue", "HT", "--config", str(config)])
    assert issued.exit_code != 0
    confirmed = runner.invoke(main, ["clock", "confirm", "--yes", "--config", str(config)])
    assert confirmed.exit_code == 0, confirmed.output
    assert runner.invoke(main, ["clock", "status", "--config", str(config)]).exit_code == 0
    issued = runner.invoke(main, ["ticket", "issue", "HT", "--config", str(config)])
    assert issued.exit_code == 0, issued.output
    queue = open_queue(load_settings(config), migrate=False, sync=False)
    today = [
        n
        for day, n in numbers(queue)
        if day == first.issued_at.astimezone(queue.options.zone).date().isoformat()
    ]
    assert today == [first.number, "B002"]  # the day's numbering goes on
    assert [e.actor for e in audit_entries(queue.db, "clock.confirmed")] == ["cli"]
    queue.db.dispose()


def test_while_suspect_no_call_of_any_kind_but_the_counter_can_close_its_tickets(
    guarded: Queue, clock: FrozenClock
) -> None:
    """docs/outages.md: "call next", "call this number" and "call again" are refused while
    the clock is suspect; finishing, no-show, transfer and cancel still work."""
    queue = guarded
    first, second, third, fourth = (queue.issue("HT").value for _ in range(4))
    assert queue.call_next(2).value.id == first.id  # type: ignore[union-attr]
    assert queue.call_next(4).value.id == second.id  # type: ignore[union-attr]
    certify = queue.issue("CT").value
    assert queue.call_next(3).value.id == certify.id  # type: ignore[union-attr]
    clock.advance(minutes=-10)  # the power came back with a clock behind
    for refused in (
        lambda: queue.call_next(2),
        lambda: queue.call_ticket(2, fourth.id),
        lambda: queue.recall(2),
        lambda: queue.issue("HT"),
    ):
        with pytest.raises(ClockSuspect):
            refused()
    assert queue.finish(2).value.status == "done"
    assert queue.no_show(4).value.status == "no_show"
    moved = queue.transfer(3, "HT").value
    assert (moved.service, moved.status) == ("HT", "waiting")
    assert queue.cancel(third.id).value.status == "cancelled"
    assert queue.ticket(fourth.id).status == "waiting"  # never called


def test_the_clock_may_be_up_to_back_tolerance_s_behind(guarded: Queue, clock: FrozenClock) -> None:
    """``clock.back_tolerance_s`` (120 s): a clock that far behind the last recorded event
    still issues; one second more is suspect (docs/outages.md)."""
    queue = guarded
    queue.issue("HT")
    clock.advance(seconds=-120)
    assert queue.issue("HT").value.number == "B002"  # now the last recorded event
    clock.advance(seconds=-121)
    with pytest.raises(ClockSuspect):
        queue.issue("HT")
    clock.advance(seconds=1)
    assert queue.issue("HT").value.number == "B003"  # back within the tolerance


def test_admin_pages_show_a_banner_and_the_clock_page_confirms(
    settings: Settings, guarded: Queue, clock: FrozenClock
) -> None:
    """docs/outages.md: while the clock is suspect every admin page shows a red banner
    linking to ``/admin/clock``, which shows the server's clock and the last recorded
    event in the center's time zone and confirms the clock with one button."""
    queue = guarded
    app = start_app(settings.model_copy(update={"clock": ClockConfig()}), queue=queue, testing=True)
    admin, _csrf = sign_in(app, "admin")
    banner = 'class="admin-clock-banner"'
    assert banner not in admin.get("/admin/users").get_data(as_text=True)
    queue.issue("HT")  # 09:00 local
    clock.advance(hours=-1)  # 08:00: behind the ticket
    with pytest.raises(ClockSuspect):
        queue.issue("HT")
    for path in ("/admin/users", "/admin/reports", "/admin/clock"):
        page = admin.get(path).get_data(as_text=True)
        assert banner in page and 'href="/admin/clock"' in page, path
    page = admin.get("/admin/clock").get_data(as_text=True)
    assert "23/11/2026 08:00:00" in page and "23/11/2026 09:00:00" in page  # Hà Nội time
    assert 'data-zone="Asia/Ho_Chi_Minh"' in page
    form_csrf = CSRF_FIELD.search(page)
    assert form_csrf is not None
    confirmed = admin.post("/admin/clock", data={"csrf_token": form_csrf.group(1)})
    assert confirmed.status_code == 303 and confirmed.headers["Location"].endswith("saved=1")
    assert queue.issue("HT").value.number == "B002"
    assert banner not in admin.get("/admin/users").get_data(as_text=True)
    (entry,) = audit_entries(queue.db, "clock.confirmed")
    assert entry.actor.startswith("user:")
    app.extensions["xephang"].stop()

"""Callback phone numbers: only with consent, only from the help desk, nowhere but
``ticket_contacts``, and purged after ``privacy.contact_days`` with a count in the audit log."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from queue_server.auth.tokens import create_token
from queue_server.core.audit import audit_entries
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.contacts import (
    PURGE_ACTION,
    WITHDRAW_ACTION,
    Contact,
    PhonesPurged,
    normalize_phone,
    purge_contacts,
)
from queue_server.core.envelope import Envelope
from queue_server.core.errors import Rejected
from queue_server.core.feedback import Feedbacks, Submission
from queue_server.core.models import Base, Feedback, TicketContact
from queue_server.core.operations import Queue
from queue_server.relay import Relay
from queue_server.reports import compute_report
from queue_server.reports.files import report_file
from queue_server.settings import Settings, load_settings
from queue_server.workers.printouts import printout_for

from .conftest import client_as
from .test_cli import write_config, xephang

PHONE = "0912 345 678"
DIGITS = "912345678"  # however the number is written, these digits are in it


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("0912 345 678", "0912345678"),
        ("  0987.654.321 ", "0987654321"),
        ("+84 912 345 678", "0912345678"),
        ("0084-912-345-678", "0912345678"),
        ("84912345678", "0912345678"),
        ("(024) 3825 1234", "02438251234"),
        ("0203 3825 123", "02033825123"),
    ],
)
def test_vietnamese_numbers_are_kept_in_national_form(written: str, stored: str) -> None:
    assert normalize_phone(written) == stored


@pytest.mark.parametrize(
    "written",
    ["12345", "0112345678", "0612345678", "09123456789", "091234567", "số điện thoại", "",
     "+1 202 555 0100", "0912345678 ext 2"],
)  # fmt: skip
def test_other_text_is_refused(written: str) -> None:
    with pytest.raises(Rejected, match="không phải số điện thoại Việt Nam"):
        normalize_phone(written)


def issue(client: FlaskClient, headers: dict[str, str], **body: Any) -> Any:
    return client.post("/api/v1/tickets", json={"service": "HT", **body}, headers=headers)


def contacts(queue: Queue) -> list[tuple[int, str, str]]:
    with queue.db.read() as conn:
        rows = conn.execute(
            select(TicketContact.ticket_id, TicketContact.phone, TicketContact.purpose).order_by(
                TicketContact.id
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def bearer(queue: Queue, role: str, counter: int | None = None) -> dict[str, str]:
    secret, _info = create_token(queue.db, role, counter=counter, clock=queue.clock)
    return {"Authorization": f"Bearer {secret}"}


def test_a_phone_number_needs_consent_and_the_help_desk(
    app: Flask, queue: Queue, clock: FrozenClock
) -> None:
    desk, csrf = client_as(app, "helpdesk")
    refusals = [
        (desk, csrf, {"phone": PHONE}, 422, "người dân đồng ý"),
        (desk, csrf, {"phone": PHONE, "consent": False}, 422, "người dân đồng ý"),
        (desk, csrf, {"phone": "12345", "consent": True}, 422, "không phải số điện thoại"),
        (desk, csrf, {"phone": PHONE, "consent": "yes"}, 400, "contact.consent"),
        (desk, csrf, {"phone": PHONE, "consent": True, "purpose": "x"}, 400, "contact.purpose"),
        (app.test_client(), bearer(queue, "kiosk"), {"phone": PHONE, "consent": True}, 403,
         "Chỉ bàn hướng dẫn – hỗ trợ"),
    ]  # fmt: skip
    for client, headers, contact, status, message in refusals:
        response = issue(client, headers, contact=contact)
        assert response.status_code == status, (contact, response.get_json())
        assert message in json.dumps(response.get_json(), ensure_ascii=False)
    assert queue.snapshot()["services"][0]["waiting"] == 0  # nothing was issued
    assert contacts(queue) == []

    kept = issue(desk, csrf, contact={"phone": " 0912.345.678 ", "consent": True})
    assert kept.status_code == 201, kept.get_json()
    by_admin = issue(
        app.test_client(),
        bearer(queue, "admin"),
        contact={"phone": "+84 987 654 321", "consent": True, "purpose": "home_visit"},
    )
    assert by_admin.status_code == 201
    assert contacts(queue) == [
        (kept.get_json()["id"], "0912345678", "callback"),
        (by_admin.get_json()["id"], "0987654321", "home_visit"),
    ]
    with queue.db.read() as conn:
        consented = conn.execute(select(TicketContact.consented_at)).scalars().all()
    assert consented == [clock.now(), clock.now()]


def _every_row_but_contacts(queue: Queue) -> str:
    dump: list[str] = []
    with queue.db.read() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name != TicketContact.__tablename__:
                dump.extend(repr(tuple(row)) for row in conn.execute(select(table)))
    return "\n".join(dump)


def test_the_number_is_on_no_screen_event_ticket_log_or_report(
    app: Flask,
    queue: Queue,
    bus: Relay,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    envelopes: list[Envelope] = []
    bus.subscribe(envelopes.append)
    desk, csrf = client_as(app, "helpdesk")
    response = issue(
        desk,
        {**csrf, "Idempotency-Key": "callback-1"},
        contact={"phone": PHONE, "consent": True},
    )
    assert response.status_code == 201
    ticket = response.get_json()
    replay = issue(desk, {**csrf, "Idempotency-Key": "callback-1"}, contact={"phone": PHONE})
    officer = bearer(queue, "officer", counter=2)
    called = app.test_client().post("/api/v1/counters/2/next", headers=officer)
    assert called.get_json()["ticket"]["id"] == ticket["id"]

    issued = next(e for e in envelopes if e.name == "ticket_issued")
    report = compute_report(queue.db, queue.options.zone, queue.today(), queue.today())
    places = {
        "response": response.get_data(as_text=True),
        "replayed response": replay.get_data(as_text=True),
        "snapshot": desk.get("/api/v1/state").get_data(as_text=True),
        "ticket": desk.get(f"/api/v1/tickets/{ticket['id']}").get_data(as_text=True),
        "call": called.get_data(as_text=True),
        "relay": json.dumps([e.message() for e in envelopes], ensure_ascii=False),
        "printout": repr(printout_for(issued.payload["ticket"], settings)),
        "logs": caplog.text,
        "other tables": _every_row_but_contacts(queue),
        "report": report_file(report, settings.center.name, "csv").decode("utf-8"),
    }
    assert [name for name, text in places.items() if DIGITS in text] == []
    listed = desk.get("/api/v1/contacts").get_data(as_text=True)
    assert DIGITS in listed  # the check above can fail: the number is stored


def test_the_callback_list_is_today_s_for_the_help_desk_only(
    app: Flask, queue: Queue, clock: FrozenClock
) -> None:
    desk, csrf = client_as(app, "helpdesk")
    first = issue(desk, csrf, contact={"phone": PHONE, "consent": True}).get_json()
    issue(desk, csrf)
    second = issue(
        desk, csrf, service="CT", contact={"phone": "02438251234", "consent": True,
                                           "purpose": "home_visit"},
    ).get_json()  # fmt: skip
    listed = desk.get("/api/v1/contacts")
    assert listed.status_code == 200
    body = listed.get_json()
    assert body["day"] == "2026-11-23"
    assert [
        (c["ticket_id"], c["number"], c["service_name"], c["phone"], c["purpose"], c["status"])
        for c in body["contacts"]
    ] == [
        (first["id"], first["number"], "Hộ tịch", "0912345678", "callback", "waiting"),
        (second["id"], second["number"], "Chứng thực", "02438251234", "home_visit", "waiting"),
    ]
    for client, headers in [
        (app.test_client(), bearer(queue, "kiosk")),
        (app.test_client(), bearer(queue, "officer", counter=2)),
        (app.test_client(), bearer(queue, "display")),
        client_as(app, "manager"),
        client_as(app, "officer"),
    ]:
        assert client.get("/api/v1/contacts", headers=headers).status_code == 403
    clock.advance(days=1)
    assert desk.get("/api/v1/contacts").get_json()["contacts"] == []


def test_withdrawn_consent_deletes_the_number(app: Flask, queue: Queue) -> None:
    desk, csrf = client_as(app, "helpdesk")
    ticket = issue(desk, csrf, contact={"phone": PHONE, "consent": True}).get_json()
    path = f"/api/v1/contacts/{ticket['id']}"
    assert desk.delete(path).status_code == 403  # no CSRF header
    assert desk.delete(path, headers=csrf).status_code == 204
    assert desk.delete(path, headers=csrf).status_code == 404
    assert contacts(queue) == []
    entries = audit_entries(queue.db, WITHDRAW_ACTION)
    assert [e.detail for e in entries] == [{"deleted": 1}]
    assert DIGITS not in repr(entries)


def test_purge_deletes_numbers_older_than_the_limit(queue: Queue, clock: FrozenClock) -> None:
    def issue_with(phone: str, at: datetime) -> None:
        clock.set(at)
        queue.issue("HT", contact=Contact(phone))

    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    issue_with("0911111111", now - timedelta(days=45))
    issue_with("0922222222", now - timedelta(days=30, seconds=1))
    issue_with("0933333333", now - timedelta(days=30))  # exactly 30 days: kept
    issue_with("0944444444", now - timedelta(days=2))
    clock.set(now)
    assert purge_contacts(queue.db, now, 30, actor="cli") == PhonesPurged(callbacks=2)
    assert [phone for _id, phone, _purpose in contacts(queue)] == ["0933333333", "0944444444"]
    assert purge_contacts(queue.db, now, 30, actor="cli").total == 0
    entries = audit_entries(queue.db, PURGE_ACTION)
    assert [(e.actor, e.target, e.detail) for e in entries] == [
        ("cli", "ticket_contacts", {"deleted": 2, "older_than_days": 30}),
        ("cli", "ticket_contacts", {"deleted": 0, "older_than_days": 30}),
    ]
    assert entries[0].at == now
    assert "0911111111" not in repr(entries)


def test_xephang_purge(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    with config.open("a", encoding="utf-8") as toml:  # feedback numbers: their own time
        toml.write("\n[feedback]\nphone_keep_days = 35\n")
    now = datetime.now(UTC)
    clock = FrozenClock(now - timedelta(days=40))
    queue = open_queue(load_settings(config), clock=clock)
    queue.issue("HT", contact=Contact("0911111111"))
    # Feedback with a phone number, answered 40 days ago: its number goes too.
    feedback = Feedbacks(queue)
    said = Submission("feedback", "Xin gọi lại", phone="0933333333", consent=True)
    feedback.answer(feedback.record(said, actor="user:hd").value, "Đã gọi", actor="user:ql")
    clock.set(now - timedelta(days=1))
    # 39 days without a ticket: the clock guard asks an admin to confirm the clock.
    queue.clock_guard.confirm(queue.db, clock.now(), "user:admin")
    queue.issue("HT", contact=Contact("0922222222"))
    queue.db.dispose()
    result = xephang("purge", config=config)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().splitlines() == [
        "Đã xóa 1 số điện thoại gọi lại lưu quá 30 ngày.",
        "Đã xóa số điện thoại của 1 phản ánh đã trả lời quá 35 ngày.",
        "Đã xóa số điện thoại và địa chỉ của 0 lượt thăm tại nhà đã kết thúc quá 30 ngày.",
        # the 40-day-old ticket's issue and queue change, the feedback's two steps
        "Đã xóa 4 sự kiện cũ hơn hai ngày.",
    ]
    queue = open_queue(load_settings(config), migrate=False, sync=False)
    assert [phone for _id, phone, _purpose in contacts(queue)] == ["0922222222"]
    with queue.db.read() as conn:
        assert conn.execute(select(Feedback.phone)).scalars().all() == [None]
    queue.db.dispose()

"""Paper tickets of an outage (issue 17 item 4), on SQLite and PostgreSQL: twenty entered
after a morning without the server keep their number and real times, count in the
report's "paper" channel with the right waits, never take or block a normal number,
and a number entered twice, a time in the future or out of order, an unknown service
or counter, or a number never printed is refused with nothing changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from statistics import mean

import pytest
from sqlalchemy import func, select

from queue_server.core.clock import FrozenClock
from queue_server.core.errors import InvalidState, NotFound, Rejected
from queue_server.core.models import Ticket, TicketEvent
from queue_server.core.operations import Queue
from queue_server.core.outbox import last_seq, read_after
from queue_server.core.paper import PaperEntry, PaperTickets
from queue_server.core.paper_config import PaperConfig, colliding_prefixes
from queue_server.core.queries import snapshot
from queue_server.reports import compute_report
from queue_server.settings import ConfigError, Settings

MONDAY = date(2026, 11, 23)


def local(hour: int, minute: int, day: date = MONDAY) -> datetime:
    """A local time (UTC+7) of ``day``, as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


def outage_morning(index: int) -> PaperEntry:
    """Paper ticket ``index`` (0–19) of Hộ tịch handed out 07:30–08:27 while the server
    was down: 18 served, the 19th absent when called, the 20th left before its call.
    Ticket i waited 5 + i minutes and was served 6 minutes."""
    issued = local(7, 30) + timedelta(minutes=3 * index)
    called = issued + timedelta(minutes=5 + index)
    outcome = "done" if index < 18 else ("no_show" if index == 18 else "cancelled")
    return PaperEntry(
        number=f"PB{index + 1:03d}" if index % 2 else str(index + 1),  # typed either way
        service="HT",
        category="elderly" if index % 4 == 0 else None,
        issued_at=issued,
        called_at=None if outcome == "cancelled" else called,
        finished_at=called + timedelta(minutes=6) if outcome == "done" else None,
        counter=None if outcome == "cancelled" else (2 if index % 2 else 4),
        outcome=outcome,
    )


def ticket_rows(queue: Queue) -> int:
    with queue.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(Ticket)).scalar_one())


def test_twenty_paper_tickets_count_in_the_report_and_never_take_a_normal_number(
    queue: Queue, clock: FrozenClock
) -> None:
    paper = PaperTickets(queue, PaperConfig())
    assert paper.reserve("HT", 30)[:2] == ["PB001", "PB002"]
    clock.set(local(10, 0))  # the server is back at 10:00
    with queue.db.read() as conn:
        first_seq = last_seq(conn)
    entered = [paper.enter(outage_morning(i), actor="user:hoa").value for i in range(20)]
    assert [t.number for t in entered][:3] == ["PB001", "PB002", "PB003"]
    assert {t.channel for t in entered} == {"paper"}
    assert entered[0].issued_at == local(7, 30)  # its real time, not the time of entry

    # The same morning's normal tickets start at B001: paper numbers take nothing.
    normal = [queue.issue("HT").value.number for _ in range(3)]
    assert normal == ["B001", "B002", "B003"]

    # Events: one per paper ticket, none a call; the display's recent calls hold none.
    with queue.db.read() as conn:
        events = read_after(conn, first_seq)
        calls = conn.execute(
            select(func.count()).select_from(TicketEvent).where(TicketEvent.action == "call")
        ).scalar_one()
    assert [e.name for e in events[:20]] == ["paper_ticket_entered"] * 20
    assert "ticket_called" not in {e.name for e in events} and calls == 0
    assert snapshot(queue)["recent_calls"] == []

    report = compute_report(queue.db, queue.options.zone, MONDAY, MONDAY)
    channel = report.by_channel["paper"]
    assert (channel.issued, channel.served, channel.no_show, channel.cancelled) == (20, 18, 1, 1)
    assert sorted(channel.waits_s) == [(5 + i) * 60.0 for i in range(19)]
    assert mean(channel.service_times_s) == 360.0
    assert report.by_channel["kiosk"].issued == 3
    assert report.by_service["Hộ tịch"].issued == 23
    assert report.arrivals_by_hour[7] == 10 and report.arrivals_by_hour[8] == 10
    assert report.by_counter["Quầy 2 – Hộ tịch"].served == 9  # odd indexes below 18
    assert report.by_category.rows["Người cao tuổi"].tally.issued == 5


def test_a_number_entered_twice_the_same_day_is_refused_and_changes_nothing(
    queue: Queue, clock: FrozenClock
) -> None:
    paper = PaperTickets(queue)
    paper.reserve("HT", 10)
    clock.set(local(10, 0))
    paper.enter(outage_morning(0), actor="user:hoa")
    rows = ticket_rows(queue)
    with queue.db.read() as conn:
        seq = last_seq(conn)
    with pytest.raises(InvalidState, match="PB001"):
        paper.enter(outage_morning(0), actor="user:hoa")
    assert ticket_rows(queue) == rows
    with queue.db.read() as conn:
        assert last_seq(conn) == seq
    # The same paper number on another day is another ticket.
    clock.set(local(10, 0, MONDAY + timedelta(days=1)))
    entry = outage_morning(2)
    later = PaperEntry(
        number="1",
        service="HT",
        issued_at=entry.issued_at + timedelta(days=1),
        called_at=entry.issued_at + timedelta(days=1, minutes=5),
        finished_at=entry.issued_at + timedelta(days=1, minutes=9),
        counter=2,
    )
    assert paper.enter(later, actor="user:hoa").value.number == "PB001"


def test_bad_paper_tickets_are_refused_clearly(queue: Queue, clock: FrozenClock) -> None:
    paper = PaperTickets(queue)
    paper.reserve("HT", 20)
    clock.set(local(10, 0))
    good = outage_morning(1)

    def entry(**changes: object) -> PaperEntry:
        fields = {
            "number": good.number,
            "service": good.service,
            "issued_at": good.issued_at,
            "called_at": good.called_at,
            "finished_at": good.finished_at,
            "counter": good.counter,
            "category": good.category,
            "outcome": good.outcome,
        }
        return PaperEntry(**{**fields, **changes})  # type: ignore[arg-type]

    refused = [
        (entry(finished_at=local(10, 30)), Rejected, "tương lai"),
        (entry(called_at=good.issued_at - timedelta(minutes=1)), Rejected, "thứ tự"),
        (entry(issued_at=local(7, 0, MONDAY - timedelta(days=40))), Rejected, "31 ngày"),
        (entry(service="XX"), NotFound, "XX"),
        (entry(counter=99), NotFound, "99"),
        (entry(category="vip"), NotFound, "vip"),
        (entry(number="PB021"), Rejected, "chưa từng được in"),
        (entry(number="PC002"), Rejected, "PB007"),
        (entry(number="B002"), Rejected, "không phải số phiếu giấy"),
        (entry(number="0"), Rejected, "không phải"),
        (entry(finished_at=None), Rejected, "giờ phục vụ xong"),
        (entry(counter=None), Rejected, "quầy và giờ gọi số"),
        (entry(called_at=None), Rejected, "quầy và giờ gọi số"),
        (entry(outcome="no_show", counter=None), Rejected, "quầy và giờ gọi số"),
        (entry(outcome="no_show", called_at=None, finished_at=None), Rejected, "giờ gọi số"),
        (entry(outcome="cancelled"), Rejected, "hủy"),
        (entry(outcome="lost"), Rejected, "vắng mặt"),
    ]
    for bad, error, words in refused:
        with pytest.raises(error, match=words):
            paper.enter(bad, actor="user:hoa")
    assert ticket_rows(queue) == 0
    assert paper.enter(good, actor="user:hoa").value.number == "PB002"


def test_printing_continues_the_numbers_and_the_settings_keep_them_apart(queue: Queue) -> None:
    paper = PaperTickets(queue)
    assert paper.reserve("HT", 8)[-1] == "PB008"
    assert paper.reserve("HT", 2) == ["PB009", "PB010"]
    assert paper.reserve("CT", 1) == ["PC001"]
    assert paper.reserve("HT", 2, start=5) == ["PB005", "PB006"]  # a reprint
    assert paper.printed() == {"HT": 10, "CT": 1}
    with pytest.raises(Rejected):
        paper.reserve("HT", 501)
    assert colliding_prefixes("P", ["A", "B", "PB"]) == ["PB"]
    assert colliding_prefixes("P", ["A", "B", "PC"]) == []
    assert PaperConfig(marker="GI", width=4).number("B", 7) == "GIB0007"


def test_the_settings_refuse_a_prefix_that_a_paper_number_would_take(
    demo_settings: Settings,
) -> None:
    services = demo_settings.model_dump(mode="json")["services"]
    clash = [*services, {**services[1], "code": "PBX", "prefix": "PB", "name": "Khác"}]
    with pytest.raises(ConfigError, match=r"paper\.marker"):
        demo_settings.with_sections({"services": clash})
    fine = demo_settings.with_sections({"paper": {"marker": "GI", "width": 3}})
    assert fine.paper.number("B", 7) == "GIB007"

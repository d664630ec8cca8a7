"""The demo history: deterministic, fast, and it gives the report page something to show."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from queue_server.auth.roles import Role
from queue_server.auth.tokens import principal_for_token
from queue_server.cli.demo_access import (
    DemoStaff,
    TrackedTicket,
    demo_accounts,
    prepare_demo_access,
)
from queue_server.core.assistance_table import AssistanceCall
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.models import FINAL, Rating, Ticket, TicketEvent
from queue_server.core.operations import Queue
from queue_server.core.results import ResultRules
from queue_server.demo.history import (
    HistorySummary,
    days_before_today,
    has_tickets,
    latest_unrated_served,
    play_history,
    working_days_before,
)
from queue_server.reports import Report, compute_report
from queue_server.settings import Settings

# Wednesday 25 November 2026, 10:00 in Hà Nội: "today" for every test here.
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)


def center(settings: Settings, folder: Path, url: str | None = None) -> Queue:
    """The demo center in ``folder`` (or on the database at ``url``), frozen at ``NOW``."""
    settings = settings.model_copy(update={"data_dir": str(folder)})
    if url:
        settings = settings.model_copy(
            update={"database": settings.database.model_copy(update={"url": url})}
        )
    return open_queue(settings, clock=FrozenClock(NOW))


def report_of(queue: Queue, summary: HistorySummary) -> Report:
    return compute_report(queue.db, queue.options.zone, summary.days[0], summary.days[-1])


@pytest.fixture(scope="module")
def played(
    demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Queue, DemoStaff, HistorySummary, Report]]:
    """Ten working days, as ``xephang demo`` plays them, on a SQLite file."""
    queue = center(demo_settings, tmp_path_factory.mktemp("history"))
    staff = demo_accounts(queue)
    summary = play_history(
        queue,
        staff.officers,
        helpdesk=staff.helpdesk,
        kiosk="kiosk-1",
        ratings=demo_settings.ratings,
        results=ResultRules.from_settings(demo_settings),
    )
    yield queue, staff, summary, report_of(queue, summary)
    queue.db.dispose()


def test_ten_working_days_before_today_and_fast(
    played: tuple[Queue, DemoStaff, HistorySummary, Report],
) -> None:
    queue, _staff, summary, report = played
    assert summary.days == working_days_before(TODAY, 10)
    assert summary.days[0] == date(2026, 11, 13) and summary.days[-1] == date(2026, 11, 24)
    assert all(day.weekday() != 6 for day in summary.days)  # no Sunday
    assert days_before_today(queue) == (summary.days[0], summary.days[-1])
    assert set(report.by_day) - set(summary.days) == {date(2026, 11, 15), date(2026, 11, 22)}
    assert all(report.by_day[day].issued == 0 for day in (date(2026, 11, 15), date(2026, 11, 22)))
    # A ward center's working days: well over a hundred tickets, fewer on Saturdays.
    weekdays = [report.by_day[d].issued for d in summary.days if d.weekday() < 5]
    saturdays = [report.by_day[d].issued for d in summary.days if d.weekday() == 5]
    assert min(weekdays) > 110 and max(weekdays) < 260
    assert max(saturdays) < min(weekdays)
    assert report.total.issued == summary.issued
    assert 1_750 <= summary.issued <= 1_900, "docs/demo.md: about 1,800 tickets"
    assert 700 <= summary.rated <= 850, "docs/ratings.md: 730–800 ratings"
    assert summary.seconds < 30, "the demo history must take seconds, not minutes"


def test_every_service_counter_officer_and_category_is_used(
    played: tuple[Queue, DemoStaff, HistorySummary, Report],
) -> None:
    queue, _staff, _summary, report = played
    catalogue = queue.catalogue
    assert list(report.by_service) == [s.name for s in catalogue.services.values()]
    assert all(tally.served > 0 for tally in report.by_service.values())
    assert set(report.by_counter) == {c.name for c in catalogue.counters.values()}
    assert set(report.by_officer) == {
        "Nguyễn Thị Lan",
        "Trần Văn Hùng",
        "Lê Thị Mai",
        "Phạm Minh Tuấn",
        "Hoàng Văn Nam",
        "Đỗ Thị Hương",
    }  # every call was made by a signed-in officer
    assert all(report.by_priority[c.name].issued > 0 for c in catalogue.categories.values())
    emergencies = report.by_priority["Khẩn cấp"].issued
    assert 1 <= emergencies <= 5, "an emergency is rare"
    share = report.priority_issued / report.total.issued
    assert 0.18 < share < 0.35, share


def test_help_records_of_every_kind_mostly_for_priority_citizens(
    played: tuple[Queue, DemoStaff, HistorySummary, Report],
) -> None:
    _queue, _staff, summary, report = played
    help_given = report.help
    assert help_given.total == summary.helped
    per_day = help_given.total / len(summary.days)
    assert 15 < per_day < 80, per_day
    assert all(help_given.kind_total(kind) > 0 for kind in help_given.kinds)
    assert help_given.with_priority > help_given.total / 2
    assert help_given.cells[("Phiên dịch tiếng dân tộc", "Đồng bào dân tộc thiểu số")] > 0


def test_feedback_over_the_days_mostly_answered(
    played: tuple[Queue, DemoStaff, HistorySummary, Report],
) -> None:
    _queue, _staff, summary, report = played
    figures = report.feedback
    assert figures.received == summary.feedback > 5
    assert figures.by_channel["helpdesk"] > 0 and figures.by_channel["track"] > 0
    assert 0 < figures.answered < figures.received
    assert figures.mean_days_to_answer is not None and figures.mean_days_to_answer > 0


def test_result_slips_given_postponed_and_collected_before_opening(
    played: tuple[Queue, DemoStaff, HistorySummary, Report],
) -> None:
    queue, _staff, summary, report = played
    slips = report.results.total
    assert slips.issued == summary.slips and 15 < slips.issued / len(summary.days) < 80
    assert slips.collected == summary.collected > 0 and slips.late > 0
    assert 0 < slips.collected_on_time <= slips.collected < slips.issued
    by_service = report.results.by_service
    assert by_service["Đất đai"].issued > by_service["Chứng thực"].issued
    assert "Nhận kết quả" not in by_service and "Hướng dẫn – Hỗ trợ" not in by_service
    receiving = report.by_service["Nhận kết quả"]
    assert receiving.issued == receiving.served == summary.collected
    assert report.by_counter["Quầy 1 – Hướng dẫn, ưu tiên, trả kết quả"].served > 0
    with queue.db.read() as conn:
        hours = conn.execute(
            select(Ticket.issued_at, Ticket.finished_at).where(Ticket.number.like("N%"))
        ).all()
    zone = queue.options.zone
    assert hours and all(finished is not None for _issued, finished in hours)
    assert all(
        issued.astimezone(zone).hour == 7 and finished.astimezone(zone).minute < 30
        for issued, finished in hours
        if finished is not None
    )


def test_calls_for_assistance_every_day_taken_within_minutes(
    played: tuple[Queue, DemoStaff, HistorySummary, Report],
) -> None:
    queue, _staff, summary, report = played
    calls = report.assistance_calls.as_json()
    assert calls["raised"] == summary.assistance_calls
    assert 10 <= calls["raised"] <= 50
    assert calls["by_origin"]["kiosk"] > 0 and calls["by_origin"]["counter"] > 0
    assert calls["closed"] + calls["cancelled"] == calls["raised"]  # none left open
    assert calls["accepted"] == calls["closed"]
    taken = calls["time_to_accept_s"]
    assert 15 <= taken["median"] <= taken["p90"] <= 240
    with queue.db.read() as conn:
        days = set(conn.execute(select(AssistanceCall.day).distinct()).scalars())
    assert len(days) >= len(summary.days) - 1


def test_appointments_booked_every_day_most_kept(
    played: tuple[Queue, DemoStaff, HistorySummary, Report],
) -> None:
    _queue, _staff, summary, report = played
    figures = report.appointments.as_json()
    total = figures["total"]
    assert total["booked"] == summary.appointments
    assert 3 <= summary.appointments / len(summary.days) <= 9
    assert total["pending"] == 0  # every played day is over
    assert total["on_time"] > total["booked"] / 2
    assert min(total["late"], total["no_show"], total["cancelled"]) > 0
    assert all(figures["by_channel"][c]["booked"] > 0 for c in ("helpdesk", "kiosk", "public"))
    issued = report.by_service  # appointment tickets are tickets like the others
    assert sum(t.issued for t in issued.values()) == summary.issued


def test_waits_services_and_peaks_are_plausible(
    played: tuple[Queue, DemoStaff, HistorySummary, Report],
) -> None:
    queue, _staff, summary, report = played
    wait = report.total.wait
    assert wait.median is not None and wait.p90 is not None
    assert 0.5 * 60 < wait.median < 10 * 60 and wait.p90 < 40 * 60
    for service in queue.catalogue.services.values():
        mean = report.by_service[service.name].service_time.mean
        assert mean is not None
        assert 0.6 * service.default_service_s < mean < 1.6 * service.default_service_s
    hours = report.arrivals_by_hour
    assert sum(hours[:7]) == sum(hours[17:]) == 0 and hours[12] == 0  # closed
    assert hours[9] == max(hours) and hours[14] == max(hours[12:])  # the two peaks
    assert sum(hours[7:12]) > sum(hours[13:17])  # mornings are busier
    total = report.total
    assert 0.02 < total.no_show / total.issued < 0.1
    assert total.served + total.no_show + total.cancelled == total.issued
    assert summary.transferred > 20 and summary.recalled > summary.no_show
    with queue.db.read() as conn:
        transfers = conn.execute(
            select(func.count()).select_from(Ticket).where(Ticket.transfer_count > 0)
        ).scalar_one()
        recalls = conn.execute(
            select(func.count()).select_from(TicketEvent).where(TicketEvent.action == "recall")
        ).scalar_one()
    assert transfers > 0 and recalls == summary.recalled


def test_ratings_mostly_satisfied_with_reasons_when_not(
    played: tuple[Queue, DemoStaff, HistorySummary, Report],
) -> None:
    _queue, _staff, summary, report = played
    satisfaction = report.satisfaction
    total = satisfaction.total
    assert total.count == summary.rated
    assert 0.3 < total.count / report.total.served < 0.6  # part of the served tickets
    assert total.very_satisfied > total.satisfied > total.not_satisfied > 0
    assert total.percent_satisfied is not None and 85 < total.percent_satisfied < 99
    assert satisfaction.by_channel["counter"] > satisfaction.by_channel["track"] > 0
    assert sum(total.reasons.values()) >= total.not_satisfied // 2
    assert len(satisfaction.by_officer) == 6


def test_nothing_left_open_and_today_untouched(
    played: tuple[Queue, DemoStaff, HistorySummary, Report],
) -> None:
    queue, _staff, summary, _report = played
    assert summary.closed == 0  # every citizen was served, sent away or left by closing
    with queue.db.read() as conn:
        open_tickets = conn.execute(
            select(func.count()).select_from(Ticket).where(Ticket.status.not_in(FINAL))
        ).scalar_one()
        today = conn.execute(
            select(func.count()).select_from(Ticket).where(Ticket.day >= TODAY)
        ).scalar_one()
    assert open_tickets == 0 and today == 0
    assert queue.today() == TODAY and queue.snapshot()["recent_calls"] == []
    assert all(c["current"] is None for c in queue.snapshot()["counters"])
    assert latest_unrated_served(queue, TODAY - timedelta(days=7)) is not None


def test_same_seed_same_history_other_seed_other_history(
    demo_settings: Settings, tmp_path: Path
) -> None:
    reports = []
    for folder, seed in (("a", 7), ("b", 7), ("c", 8)):
        queue = center(demo_settings, tmp_path / folder)
        assert not has_tickets(queue)
        summary = play_history(queue, {}, days=2, seed=seed)
        assert has_tickets(queue)
        reports.append(report_of(queue, summary))
        queue.db.dispose()
    assert reports[0] == reports[1]
    assert reports[0] != reports[2]
    assert reports[0].by_officer == {None: reports[0].by_officer[None]}  # nobody signed in


@pytest.mark.postgres
def test_plays_on_postgresql(demo_settings: Settings, tmp_path: Path, pg_url: str) -> None:
    queue = center(demo_settings, tmp_path, pg_url)
    summary = play_history(queue, {}, days=1)
    report = report_of(queue, summary)
    assert summary.days == [date(2026, 11, 24)]
    assert report.total.issued == summary.issued > 100
    assert report.satisfaction.total.count == summary.rated > 0
    queue.db.dispose()


def test_the_history_needs_only_the_core() -> None:
    code = (
        "import sys, queue_server.demo.history\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in "
        "{'flask', 'flask_socketio', 'werkzeug', 'escpos', 'serial', 'PIL', 'devices'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_home_visits_with_outcomes(
    played: tuple[Queue, DemoStaff, HistorySummary, Report],
) -> None:
    _queue, _staff, summary, report = played
    figures = report.home_visits.total
    assert figures.requested == summary.visits > 3
    assert figures.done > 0 and figures.scheduled >= figures.done
    assert figures.done + figures.not_at_home + figures.cancelled + figures.rescheduled > 3


def test_one_outage_morning_with_paper_tickets_entered_afterwards(
    played: tuple[Queue, DemoStaff, HistorySummary, Report],
) -> None:
    queue, _staff, summary, report = played
    day = summary.days[-3]  # Friday 20/11: the server down from opening until 08:30
    paper = compute_report(queue.db, queue.options.zone, day, day).by_channel["paper"]
    assert 12 <= summary.paper == paper.issued == paper.served <= 35
    assert report.by_channel["paper"].issued == summary.paper  # that morning only
    assert paper.wait.median is not None and 60 < paper.wait.median < 30 * 60
    zone = queue.options.zone
    with queue.db.read() as conn:
        morning = conn.execute(
            select(Ticket.number, Ticket.channel, Ticket.issued_at).where(Ticket.day == day)
        ).all()
    before = [
        t for t in morning if dt_time(7, 30) <= t.issued_at.astimezone(zone).time() < dt_time(8, 30)
    ]
    assert before and {t.channel for t in before} == {"paper"}  # no kiosk, no check-in
    assert all(t.number.startswith("P") for t in before)
    normal = sorted(t.number for t in morning if t.channel != "paper" and t.number[0] == "B")
    assert normal[0] == "B001"  # the day's numbering started after the outage, untouched


def test_the_demo_links_open_the_tablets_of_counters_1_and_2_and_an_unrated_ticket(
    played: tuple[Queue, DemoStaff, HistorySummary, Report],
) -> None:
    """docs/ratings.md, "To try it": ``xephang demo`` prints the rating tablets of counters
    1 and 2 with their rating tokens, and the tracking page of a served ticket not rated
    yet."""
    queue, _staff, _summary, _report = played
    found = latest_unrated_served(queue, TODAY - timedelta(days=7))
    assert found is not None
    code, number = found
    tracked = TrackedTicket(code=code, number=number, served=True)
    links = prepare_demo_access(queue, "http://127.0.0.1:5000", "kiosk-1", tracked=tracked)
    tablets = [link.url for link in links if "/rate/" in link.url]
    assert [url.split("?")[0] for url in tablets] == [
        "http://127.0.0.1:5000/rate/1",
        "http://127.0.0.1:5000/rate/2",
    ]
    for counter, url in zip((1, 2), tablets, strict=True):
        holder = principal_for_token(queue.db, url.split("token=")[1], queue.clock.now())
        assert holder is not None and (holder.role, holder.counter) == (Role.RATING, counter)
    assert f"http://127.0.0.1:5000/track/{code}" in [link.url for link in links]
    with queue.db.read() as conn:
        ticket = conn.execute(select(Ticket.id, Ticket.status).where(Ticket.track_code == code))
        ticket_id, status = ticket.one()
        rated = conn.execute(select(func.count()).where(Rating.ticket_id == ticket_id))
        assert (status, rated.scalar_one()) == ("done", 0)

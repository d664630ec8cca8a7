"""Play the demo center's last working days through the real queue, event by event.

:func:`play_history` fills an empty database with what a newcomer wants to see on the
report page and in the ratings: the arrivals of :mod:`.arrivals`, counters that call in
policy order (``call_next``) with their officer signed in, citizens who walk up after
the call, service times around each service's ``default_service_s``, recalls, no-shows,
transfers from the guidance desk, citizens who give up and leave, satisfaction ratings
for part of the served tickets (at the counter's tablet and a few from the tracking
page), help records for part of the served citizens and for a few who take no ticket
(:mod:`.helping`), home visits booked by phone with their outcomes (:mod:`.visiting`),
result slips given, postponed and collected (:mod:`.results`), calls for assistance from
the kiosk and the counters (:mod:`.assistance`), and ``close_day`` after each day. Every
step is a real
:class:`~queue_server.core.operations.Queue` or
:class:`~queue_server.core.ratings.Ratings` operation under a
:class:`~queue_server.core.clock.FrozenClock`. The same seed and the same "today" give
the same history.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, func, select

from queue_server.core.appointment_config import AppointmentsConfig
from queue_server.core.assist_config import AssistsConfig
from queue_server.core.assistance_config import AssistanceConfig
from queue_server.core.clock import FrozenClock
from queue_server.core.clockguard import ClockConfig
from queue_server.core.db import Database
from queue_server.core.feedback_config import FeedbackConfig
from queue_server.core.models import Rating, Ticket, TicketStatus, tickets_archive
from queue_server.core.operations import Queue
from queue_server.core.rating_config import RatingsConfig
from queue_server.core.ratings import Ratings
from queue_server.demo import DEFAULT_DAYS, DEFAULT_SEED
from queue_server.demo.assistance import CallPlayer
from queue_server.demo.booking import BookingPlayer
from queue_server.demo.day_player import DayPlayer, HistorySummary, Staff, move_clock
from queue_server.demo.feedback import play_feedback
from queue_server.demo.helping import HelpPlayer
from queue_server.demo.outage import OutageMorning
from queue_server.demo.results import SlipPlayer
from queue_server.demo.visiting import VisitPlayer, working_days_from

if TYPE_CHECKING:
    from queue_server.core.results import ResultRules

DEFAULT_PER_DAY = 175  # tickets on an ordinary weekday
WORKING_WEEKDAYS = range(6)  # Monday … Saturday

CLOSE_DAY_AT = timedelta(minutes=5)  # after midnight


def working_days_before(today: date, count: int) -> list[date]:
    """The ``count`` working days (Monday to Saturday) before ``today``, oldest first."""
    days: list[date] = []
    day = today
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() in WORKING_WEEKDAYS:
            days.append(day)
    return days[::-1]


def has_tickets(queue: Queue) -> bool:
    """Whether the database already holds tickets (live or archived) or ratings."""
    with queue.db.read() as conn:
        return bool(
            conn.execute(
                select(
                    select(Ticket.id).exists()
                    | select(tickets_archive.c.id).exists()
                    | select(Rating.id).exists()
                )
            ).scalar()
        )


def latest_unrated_served(queue: Queue, since: date) -> tuple[str, str] | None:
    """Tracking code and number of the newest served, unrated live ticket since ``since``."""
    with queue.db.read() as conn:
        row = conn.execute(
            select(Ticket.track_code, Ticket.number)
            .where(
                Ticket.status == TicketStatus.DONE,
                Ticket.day >= since,
                ~select(Rating.id).where(Rating.ticket_id == Ticket.id).exists(),
            )
            .order_by(Ticket.finished_at.desc(), Ticket.id.desc())
            .limit(1)
        ).one_or_none()
    return (row.track_code, row.number) if row else None


def days_before_today(queue: Queue) -> tuple[date, date] | None:
    """The first and last day with tickets before today (live or archived)."""
    today = queue.today()
    with queue.db.read() as conn:
        spans = [
            conn.execute(select(func.min(day), func.max(day)).where(day < today)).one()
            for day in (Ticket.day, tickets_archive.c.day)
        ]
    firsts = [first for first, _last in spans if first is not None]
    lasts = [last for _first, last in spans if last is not None]
    return (min(firsts), max(lasts)) if firsts else None


def play_history(
    queue: Queue,
    officers: Mapping[int, Staff],
    *,
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    per_day: float = DEFAULT_PER_DAY,
    helpdesk: Staff | None = None,
    kiosk: str | None = None,
    ratings: RatingsConfig | None = None,
    assists: AssistsConfig | None = None,
    feedback: FeedbackConfig | None = None,
    results: ResultRules | None = None,
    assistance: AssistanceConfig | None = None,
    appointments: AppointmentsConfig | None = None,
) -> HistorySummary:
    """Play the ``days`` working days before ``queue``'s today into its database.

    ``officers`` maps a counter number to the officer signed in there; ``helpdesk`` is
    who issues tickets at the help desk, ``kiosk`` the kiosk the others come from;
    ``results``: the result slips' rules (none: no slips, and no service left out).
    """
    started = time.perf_counter()
    now = queue.clock.now()
    database = _filling(queue.db)
    # Past days are played after today's start: no clock guard (docs/outages.md).
    options = replace(queue.options, clock=ClockConfig(enabled=False))
    played = Queue(database, options, FrozenClock(now))
    rng = random.Random(seed)
    dates = working_days_before(played.today(), days)
    urgent_days = set(rng.sample(dates, k=max(1, round(len(dates) / 4)))) if dates else set()
    summary = HistorySummary(days=dates)
    staff_ids = sorted({officer.user_id for officer in officers.values()})
    visits = VisitPlayer(played, staff_ids, seed, helpdesk.actor if helpdesk else "system:demo")
    try:
        for day in dates:
            helper = HelpPlayer(played, assists, seed, day)
            slips = SlipPlayer(played, results, seed, day) if results else None
            if slips is not None:
                _collections(slips, officers, summary)
            caller = CallPlayer(played, assists, assistance, seed, day)
            player = DayPlayer(
                played, Ratings(played, ratings), rng, officers, helpdesk, kiosk, summary, helper
            )
            player.slips = slips
            if results is not None:
                player.services = [s for s in player.services if s.code != results.results_service]
            calls = caller.plan(day, queue.options.zone, kiosk)
            # One outage morning (docs/outages.md): the third last day, if there are five.
            if len(dates) >= 5 and day == dates[-3]:
                player.outage = OutageMorning(played, day, officers, seed)
            booker = BookingPlayer(played, appointments, seed, day)
            comers = booker.book(day, queue.options.zone, partial(move_clock, played))
            if player.outage is not None:  # what needs the server waits until it is back
                calls = [*player.outage.after(calls), *player.outage.steps()]
                comers = player.outage.after(comers)
            player.play(
                day, per_day, emergency=day in urgent_days, extra=calls, appointments=comers
            )
            if player.outage is not None:
                summary.paper = len(player.outage.entries)
                summary.issued += summary.paper
                summary.served += summary.paper
            summary.helped += helper.recorded + caller.closed
            summary.assistance_calls += caller.raised
            summary.appointments += booker.booked
            ahead = working_days_from(day, 5, WORKING_WEEKDAYS)
            visits.end_of_day(day, queue.options.zone, ahead)
            summary.visits = visits.requested
            summary.feedback += play_feedback(played, feedback, seed, day)
            summary.slips += slips.given if slips else 0
            midnight = datetime.combine(day + timedelta(days=1), dt_time(), queue.options.zone)
            move_clock(played, min(midnight + CLOSE_DAY_AT, now))
            summary.closed += played.close_day(actor="system").value
    finally:
        database.dispose()
    summary.seconds = time.perf_counter() - started
    return summary


def _collections(slips: SlipPlayer, officers: Mapping[int, Staff], summary: HistorySummary) -> None:
    """The morning's result collections, before the queue opens (:mod:`.results`)."""
    officer = officers.get(slips.counter) if slips.counter is not None else None
    issued, served = slips.morning((officer.actor, officer.user_id) if officer else (None, None))
    summary.issued += issued
    summary.served += served
    summary.collected += served


def _filling(db: Database) -> Database:
    """A second engine on ``db``'s database for writing the history in one go.

    On SQLite its commits do not wait for the disk (``synchronous=NORMAL``; WAL keeps
    the file consistent): a power cut during the fill can only lose demo history,
    which ``xephang demo --reset`` plays again. It makes the fill about twice as fast.
    """
    filling = Database(db.url.render_as_string(hide_password=False))
    if filling.dialect == "sqlite":
        event.listen(filling.engine, "connect", _commit_without_sync)
    return filling


def _commit_without_sync(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()

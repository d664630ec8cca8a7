"""Two past outreach Saturdays in the demo history, brought in as a real import.

For each of the last two Saturdays of the played days the center schedules a session at
a cultural house (08:00–11:30, site code ``L1``), makes the laptop's package, and a
laptop (a temporary data directory made by :func:`~queue_server.core.sites.init_site`)
plays the morning: citizens take ``L1-…`` numbers, two officers call and serve them,
some are helped and some rate. The laptop's export is then imported into the center
(:func:`~queue_server.core.site_import.import_site`), so the report's outreach section
shows both sessions. The same seed gives the same Saturdays.
"""

from __future__ import annotations

import json
import random
import secrets
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from queue_server.auth.users import add_user
from queue_server.core.assists import Assists
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.core.outreach_models import OutreachSession
from queue_server.core.ratings import Ratings
from queue_server.core.site_export import export_site
from queue_server.core.site_import import import_site
from queue_server.core.sites import build_package, init_site
from queue_server.demo.history import Staff
from queue_server.settings import Settings, load_settings

PLACES = ("Nhà văn hóa tổ dân phố 5", "Nhà văn hóa tổ dân phố 9")
SERVICES = ("HT", "CT", "BTXH")
CATEGORIES = (None, None, "elderly", "elderly", "disabled", "poor_household")
STARTS, ENDS = dt_time(8, 0), dt_time(11, 30)
CITIZENS = (14, 22)
SERVICE_MINUTES = (4, 10)


def play_outreach_saturdays(
    queue: Queue, settings: Settings, officers: Mapping[int, Staff], days: Sequence[date], seed: int
) -> int:
    """Play and import the last two Saturdays of ``days``; returns the tickets imported."""
    saturdays = [day for day in days if day.weekday() == 5][-2:]
    going = [officers[number] for number in sorted(officers)][:2]
    services = ",".join(code for code in SERVICES if code in queue.catalogue.services)
    imported = 0
    with tempfile.TemporaryDirectory(prefix="xephang-demo-site-") as folder:
        for index, day in enumerate(saturdays):
            session_id = _schedule(queue, day, PLACES[index % len(PLACES)], services, going)
            zone = queue.options.zone
            package = build_package(
                queue.db,
                settings,
                session_id,
                datetime.combine(day, STARTS, zone) - timedelta(days=2),
            )
            rng = random.Random(f"{seed}/outreach/{day.isoformat()}")
            export = _laptop_morning(package, Path(folder) / str(session_id), day, rng)
            merged = FrozenClock(datetime.combine(day, dt_time(13, 0), zone).astimezone(UTC))
            raw = json.dumps(export, ensure_ascii=False).encode()
            imported += import_site(queue.db, settings, raw, merged).value.new["tickets"]
    return imported


def _schedule(queue: Queue, day: date, place: str, services: str, going: list[Staff]) -> int:
    """The session of ``day``: the demo schedule's own if it has one that day (given the
    laptop's services and staff), else a new one."""
    staff_ids = ",".join(str(staff.user_id) for staff in going)
    with queue.db.write() as conn:
        planned = conn.execute(
            select(OutreachSession.id).where(
                OutreachSession.day == day, OutreachSession.status == "planned"
            )
        ).scalar()
        if planned is not None:
            conn.execute(
                update(OutreachSession)
                .where(OutreachSession.id == planned)
                .values(services=services, staff_ids=staff_ids, site_code="L1")
            )
            return int(planned)
        return int(
            conn.execute(
                insert(OutreachSession)
                .values(
                    day=day,
                    starts=STARTS,
                    ends=ENDS,
                    place=place,
                    services=services,
                    staff_ids=staff_ids,
                    notes="",
                    site_code="L1",
                    status="planned",
                    created_at=queue.clock.now(),
                )
                .returning(OutreachSession.id)
            ).scalar_one()
        )


def _laptop_morning(
    package: dict[str, Any], folder: Path, day: date, rng: random.Random
) -> dict[str, Any]:
    """The laptop's morning, minute by minute; returns its signed export."""
    laptop_settings = load_settings(init_site(package, folder))
    zone = laptop_settings.center.zone
    clock = FrozenClock(datetime.combine(day, STARTS, zone).astimezone(UTC))
    laptop = open_queue(laptop_settings, clock=clock, create=True)
    staff = [
        add_user(laptop.db, o["username"], o["role"], secrets.token_urlsafe(12))
        for o in package["officers"]
    ]
    morning = _Morning(laptop, laptop_settings, rng, staff)
    end = datetime.combine(day, ENDS, zone).astimezone(UTC)
    arrivals = sorted(
        clock.now() + timedelta(minutes=rng.uniform(0, 180)) for _ in range(rng.randint(*CITIZENS))
    )
    while clock.now() <= end:
        while arrivals and arrivals[0] <= clock.now():
            arrivals.pop(0)
            morning.arrive()
        morning.tick()
        clock.advance(minutes=1)
    export = export_site(laptop.db, package, clock.now())
    laptop.db.dispose()
    return export


class _Morning:
    """Counters 1 and 2 of the laptop: call, serve, finish; some help, some ratings."""

    def __init__(
        self, laptop: Queue, settings: Settings, rng: random.Random, staff: list[int]
    ) -> None:
        self.laptop, self.rng = laptop, rng
        self.services = [code for code in SERVICES if code in laptop.catalogue.services]
        self.categories = [c for c in CATEGORIES if c is None or c in laptop.catalogue.categories]
        self.ratings = Ratings(laptop, settings.ratings, settings.feedback)
        self.assists = Assists(laptop, settings.assists)
        self.counters = {number: staff[i] if i < len(staff) else None
                         for i, number in enumerate(sorted(laptop.catalogue.counters))}  # fmt: skip
        self.busy_until: dict[int, datetime] = {}
        self.waiting = 0

    def arrive(self) -> None:
        self.laptop.issue(self.rng.choice(self.services), self.rng.choice(self.categories))
        self.waiting += 1

    def tick(self) -> None:
        now = self.laptop.clock.now()
        for number, officer_id in self.counters.items():
            until = self.busy_until.get(number)
            if until is not None and until <= now:
                ticket = self.laptop.finish(number).value
                del self.busy_until[number]
                self._after(number, ticket.id, ticket.priority)
            if number not in self.busy_until and self.waiting:
                called = self.laptop.call_next(number, officer_id=officer_id).value
                if called is not None:
                    self.waiting -= 1
                    self.laptop.start_serving(number)
                    self.busy_until[number] = now + timedelta(
                        minutes=self.rng.randint(*SERVICE_MINUTES)
                    )

    def _after(self, number: int, ticket_id: int, category: str | None) -> None:
        if category and self.rng.random() < 0.6:
            self.assists.record("forms", role="officer", category=category, ticket_id=ticket_id)
        if self.rng.random() < 0.5:
            self.ratings.rate_at_counter(number, ticket_id, self.rng.choice((3, 3, 3, 2)))

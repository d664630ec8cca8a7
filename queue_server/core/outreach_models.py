"""The schedule of outreach sessions (lưu động): the center at a cultural house.

A session is a day, local hours, a place, the services offered and the staff going; a
recurring pattern (``series_id``) makes many. ``site_code`` (e.g. ``L1``) is the code
the laptop that runs the session puts in every ticket number, so its numbers never
collide with the center's. Nothing about citizens is kept here.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import Date, Index, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.core.models import Base, UTCDateTime


class SessionStatus(enum.StrEnum):
    """A session is planned until it is cancelled; held ones are those with tickets."""

    PLANNED = "planned"
    CANCELLED = "cancelled"


class OutreachSession(Base):
    """One outreach session; ``services`` and ``staff_ids`` are comma-separated
    (service codes, "" for all; user ids of the officers and volunteers going)."""

    __tablename__ = "outreach_sessions"
    __table_args__ = (Index("ix_outreach_sessions_day", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)  # local day
    starts: Mapped[time] = mapped_column(Time)  # local time
    ends: Mapped[time] = mapped_column(Time)
    place: Mapped[str] = mapped_column(String(120))
    services: Mapped[str] = mapped_column(String(300), default="")
    staff_ids: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(String(500), default="")
    site_code: Mapped[str | None] = mapped_column(String(10))
    series_id: Mapped[int | None] = mapped_column(Integer)  # the recurring pattern, if any
    status: Mapped[str] = mapped_column(String(12), default=SessionStatus.PLANNED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

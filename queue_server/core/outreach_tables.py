"""The recurring patterns of outreach sessions and the staff calendar feeds.

A pattern ("every second Saturday of the month until 31/03") made its sessions once,
when it was created; each session is then its own row (``outreach_sessions.series_id``),
edited or cancelled alone. A feed is a secret URL for staff phones' calendars: only the
SHA-256 of its token is kept; revoking it ends the URL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.core.models import Base, UTCDateTime


class OutreachSeries(Base):
    """A recurring pattern: ``every`` is week, two_weeks or month (the same weekday of
    the month as the first day: the second Saturday stays the second Saturday)."""

    __tablename__ = "outreach_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    every: Mapped[str] = mapped_column(String(12))
    first_day: Mapped[date] = mapped_column(Date)
    until: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutreachFeed(Base):
    """A secret calendar URL of the center's outreach schedule (SHA-256 of the token)."""

    __tablename__ = "outreach_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

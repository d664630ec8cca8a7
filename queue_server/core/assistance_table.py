"""The table of calls for assistance (:mod:`queue_server.core.assistance`).

Imported by :mod:`queue_server.core.models` (the same metadata), kept apart so that
module stays small.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.core.models import Base, UTCDateTime


class AssistanceCall(Base):
    """A call for assistance (yêu cầu hỗ trợ) from a kiosk or a counter: where it comes
    from, why, and who of the staff took it; nothing about the citizen. ``open_key``
    is set while the call is open or taken (one per kiosk, one per counter and reason)
    and cleared when it ends, so the unique constraint refuses a second open call."""

    __tablename__ = "assistance_calls"
    __table_args__ = (
        UniqueConstraint("open_key", name="uq_assistance_calls_open_key"),
        Index("ix_assistance_calls_day", "day"),
        Index("ix_assistance_calls_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)  # the local day it was raised
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    origin: Mapped[str] = mapped_column(String(10))  # "kiosk" or "counter"
    kiosk: Mapped[str | None] = mapped_column(String(80))  # the kiosk token's name
    counter: Mapped[int | None] = mapped_column(Integer)  # the counter's number
    reason: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10))  # open, accepted, closed, cancelled
    raised_by: Mapped[str] = mapped_column(String(40))  # the raiser's scope (token:3, user:5)
    open_key: Mapped[str | None] = mapped_column(String(60))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    taker: Mapped[str | None] = mapped_column(String(40))  # the scope of who took it
    taker_role: Mapped[str | None] = mapped_column(String(20))
    taker_name: Mapped[str | None] = mapped_column(String(40))  # a staff first name
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # closed or cancelled
    help_kind: Mapped[str | None] = mapped_column(String(30))
    assist_id: Mapped[int | None] = mapped_column(Integer)  # the help record closing made

"""The ``feedback`` table (kept apart from :mod:`queue_server.core.models` for size)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.core.models import Base, UTCDateTime


class Feedback(Base):
    """A citizen's feedback, complaint or suggestion (phản ánh, kiến nghị) and its
    handling: received → forwarded → answered. ``ticket_id`` and ``rating_id`` are
    plain ids (kept when tickets are archived). ``phone`` only with consent, deleted
    on schedule after the answer."""

    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_day", "day"),
        Index("ix_feedback_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)  # the local day it was received
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_day: Mapped[date] = mapped_column(Date)  # the last local day to answer it
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(20))  # helpdesk, track, rating
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    ticket_id: Mapped[int | None] = mapped_column(Integer)
    rating_id: Mapped[int | None] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20))  # received, forwarded, answered
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    forwarded_by: Mapped[str | None] = mapped_column(String(80))
    forwarded_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    forwarded_unit: Mapped[str | None] = mapped_column(String(120))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[str | None] = mapped_column(String(80))
    answer: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(20))
    phone_consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

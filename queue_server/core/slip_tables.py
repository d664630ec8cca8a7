"""The table of result slips (giấy hẹn trả kết quả), in the models' metadata.

Kept apart so :mod:`queue_server.core.models` stays small; that module imports this one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.core.models import Base, UTCDateTime


class ResultSlip(Base):
    """A promise to return a dossier's result on ``ready_on``, with a secret ``code``.

    ``ticket_id`` (the served ticket) and ``collect_ticket_id`` (the "receive results"
    ticket the code was given for) are plain ids, kept when tickets are archived.
    ``promised_on`` is the first date promised; ``ready_on`` moves when postponed.
    """

    __tablename__ = "result_slips"
    __table_args__ = (Index("ix_result_slips_issued_day", "issued_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    ticket_id: Mapped[int] = mapped_column(Integer, unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    issued_day: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    promised_on: Mapped[date] = mapped_column(Date)
    ready_on: Mapped[date] = mapped_column(Date)
    postponements: Mapped[int] = mapped_column(Integer, default=0)
    postpone_reason: Mapped[str | None] = mapped_column(String(30))
    collect_ticket_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    collected_day: Mapped[date | None] = mapped_column(Date)
    collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

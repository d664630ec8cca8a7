"""Citizens' feedback (phản ánh, kiến nghị) in a report: how much came in and how it was
handled over the report's local days. Only counts leave this module (docs/reports.md):

- received: records received on the days, per kind and per channel;
- forwarded / answered: records forwarded / answered on the days (whenever received);
- answered on time: of those answered, the ones answered on or before their due day;
- overdue: records received by the last day, due before it and not answered by its end;
- mean days to answer: mean of (answer − receipt) in days over those answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import fmean
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, or_, select

from queue_server.core.clock import day_bounds_utc, local_day
from queue_server.core.feedback import CHANNELS
from queue_server.core.feedback_config import DEFAULT_KINDS, FeedbackKindConfig
from queue_server.core.models import Feedback

SECONDS_PER_DAY = 86_400


@dataclass
class FeedbackFigures:
    """Feedback figures of a report's days; ``kinds`` maps kind codes to display names
    (configured order, then codes no longer configured)."""

    kinds: dict[str, str] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    forwarded: int = 0
    answered: int = 0
    answered_on_time: int = 0
    overdue: int = 0
    days_to_answer: list[float] = field(default_factory=list)

    @property
    def received(self) -> int:
        return sum(self.by_kind.values())

    @property
    def mean_days_to_answer(self) -> float | None:
        """Mean days from receipt to answer, one decimal; None when none was answered."""
        return round(fmean(self.days_to_answer), 1) if self.days_to_answer else None

    def as_json(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "received_by_kind": {code: self.by_kind.get(code, 0) for code in self.kinds},
            "received_by_channel": dict(self.by_channel),
            "forwarded": self.forwarded,
            "answered": self.answered,
            "answered_on_time": self.answered_on_time,
            "overdue": self.overdue,
            "mean_days_to_answer": self.mean_days_to_answer,
        }


def feedback_figures(
    conn: Connection,
    start: date,
    end: date,
    zone: ZoneInfo,
    kinds: Sequence[FeedbackKindConfig] = DEFAULT_KINDS,
) -> FeedbackFigures:
    """The feedback figures of local days ``start``..``end`` in ``conn``'s transaction."""
    begin, finish = day_bounds_utc(start, zone)[0], day_bounds_utc(end, zone)[1]
    figures = FeedbackFigures()
    received = conn.execute(
        select(Feedback.kind, Feedback.channel, func.count())
        .where(Feedback.day >= start, Feedback.day <= end)
        .group_by(Feedback.kind, Feedback.channel)
    ).all()
    for kind, channel, count in received:
        figures.by_kind[kind] = figures.by_kind.get(kind, 0) + int(count)
        figures.by_channel[channel] = figures.by_channel.get(channel, 0) + int(count)
    figures.kinds = {k.code: k.name for k in kinds if k.active or k.code in figures.by_kind}
    figures.kinds |= {code: code for code in sorted(figures.by_kind) if code not in figures.kinds}
    figures.forwarded = _count(conn, Feedback.forwarded_at >= begin, Feedback.forwarded_at < finish)
    answered = conn.execute(
        select(Feedback.at, Feedback.answered_at, Feedback.due_day).where(
            Feedback.answered_at >= begin, Feedback.answered_at < finish
        )
    ).all()
    for received_at, answered_at, due_day in answered:
        assert answered_at is not None  # selected by it
        figures.answered += 1
        figures.answered_on_time += local_day(answered_at, zone) <= due_day
        figures.days_to_answer.append((answered_at - received_at).total_seconds() / SECONDS_PER_DAY)
    figures.overdue = _count(
        conn,
        Feedback.day <= end,
        Feedback.due_day < end,
        or_(Feedback.answered_at.is_(None), Feedback.answered_at >= finish),
    )
    return figures


def _count(conn: Connection, *conditions: Any) -> int:
    return int(
        conn.execute(select(func.count()).select_from(Feedback).where(*conditions)).scalar_one()
    )

"""Result slips (giấy hẹn trả kết quả) in a report: issued, collected, on time, late.

The slips counted are those issued on the report's local days; what became of them
(collected, postponed) is as the database holds it when the report is made.

- ``issued``: slips given on those days;
- ``collected``: of them, slips whose code a "receive results" ticket was issued with;
- ``collected_on_time``: collected, and never postponed: the result was there on the
  date first promised (a code is refused before its ready date, so a slip collected
  and never postponed was collected on or after the promised date, with its result);
- ``late``: postponed at least once (the center could not keep the promised date);
- ``not_collected``: issued minus collected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, case, func, select

from queue_server.core.models import Service
from queue_server.core.slip_tables import ResultSlip


@dataclass
class SlipTally:
    """The slips of one service (or all)."""

    issued: int = 0
    collected: int = 0
    collected_on_time: int = 0
    late: int = 0

    @property
    def not_collected(self) -> int:
        return self.issued - self.collected

    def add(self, other: SlipTally) -> None:
        self.issued += other.issued
        self.collected += other.collected
        self.collected_on_time += other.collected_on_time
        self.late += other.late

    def as_json(self) -> dict[str, int]:
        return {
            "issued": self.issued,
            "collected": self.collected,
            "collected_on_time": self.collected_on_time,
            "late": self.late,
            "not_collected": self.not_collected,
        }


@dataclass
class ResultFigures:
    """Slips of a report's days per service (display names, in the configured order)."""

    by_service: dict[str, SlipTally] = field(default_factory=dict)

    @property
    def total(self) -> SlipTally:
        total = SlipTally()
        for tally in self.by_service.values():
            total.add(tally)
        return total

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total.as_json(),
            "by_service": [
                {"service": name, **tally.as_json()} for name, tally in self.by_service.items()
            ],
        }


def result_figures(conn: Connection, start: date, end: date) -> ResultFigures:
    """Count the slips issued on local days ``start``..``end`` in ``conn``'s transaction."""
    collected = ResultSlip.collect_ticket_id.is_not(None)
    postponed = ResultSlip.postponements > 0
    rows = conn.execute(
        select(
            Service.name,
            func.count(),
            func.sum(case((collected, 1), else_=0)),
            func.sum(case((collected & ~postponed, 1), else_=0)),
            func.sum(case((postponed, 1), else_=0)),
        )
        .join(Service, Service.id == ResultSlip.service_id)
        .where(ResultSlip.issued_day >= start, ResultSlip.issued_day <= end)
        .group_by(Service.name, Service.position, Service.id)
        .order_by(Service.position, Service.id)
    ).all()
    figures = ResultFigures()
    for name, issued, taken, on_time, late in rows:
        tally = figures.by_service.setdefault(name, SlipTally())
        tally.add(SlipTally(int(issued), int(taken or 0), int(on_time or 0), int(late or 0)))
    return figures

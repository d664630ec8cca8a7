"""Report periods: a month, a quarter, a year or any range of the center's local days.

The same words on the command line (``--month 2026-11``, ``--quarter 2026-Q4``,
``--year 2026``, ``--from``/``--to``) and in the report page's address (``month=2026-11``
…): :func:`chosen_period` takes exactly one way of naming the days.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from queue_server.i18n import _

MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"
KINDS = (MONTH, QUARTER, YEAR, RANGE)
ROMAN = ("I", "II", "III", "IV")
FIRST_YEAR, LAST_YEAR = 2000, 2999
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    """Days that cannot be a report period; ``message`` is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Period:
    """The local days ``start``..``end`` (both included) and what they are (``kind``)."""

    kind: str
    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(MONTH, date(year, month, 1), date(year, month, last))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        last = first + 2
        end = date(year, last, calendar.monthrange(year, last)[1])
        return cls(QUARTER, date(year, first, 1), end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(YEAR, date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def of(cls, start: date, end: date) -> Period:
        """The days as the whole month, quarter or year they are, else a range."""
        if start > end:
            raise PeriodError(
                _("The first day ({start}) is after the last day ({end}).").format(
                    start=start.isoformat(), end=end.isoformat()
                )
            )
        candidates = [
            cls.month(start.year, start.month),
            cls.quarter(start.year, (start.month - 1) // 3 + 1),
            cls.year(start.year),
        ]
        for period in candidates:
            if (period.start, period.end) == (start, end):
                return period
        return cls(RANGE, start, end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def quarter_number(self) -> int:
        return (self.start.month - 1) // 3 + 1

    def previous(self) -> Period:
        """The period of the same kind just before (a range: as many days before)."""
        return self._shifted(-1)

    def next(self) -> Period:
        """The period of the same kind just after (a range: as many days after)."""
        return self._shifted(1)

    def _shifted(self, step: int) -> Period:
        if self.kind == MONTH:
            index = self.start.year * 12 + self.start.month - 1 + step
            return Period.month(index // 12, index % 12 + 1)
        if self.kind == QUARTER:
            index = self.start.year * 4 + self.quarter_number - 1 + step
            return Period.quarter(index // 4, index % 4 + 1)
        if self.kind == YEAR:
            return Period.year(self.start.year + step)
        shift = timedelta(days=self.days * step)
        return Period(RANGE, self.start + shift, self.end + shift)

    @property
    def code(self) -> str:
        """``2026-11``, ``2026-Q4``, ``2026`` or ``2026-11-01_2026-11-15`` (file names)."""
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{self.quarter_number}"
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def label(self) -> str:
        """In the current language: ``tháng 11/2026``, ``quý IV năm 2026``, ``năm 2026``,
        ``từ ngày 01/11/2026 đến ngày 15/11/2026``."""
        year = self.start.year
        if self.kind == MONTH:
            return _("month {month}/{year}").format(month=self.start.month, year=year)
        if self.kind == QUARTER:
            roman = ROMAN[self.quarter_number - 1]
            return _("quarter {quarter} of {year}").format(quarter=roman, year=year)
        if self.kind == YEAR:
            return _("year {year}").format(year=year)
        return _("from {start} to {end}").format(
            start=f"{self.start:%d/%m/%Y}", end=f"{self.end:%d/%m/%Y}"
        )

    def query(self) -> dict[str, str]:
        """The report page's query string for this period."""
        if self.kind == RANGE:
            return {"from": self.start.isoformat(), "to": self.end.isoformat()}
        return {self.kind: self.code}


def _year(value: str) -> int:
    year = int(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(_("{year} is not a year the report can cover.").format(year=year))
    return year


def parse_month(text: str) -> Period:
    """``2026-11`` → November 2026."""
    match = _MONTH.match(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise PeriodError(_("{value} is not a month (use YYYY-MM).").format(value=text[:20]))
    return Period.month(_year(match.group(1)), int(match.group(2)))


def parse_quarter(text: str) -> Period:
    """``2026-Q4`` → October to December 2026."""
    match = _QUARTER.match(text.strip())
    if match is None:
        raise PeriodError(
            _("{value} is not a quarter (use YYYY-Q1 … YYYY-Q4).").format(value=text[:20])
        )
    return Period.quarter(_year(match.group(1)), int(match.group(2)))


def parse_year(text: str) -> Period:
    """``2026`` → the whole of 2026."""
    match = _YEAR.match(text.strip())
    if match is None:
        raise PeriodError(_("{value} is not a year (use YYYY).").format(value=text[:20]))
    return Period.year(_year(match.group(1)))


def parse_day(text: str, label: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(
            _("{label}: {value} is not a date (use YYYY-MM-DD).").format(
                label=label, value=text[:20]
            )
        ) from None


def chosen_period(
    *,
    month: str | None = None,
    quarter: str | None = None,
    year: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> Period | None:
    """The period named by exactly one way: a month, a quarter, a year, or a first and
    last day (one of them alone is a single day). ``None`` when none is given; two ways at
    once is an error."""
    named = {
        "month": month or None,
        "quarter": quarter or None,
        "year": year or None,
        "range": (start or end) or None,
    }
    given = [kind for kind, value in named.items() if value]
    if len(given) > 1:
        raise PeriodError(
            _("Choose the days one way only: a month, a quarter, a year, or a first and last day.")
        )
    if not given:
        return None
    if month:
        return parse_month(month)
    if quarter:
        return parse_quarter(quarter)
    if year:
        return parse_year(year)
    first = parse_day(start, _("From")) if start else None
    last = parse_day(end, _("To")) if end else None
    first = first or last
    last = last or first
    assert first is not None and last is not None
    return Period.of(first, last)

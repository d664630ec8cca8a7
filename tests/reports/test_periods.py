"""Report periods: parsing, labels in both languages, previous and next, one way only."""

from __future__ import annotations

from datetime import date

import pytest

from queue_server.i18n import use_language
from queue_server.reports.periods import (
    Period,
    PeriodError,
    chosen_period,
    parse_month,
    parse_quarter,
    parse_year,
)


def test_months_quarters_and_years() -> None:
    february = parse_month("2028-02")
    assert (february.kind, february.start, february.end) == (
        "month",
        date(2028, 2, 1),
        date(2028, 2, 29),
    )
    q4 = parse_quarter("2026-Q4")
    assert (q4.start, q4.end, q4.code) == (date(2026, 10, 1), date(2026, 12, 31), "2026-Q4")
    assert parse_quarter("2026-q1").end == date(2026, 3, 31)
    year = parse_year("2026")
    assert (year.start, year.end, year.days) == (date(2026, 1, 1), date(2026, 12, 31), 365)


def test_whole_months_quarters_and_years_are_recognised() -> None:
    assert Period.of(date(2026, 11, 1), date(2026, 11, 30)).kind == "month"
    assert Period.of(date(2026, 4, 1), date(2026, 6, 30)).kind == "quarter"
    assert Period.of(date(2026, 1, 1), date(2026, 12, 31)).kind == "year"
    assert Period.of(date(2026, 11, 1), date(2026, 11, 29)).kind == "range"
    with pytest.raises(PeriodError):
        Period.of(date(2026, 11, 2), date(2026, 11, 1))


def test_previous_and_next_cross_year_ends() -> None:
    assert parse_month("2026-01").previous() == parse_month("2025-12")
    assert parse_month("2026-12").next() == parse_month("2027-01")
    assert parse_quarter("2026-Q1").previous() == parse_quarter("2025-Q4")
    assert parse_quarter("2026-Q4").next() == parse_quarter("2027-Q1")
    assert parse_year("2026").next() == parse_year("2027")
    week = Period.of(date(2026, 11, 30), date(2026, 12, 6))
    assert (week.next().start, week.next().end) == (date(2026, 12, 7), date(2026, 12, 13))
    assert week.previous().end == date(2026, 11, 29)


def test_labels_in_vietnamese_and_english() -> None:
    periods = [
        parse_month("2026-11"),
        parse_quarter("2026-Q4"),
        parse_year("2026"),
        Period.of(date(2026, 11, 2), date(2026, 11, 8)),
    ]
    with use_language("vi"):
        assert [p.label() for p in periods] == [
            "tháng 11/2026",
            "quý IV năm 2026",
            "năm 2026",
            "từ ngày 02/11/2026 đến ngày 08/11/2026",
        ]
    with use_language("en"):
        assert [p.label() for p in periods] == [
            "month 11/2026",
            "quarter IV of 2026",
            "year 2026",
            "from 02/11/2026 to 08/11/2026",
        ]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"month": "2026-13"}, "2026-13 không phải là tháng"),
        ({"month": "11/2026"}, "11/2026 không phải là tháng"),
        ({"quarter": "2026-Q0"}, "2026-Q0 không phải là quý"),
        ({"year": "26"}, "26 không phải là năm"),
        ({"year": "1999"}, "Không lập được báo cáo cho năm 1999."),
        ({"month": "2026-11", "start": "2026-11-01"}, "theo một cách"),
        ({"start": "2026-11-31"}, "Từ ngày: 2026-11-31 không phải là ngày"),
    ],
)
def test_bad_periods_are_refused_politely(given: dict[str, str], message: str) -> None:
    with use_language("vi"), pytest.raises(PeriodError) as refused:
        chosen_period(**given)
    assert message in refused.value.message


def test_one_way_of_naming_the_days() -> None:
    assert chosen_period() is None
    assert chosen_period(year="2026") == parse_year("2026")
    single = chosen_period(end="2026-11-23")
    assert single is not None and (single.start, single.end) == (date(2026, 11, 23),) * 2
    assert chosen_period(start="2026-11-01", end="2026-11-30") == parse_month("2026-11")

"""Issue 13.13: report figures that disagreed with the database, and the CSV's header."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from queue_server.auth.users import add_user
from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.reports import compute_report
from queue_server.reports.collation import vietnamese_key

from .conftest import Play, at, client_as


@pytest.fixture
def played(queue: Queue, clock: FrozenClock, play: Play) -> Queue:
    play(queue, clock)
    return queue


def test_the_row_of_all_priority_categories_has_a_mean_wait(played: Queue) -> None:
    report = compute_report(played.db, played.options.zone, date(2026, 11, 1), date(2026, 11, 30))
    # T2 (elderly) waited 240 s, T3 (disabled) 180 s, T6 (elderly) 300 s.
    assert report.priority_total.wait.mean == 240
    assert report.priority_total.issued == report.priority_issued == 3


def test_vietnamese_alphabetical_order() -> None:
    names = ["Đặng Văn Nam", "Zhang Wei", "Ân", "Ăn", "Anh", "Ảnh", "Ánh", "Bình", "Lệ", "Lê", "Le"]
    assert sorted(names, key=vietnamese_key) == [
        "Anh", "Ảnh", "Ánh", "Ăn", "Ân", "Bình", "Đặng Văn Nam", "Le", "Lê", "Lệ", "Zhang Wei",
    ]  # fmt: skip


def test_officers_are_listed_in_vietnamese_order(queue: Queue, clock: FrozenClock) -> None:
    names = ["Đỗ Thị Hoa", "Yên Văn Bảo", "Ánh Dương"]
    for counter, name in zip((2, 3, 5), names, strict=True):
        officer = add_user(queue.db, f"cb{counter}", "officer", "mat-khau-123", display_name=name)
        at(clock, 23, 9, counter)
        ticket = queue.issue({2: "HT", 3: "CT", 5: "DD"}[counter]).value
        queue.call_ticket(counter, ticket.id, officer_id=officer)
    report = compute_report(queue.db, queue.options.zone, date(2026, 11, 23), date(2026, 11, 23))
    assert list(report.by_officer) == ["Ánh Dương", "Đỗ Thị Hoa", "Yên Văn Bảo"]


def test_the_csv_download_names_its_charset_once(app: Flask, played: Queue) -> None:
    client, _csrf = client_as(app, "manager")
    download = client.get("/admin/reports/download?from=2026-11-23&format=csv")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"

"""Issue 13: one wording for the wait, and the command line's own words in Vietnamese."""

from __future__ import annotations

from pathlib import Path

from devices.printer.labels import wait_text

from .test_cli import config, xephang  # noqa: F401


def test_ticket_issue_says_the_wait_as_the_kiosk_does(config: Path) -> None:  # noqa: F811
    issued = xephang("ticket", "issue", "HT", config=config)
    assert issued.returncode == 0, issued.stderr
    assert "khoảng 0 phút" not in issued.stdout
    assert issued.stdout.strip() == (
        "Số B001 – Hộ tịch: 0 người chờ trước. Thời gian chờ dự kiến: dưới 1 phút"
    )
    second = xephang("ticket", "issue", "HT", config=config)
    # One ahead, 420 s at two counters: 210 s, rounded up as on the kiosk.
    assert second.stdout.strip().endswith("1 người chờ trước. Thời gian chờ dự kiến: khoảng 4 phút")


def test_the_printed_ticket_rounds_as_the_kiosk() -> None:
    assert wait_text(150, "vi", 2) == "Thời gian chờ dự kiến: khoảng 3 phút"
    assert wait_text(0, "vi", 0) == "Thời gian chờ dự kiến: dưới 1 phút"

"""A plain test run leaves the tracked screenshots alone (issue 13: `git status` clean)."""

from __future__ import annotations

from .conftest import SCREENSHOTS, screenshot_dir


def test_screenshots_go_to_a_scratch_directory_unless_asked() -> None:
    assert screenshot_dir({}) != SCREENSHOTS
    assert SCREENSHOTS not in screenshot_dir({}).parents
    assert screenshot_dir({"XEPHANG_SCREENSHOTS": "0"}) != SCREENSHOTS


def test_make_screenshots_writes_the_docs_pictures() -> None:
    assert screenshot_dir({"XEPHANG_SCREENSHOTS": "1"}) == SCREENSHOTS

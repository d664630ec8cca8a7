"""Issue 20 part 2: the first start. ``xephang run`` on an empty configuration serves the
setup page behind a one-time code; once set up, the real server starts on the same port and
the links it gave open the screens."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page

from queue_server.cli.check import ask_servers
from queue_server.settings import load_settings

from .conftest import assert_accessible, screenshot

DEADLINE_S = 30.0
PASSWORD = "mat-khau-quan-tri"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Lines:
    """The lines a process writes to stderr, read by a thread as they come."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            self.queue.put(line)

    def matching(self, pattern: str) -> re.Match[str]:
        """The next line matching ``pattern`` (within the deadline)."""
        deadline = time.monotonic() + DEADLINE_S
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(line)
            if found := re.search(pattern, line):
                return found
        raise AssertionError(f"no line like {pattern!r} in {self.seen!r}")


@pytest.fixture
def first_start(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    path = tmp_path / "center.toml"
    path.write_text("# Set up on the first start (docs/setup.md).\n", encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "XEPHANG_LANG": "vi", "PYTHONUNBUFFERED": "1"}
    env.pop("XEPHANG_CONFIG", None)
    command = [sys.executable, "-m", "queue_server.cli", "run", "--config", str(path)]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # gunicorn and its worker: one group, stopped together
    )
    try:
        yield process, f"http://127.0.0.1:{port}", path
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=DEADLINE_S)


def _submit(page: Page) -> None:
    """Press the form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click("button")
    assert "Internal Server Error" not in page.content()


ANSWERS = {
    "center.name": "Trung tâm Phục vụ hành chính công phường Tây Hồ",
    "counters": "1",
    "admin.password": PASSWORD,
    "devices.scan": "k",
    "printer.kind": "virtual",
    "led.port": "virtual",
}


def test_the_first_start_sets_up_the_center_then_serves_it(
    laptop: Page, first_start: tuple[subprocess.Popen[str], str, Path]
) -> None:
    page = laptop
    process, url, path = first_start
    lines = Lines(process)
    code = lines.matching(r"Mã cài đặt.*: (\d{8})").group(1)
    lines.matching(r"/setup")  # listening
    page.goto(f"{url}/setup")
    page.fill("#code", "00000000" if code != "00000000" else "11111111")
    _submit(page)
    assert page.get_by_role("alert").inner_text() == "Đây không phải mã cài đặt."
    page.fill("#code", code)
    _submit(page)
    assert "Bước 1/6: Trung tâm" in page.inner_text("h2")
    assert_accessible(page)
    refused = False
    for _step in range(20):
        if page.locator('form[action="/setup/finish"]').count():
            break
        if page.locator('[name="counters"]').count() and not refused:
            page.fill('[name="counters"]', "0")  # refused, then answered
            _submit(page)
            assert page.get_by_role("alert").inner_text() == "Hãy nhập một số từ 1 đến 99."
            screenshot(page, "setup-refused")
            refused = True
        for name, value in ANSWERS.items():
            field = page.locator(f'[name="{name}"]')
            if field.count():
                field.fill(value)
        _submit(page)
    assert "Kiểm tra lại các câu trả lời" in page.inner_text("h2")
    assert PASSWORD not in page.content()
    _submit(page)
    links = page.locator(".link")
    assert links.count() == 5  # display, kiosk, the rating tablet, officers, admin
    assert page.locator(".link svg").count() == 5
    screenshot(page, "setup-done")
    display = next(u for u in page.locator(".url").all_inner_texts() if "/display?token=" in u)
    settings = load_settings(path)
    assert settings.center.name == ANSWERS["center.name"]
    assert [answer.ok for answer in ask_servers(settings, 2.0)] == [True]  # as xephang check
    _submit(page)  # start the queue server
    assert "đang khởi động" in page.get_by_role("status").inner_text()
    lines.matching(r"Booting worker")
    assert display.startswith(url)  # the address the page was opened at
    assert requests.get(display, timeout=DEADLINE_S).status_code == 200
    assert process.poll() is None

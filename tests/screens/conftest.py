"""A real server in a subprocess (so it can be killed and restarted) and a real Chromium."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, Route, sync_playwright

from queue_server.auth.tokens import create_token
from queue_server.auth.users import add_user
from queue_server.core.bootstrap import open_queue
from queue_server.core.operations import Queue
from queue_server.settings import Settings

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SERVER_MAIN = HERE / "server_main.py"
AXE = HERE / "vendor" / "axe.min.js"  # tests only: not in the package
SCREENSHOTS = REPO / "docs" / "screenshots"  # written only with XEPHANG_SCREENSHOTS=1
SCREENSHOTS_ENV = "XEPHANG_SCREENSHOTS"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",  # as on the display PC (see systemd unit)
]
PASSWORD = "correct horse battery"
SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768), "1080x1920": (1080, 1920)}


@dataclass
class LiveServer:
    """The app serving on 127.0.0.1 from a child process, over a data directory."""

    data_dir: Path
    settings: Settings
    port: int = 0
    screens: dict[str, Any] = field(default_factory=dict)  # ScreensConfig options
    ratings: dict[str, Any] = field(default_factory=dict)  # RatingsConfig options
    process: subprocess.Popen[str] | None = None
    _queue: Queue | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        args = [sys.executable, str(SERVER_MAIN), str(self.data_dir)]
        if self.port:
            args.append(str(self.port))
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "XEPHANG_TEST_SCREENS": json.dumps(self.screens),
            "XEPHANG_TEST_RATINGS": json.dumps(self.ratings),
        }
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # blocks until the server listens
        assert line.startswith("PORT "), f"server did not start: {line!r}"
        self.port = int(line.split()[1])
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    @property
    def queue(self) -> Queue:
        """The same database, opened from the test process (no bus: nothing published)."""
        if self._queue is None:
            self._queue = open_queue(self.settings, migrate=False, sync=False)
        return self._queue

    def token(self, role: str, counter: int | None = None) -> str:
        secret, _info = create_token(self.queue.db, role, counter=counter)
        return secret

    def user(self, username: str, role: str) -> str:
        add_user(self.queue.db, username, role, PASSWORD)
        return username

    def api(self, method: str, path: str, token: str, body: Any = None) -> requests.Response:
        return requests.request(
            method,
            self.url + path,
            headers={"Authorization": f"Bearer {token}"},
            json=body,
            timeout=10,
        )

    def close(self) -> None:
        self.stop()
        if self._queue is not None:
            self._queue.db.dispose()


def start_server(
    demo_settings: Settings,
    data_dir: Path,
    ratings: dict[str, Any] | None = None,
    **screens: Any,
) -> LiveServer:
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = demo_settings.model_copy(update={"data_dir": str(data_dir)})
    live = LiveServer(data_dir=data_dir, settings=settings, screens=screens, ratings=ratings or {})
    return live.start()


@pytest.fixture(scope="module")
def server(
    demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    live = start_server(demo_settings, tmp_path_factory.mktemp("screens") / "data")
    yield live
    live.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is needed: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def page_of(browser: Browser, width: int, height: int) -> Iterator[Page]:
    """A page in a context of its own, ``width`` × ``height``, in Vietnamese."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="vi-VN", accept_downloads=True
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """The hall display's size."""
    yield from page_of(browser, 1920, 1080)


@pytest.fixture
def laptop(browser: Browser) -> Iterator[Page]:
    """The help desk's and officers' 1366×768 screen."""
    yield from page_of(browser, 1366, 768)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A volunteer's or citizen's phone."""
    yield from page_of(browser, 390, 844)


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core violations of impact serious or critical on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in found
    ]


class HeldScript:
    """A page script (``display/static/js/NAME``) held on its way by Playwright's
    routing until :meth:`release`: the page as a slow phone shows it meanwhile."""

    def __init__(self, page: Page, name: str) -> None:
        self.page = page
        self.held: list[Route] = []
        page.route(f"**/js/{name}", lambda route: self.held.append(route))

    def wait(self) -> list[Route]:
        """The requests held so far, once the first is (each round trip to the browser
        lets Playwright hand a held request over)."""
        for _ in range(1000):
            if self.held:
                break
            self.page.evaluate("0")
        return self.held

    def release(self) -> None:
        self.held[0].continue_()


def assert_accessible(page: Page) -> None:
    violations = serious_violations(page)
    assert violations == [], json.dumps(violations, indent=1)


def screenshot_dir(environ: dict[str, str] | None = None) -> Path:
    """Where screenshots go: docs/screenshots/ only when asked, else a scratch directory.

    A plain test run must leave ``git status`` clean, so the tracked PNGs are rewritten
    only by ``make screenshots`` (``XEPHANG_SCREENSHOTS=1``).
    """
    env = os.environ if environ is None else environ
    if env.get(SCREENSHOTS_ENV, "") not in ("", "0"):
        return SCREENSHOTS
    return Path(tempfile.gettempdir()) / f"xephang-screenshots-{os.getuid()}"


def screenshot(page: Page, name: str) -> Path:
    folder = screenshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    assert size is not None
    path = folder / f"{name}-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(path))
    return path


def sign_in(page: Page, server: LiveServer, username: str, target: str) -> None:
    """Sign in through the real form, then open ``target``."""
    page.goto(f"{server.url}{target}")
    page.wait_for_url(re.compile(r"/login\?next="))  # the page sends us to sign in
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{server.url}{target}")

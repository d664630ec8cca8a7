"""`xephang demo` starts a whole center a newcomer can open in a browser."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask.testing import FlaskClient
from sqlalchemy import func, select

from queue_server.core.db import Database
from queue_server.core.models import Ticket
from queue_server.reports import compute_report
from queue_server.runtime import start_app
from queue_server.settings import Settings, load_settings

from .conftest import REPO, free_port, start, wait_until_serving, xephang

LINK = re.compile(r"^  (?P<label>\S.*?)\s{2,}(?P<url>http://\S+)(?:\s+\((?P<note>.*)\))?$")
SIGN_IN = re.compile(r"sign in as ([^\s;,]+) / ([^\s;,]+)")
ISSUED_CELL = re.compile(r'<th scope="row">Số phiếu đã cấp</th><td class="num">([\d.]+)</td>')
SCREENS = {
    "Hall display",
    "Kiosk",
    "Officer console",
    "Help desk",
    "Help records",
    "Rating tablet, counter 1",
    "Rating tablet, counter 2",
    "Admin pages",
    "Reports",
    "Virtual printer",
    "Virtual LED boards",
}


@dataclass(frozen=True)
class Link:
    url: str
    note: str

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def token(self) -> str:
        return parse_qs(urlsplit(self.url).query)["token"][0]

    @property
    def account(self) -> tuple[str, str]:
        found = SIGN_IN.search(self.note)
        assert found, self.note
        return found.group(1), found.group(2)


def demo_config(tmp_path: Path) -> Path:
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    config = tmp_path / "demo.toml"
    config.write_text(
        text.replace('data_dir = "../var/demo"', f'data_dir = "{tmp_path / "data"}"'),
        encoding="utf-8",
    )
    return config


def printed_links(output: str) -> dict[str, Link]:
    links = {}
    for line in output.splitlines():
        if found := LINK.match(line):
            links[found["label"]] = Link(found["url"], found["note"] or "")
    return links


def tickets(settings: Settings) -> int:
    database = Database(settings.database_url())
    with database.read() as conn:
        count = int(conn.execute(select(func.count()).select_from(Ticket)).scalar_one())
    database.dispose()
    return count


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """``xephang demo --no-serve`` once, with two days of history."""
    config = demo_config(tmp_path_factory.mktemp("demo"))
    yield config, xephang("demo", "--no-serve", "--history-days", "2", config=config).stdout


def sign_in(client: FlaskClient, link: Link) -> None:
    username, password = link.account
    form = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf is not None
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": csrf.group(1)}
    )
    assert response.status_code == 303, response.get_data(as_text=True)


def test_no_serve_prints_every_screen_and_each_link_works(demo_run: tuple[Path, str]) -> None:
    config, output = demo_run
    assert "History " in output and "xephang report --from" in output
    links = printed_links(output)
    tracking = [label for label in links if label.startswith("Tracking page of ")]
    assert set(links) == SCREENS | set(tracking) and len(tracking) == 1
    settings = load_settings(config)
    app = start_app(settings, testing=True)
    queue = app.extensions["xephang"].queue

    def client() -> FlaskClient:
        return app.test_client()

    anonymous = client()
    for label in ("Hall display", "Kiosk"):
        assert anonymous.get(links[label].path).status_code == 200, label
    for label in ("Virtual printer", "Virtual LED boards"):  # staff only: the note says who
        assert anonymous.get(links[label].path).status_code in (302, 303), label
        staff = client()
        sign_in(staff, links[label])
        assert staff.get(links[label].path).status_code == 200, label
    assert links["Virtual printer"].account[0] == "quantri"  # its tickets' QR codes
    for label in ("Hall display", "Kiosk"):  # the printed tokens are valid
        auth = {"Authorization": f"Bearer {links[label].token}"}
        assert anonymous.get("/api/v1/state", headers=auth).status_code == 200, label

    for number in (1, 2):  # each tablet's token belongs to its own counter
        link = links[f"Rating tablet, counter {number}"]
        assert anonymous.get(link.path).status_code == 200
        auth = {"Authorization": f"Bearer {link.token}"}
        own = anonymous.get(f"/api/v1/counters/{number}/rating", headers=auth)
        assert own.status_code == 200 and own.get_json()["counter"] == number
        other = anonymous.get(f"/api/v1/counters/{3 - number}/rating", headers=auth)
        assert other.status_code == 403

    track = links[tracking[0]]
    page = anonymous.get(track.path)
    assert page.status_code == 200 and tracking[0].split()[-1] in page.get_data(as_text=True)
    code = track.path.rsplit("/", 1)[1]
    assert anonymous.get(f"/api/v1/track/{code}/rating").get_json() == {"state": "open"}
    assert "not rated yet" in track.note and "private window" in track.note

    staff_screens = (
        ("Officer console", "/officer"),
        ("Help desk", "/helpdesk"),
        ("Help records", "/assist"),
    )
    for label, path in staff_screens:
        assert anonymous.get(path).status_code in (302, 303)  # sign in first
        staff = client()
        sign_in(staff, links[label])
        assert staff.get(path).status_code == 200, label

    admin = client()
    sign_in(admin, links["Admin pages"])
    menu = admin.get(links["Admin pages"].path, follow_redirects=True)
    assert menu.status_code == 200 and menu.request.path == "/admin/reports"  # not the clock
    assert admin.get("/admin/services").status_code == 200
    users = admin.get("/admin/users")  # every demo account, the manager too
    assert users.status_code == 200
    assert all(name in users.get_data(as_text=True) for name in ("canbo6", "hotro", "lanhdao"))

    report_link = links["Reports"]
    query = parse_qs(urlsplit(report_link.url).query)
    first, last = query["from"][0], query["to"][0]
    report = compute_report(
        queue.db, settings.center.zone, date.fromisoformat(first), date.fromisoformat(last)
    )
    assert report.total.issued > 200 and report.satisfaction.total.count > 0
    manager = client()
    sign_in(manager, report_link)
    assert report_link.account[0] == "lanhdao"
    page = manager.get(report_link.path)
    assert page.status_code == 200
    issued = ISSUED_CELL.search(page.get_data(as_text=True))
    assert issued is not None and issued.group(1).replace(".", "") == str(report.total.issued)
    assert manager.get("/admin/services").status_code == 403  # a manager only reads
    admin_reports = admin.get(report_link.path)
    assert admin_reports.status_code == 200
    queue.db.dispose()


def test_history_once_and_only_into_a_new_demo_database(
    demo_run: tuple[Path, str], tmp_path: Path
) -> None:
    config, output = demo_run
    settings = load_settings(config)
    before = tickets(settings)
    again = xephang("demo", "--no-serve", "--history-days", "2", config=config).stdout
    assert "History " not in again and tickets(settings) == before
    assert printed_links(again).keys() == printed_links(output).keys()

    other = demo_config(tmp_path)
    xephang("init", config=other)  # an existing (empty) database is never filled
    kept = xephang("demo", "--no-serve", config=other).stdout
    assert "No history played" in kept and "--reset" in kept
    other_settings = load_settings(other)
    assert tickets(other_settings) == 1  # only the ticket whose tracking page is shown
    assert "a ticket issued just now" in kept

    reset = xephang("demo", "--no-serve", "--reset", "--history-days", "1", config=other).stdout
    assert "History " in reset and tickets(other_settings) > 100


def test_demo_prints_working_links(tmp_path: Path, processes: list[subprocess.Popen[str]]) -> None:
    config = demo_config(tmp_path)
    port = free_port()
    demo = start("demo", "--port", str(port), "--history-days", "1", config=config)
    processes.append(demo)
    assert demo.stdout is not None
    links: dict[str, str] = {}
    for line in demo.stdout:
        if line.startswith("Serving"):
            break
        if found := LINK.match(line.rstrip("\n")):
            links[found["label"]] = found["url"]
    wait_until_serving(port)
    assert len(links) == len(SCREENS) + 1
    for url in links.values():
        response = requests.get(url, timeout=10)
        assert response.status_code == 200, url
    kiosk = links["Kiosk"]
    token = kiosk.split("token=")[1]
    issued = requests.post(
        f"http://127.0.0.1:{port}/api/v1/tickets",
        json={"service": "HT"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert issued.status_code == 201
    assert issued.json()["number"] == "B001"  # today starts empty: the history is in the past

"""A whole outreach Saturday on a laptop (its own data directory and server process),
exported, imported into the center twice, and counted in the center's report.

The center is opened in this process (frozen clock); the laptop is made from the
center's package with ``xephang site init`` and runs ``xephang run``: its kiosk issues
numbers with the site code, the officer (an account from the package, with the password
``site init`` printed) calls, serves and records help, the counter's tablet rates.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import requests
from sqlalchemy import select

from queue_server.auth.users import add_user
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.models import Assist, Rating, Ticket
from queue_server.core.site_import import import_site
from queue_server.reports.compute import compute_report
from queue_server.reports.export_json import report_json
from queue_server.settings import load_settings
from tests.core.site_helpers import add_session, center_state, write_package

from .conftest import _env, center_config, free_port, start, wait_until_serving, xephang

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
NOON = datetime(2026, 12, 12, 5, 0, tzinfo=UTC)  # 12:00 local, after the session


def _officer(base: str, username: str, password: str) -> tuple[requests.Session, dict[str, str]]:
    """The officer signed in on the laptop's console at counter 1."""
    client = requests.Session()
    form = client.get(f"{base}/login", timeout=10).text
    match = CSRF_FIELD.search(form)
    assert match is not None
    signed = client.post(
        f"{base}/login",
        data={"username": username, "password": password, "csrf_token": match.group(1)},
        allow_redirects=False,
        timeout=10,
    )
    assert signed.status_code == 303, signed.text
    headers = {
        "X-CSRF-Token": client.get(f"{base}/api/v1/session", timeout=10).json()["csrf_token"]
    }
    chosen = client.post(
        f"{base}/api/v1/session/counter", json={"counter": 1}, headers=headers, timeout=10
    )
    assert chosen.status_code == 200, chosen.text
    return client, headers


def _play_the_saturday(base: str, kiosk: str, tablet: str, officer: tuple[str, str]) -> list[str]:
    """Five citizens: four served (one rated, one helped), one still waiting at the end."""
    issued = []
    citizens = (("HT", "elderly"), ("CT", None), ("HT", None), ("CT", "disabled"), ("HT", None))
    for service, category in citizens:
        response = requests.post(
            f"{base}/api/v1/tickets",
            json={"service": service, "priority": category},
            headers={"Authorization": f"Bearer {kiosk}"},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        issued.append(response.json()["number"])
    client, headers = _officer(base, *officer)
    api = f"{base}/api/v1/counters/1"
    for _ in range(4):
        ticket = client.post(f"{api}/next", headers=headers, timeout=10).json()["ticket"]
        assert client.post(f"{api}/serve", headers=headers, timeout=10).status_code == 200
        if ticket["priority"] == "elderly":
            help_given = {"kind": "forms", "category": "elderly", "ticket_id": ticket["id"]}
            response = client.post(f"{base}/api/v1/assists", json=help_given, headers=headers)
            assert response.status_code == 201, response.text
        assert client.post(f"{api}/finish", headers=headers, timeout=10).status_code == 200
    client.close()
    rating = requests.post(
        f"{api}/rating",
        json={"ticket_id": ticket["id"], "score": 3, "reasons": []},
        headers={"Authorization": f"Bearer {tablet}"},
        timeout=10,
    )
    assert rating.status_code in (200, 201), rating.text
    return issued


def test_an_outreach_saturday_comes_back_into_the_center_once(
    tmp_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    settings = load_settings(center_config(tmp_path, '[devices]\nworker = "external"\n'))
    clock = FrozenClock(datetime(2026, 12, 11, 2, 0, tzinfo=UTC))
    center = open_queue(settings, clock=clock, create=True)
    officer_id = add_user(center.db, "lan", "officer", "center-password", display_name="Lan")
    session_id = add_session(center.db, staff_ids=str(officer_id))
    write_package(center.db, settings, session_id, tmp_path / "package.json")

    laptop_dir = tmp_path / "laptop"
    package, session = str(tmp_path / "package.json"), str(session_id)
    init = ["site", "init", package, "--data-dir", str(laptop_dir), "--session", session]
    made = subprocess.run(
        [sys.executable, "-m", "queue_server.cli", *init],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
        check=True,
    )
    password = re.search(r"Account lan \(officer\): password (\S+)", made.stdout)
    assert password is not None, made.stdout
    laptop = laptop_dir / "center.toml"
    kiosk = xephang("token", "create", "--role", "kiosk", "--without-printer", config=laptop)
    tablet = xephang("token", "create", "--role", "rating", "--counter", "1", config=laptop)
    port = free_port()
    processes.append(start("run", "--port", str(port), config=laptop))
    wait_until_serving(port)
    issued = _play_the_saturday(
        f"http://127.0.0.1:{port}",
        kiosk.stdout.split()[0],
        tablet.stdout.split()[0],
        ("lan", password.group(1)),
    )
    assert issued == ["L1-B001", "L1-C001", "L1-B002", "L1-C002", "L1-B003"]
    server = processes.pop()
    server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown (the data is committed)
    server.wait(timeout=10)
    assert server.stdout is not None
    server.stdout.close()

    export = tmp_path / "export.json"
    xephang("site", "export", "--out", str(export), config=laptop)
    clock.set(NOON)
    first = import_site(center.db, settings, export.read_bytes(), clock).value
    assert first.new["tickets"] == 5 and first.new["ratings"] == 1 and first.new["assists"] == 1
    assert first.new["events"] == 5 + 4 * 3  # issued; called, serving, done (four of them)
    before = center_state(center.db)
    again = xephang("site", "import", str(export), config=tmp_path / "center.toml").stdout
    assert "0 new" in again and "Already imported" in again
    assert center_state(center.db) == before

    with center.db.read() as conn:
        tickets = conn.execute(select(Ticket.number, Ticket.status, Ticket.day)).all()
        assert conn.execute(select(Rating.score)).scalars().all() == [3]
        assert conn.execute(select(Assist.kind)).scalars().all() == ["forms"]
    assert sorted(t.number for t in tickets) == sorted(issued)
    assert [t.status for t in tickets].count("done") == 4
    assert [t.status for t in tickets].count("cancelled") == 1  # still waiting at export
    day: date = tickets[0].day
    report = compute_report(center.db, settings.center.zone, day, day)
    outreach = report_json(report, settings.center.name)["outreach"]
    assert outreach["sessions"] == 1 and outreach["issued"] == 5 and outreach["served"] == 4
    assert outreach["by_session"][0]["site_code"] == "L1"
    assert {row["service"]: row["issued"] for row in outreach["by_service"]} == {"HT": 3, "CT": 2}
    served = {row["category"]: row["served"] for row in outreach["by_category"]}
    assert served == {"elderly": 1, None: 2, "disabled": 1}
    assert outreach["center_only"] == {"issued": 0, "served": 0}
    assert report.total.issued == 5  # together with the center's own figures
    center.db.dispose()

"""The help desk's "In lại" (docs/screens.md, "Help desk"): ``POST /api/v1/tickets/{id}/
reprint`` prints on the kiosk named ``helpdesk`` if it has a printer, else on the first
kiosk with one, or on the kiosk the body names; with no printer it answers 404, and the
page then prints a slip through the browser. SQLite."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from queue_server.core.envelope import Envelope
from queue_server.core.operations import Queue
from queue_server.relay import Relay
from queue_server.runtime import start_app
from queue_server.settings import KioskConfig, Settings
from tests.web.conftest import Headers, sign_in


def desk_with(
    settings: Settings, queue: Queue, kiosks: tuple[KioskConfig, ...]
) -> tuple[FlaskClient, Headers, list[Envelope], dict[str, Any]]:
    """The help desk signed in on a center with ``kiosks``, one ticket issued."""
    bus = Relay()
    seen: list[Envelope] = []
    bus.subscribe(seen.append)
    app = start_app(settings.model_copy(update={"kiosks": kiosks}), queue=queue, relay=bus,
                    testing=True)  # fmt: skip
    desk, csrf = sign_in(app, "helpdesk")
    ticket = desk.post("/api/v1/tickets", json={"service": "HT"}, headers=csrf).get_json()
    return desk, csrf, seen, ticket


def test_the_help_desk_reprints_on_its_own_printer_else_a_kiosks(
    settings: Settings, sqlite_queue: Queue
) -> None:
    printer = settings.kiosks[0].printer  # the demo's virtual printer of kiosk-1
    assert printer is not None
    kiosks = (KioskConfig(name="kiosk-1", printer=printer), KioskConfig(name="kiosk-2"))
    desk, csrf, seen, ticket = desk_with(settings, sqlite_queue, kiosks)
    path = f"/api/v1/tickets/{ticket['id']}/reprint"
    first = desk.post(path, json={}, headers=csrf)
    assert first.status_code == 202, first.get_json()
    assert first.get_json() == {"job_id": f"{ticket['id']}-r1", "kiosk": "kiosk-1"}
    requested = [e.payload for e in seen if e.name == "print_requested"]
    assert [(p["kiosk"], p["ticket"]["number"]) for p in requested] == [("kiosk-1", "B001")]
    assert desk.post(path, json={"kiosk": "kiosk-2"}, headers=csrf).status_code == 404

    with_desk = (*kiosks, KioskConfig(name="helpdesk", printer=printer))
    desk, csrf, _seen, ticket = desk_with(settings, sqlite_queue, with_desk)
    path = f"/api/v1/tickets/{ticket['id']}/reprint"
    assert desk.post(path, json={}, headers=csrf).get_json()["kiosk"] == "helpdesk"
    named = desk.post(path, json={"kiosk": "kiosk-1"}, headers=csrf).get_json()
    assert named == {"job_id": f"{ticket['id']}-r2", "kiosk": "kiosk-1"}


def test_without_a_printer_the_reprint_is_refused(settings: Settings, sqlite_queue: Queue) -> None:
    desk, csrf, seen, ticket = desk_with(settings, sqlite_queue, (KioskConfig(name="kiosk-1"),))
    refused = desk.post(f"/api/v1/tickets/{ticket['id']}/reprint", json={}, headers=csrf)
    assert refused.status_code == 404 and refused.get_json()["error"]
    assert [e for e in seen if e.name == "print_requested"] == []

"""Outreach sites in the core: the site code in ticket numbers, and the import's refusals
(another center, a newer schema, a tampered, truncated or half-wrong file: nothing is
imported), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.errors import Rejected
from queue_server.core.models import Ticket
from queue_server.core.operations import Queue
from queue_server.core.site_export import export_site, signature
from queue_server.core.site_import import import_site
from queue_server.core.site_models import SiteLink
from queue_server.core.sites import init_site, toml_text
from queue_server.i18n import use_language
from queue_server.settings import Settings, load_settings
from tests.core.site_helpers import add_session, center_state, write_package

SATURDAY_9 = datetime(2026, 12, 12, 2, 0, tzinfo=UTC)  # 09:00 local


def _laptop_export(center: Queue, settings: Settings, tmp_path: Path) -> dict[str, Any]:
    """A laptop made from the center's package plays a short morning and exports it."""
    session_id = add_session(center.db)
    package = write_package(center.db, settings, session_id, tmp_path / "package.json")
    laptop_settings = load_settings(init_site(package, tmp_path / "laptop"))
    clock = FrozenClock(SATURDAY_9)
    laptop = open_queue(laptop_settings, clock=clock, create=True)
    first = laptop.issue("HT", "elderly").value
    laptop.issue("CT")
    assert first.number == "L1-B001"
    laptop.call_next(1)
    clock.advance(minutes=6)
    laptop.finish(1)
    document = export_site(laptop.db, package, clock.now())
    laptop.db.dispose()
    return document


def _bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def _resigned(document: dict[str, Any], package_key: str) -> dict[str, Any]:
    return {**document, "hmac": signature(document, package_key)}


def _key(center: Queue) -> str:
    with center.db.read() as conn:
        return str(conn.execute(select(SiteLink.key)).scalar_one())


def test_a_site_export_imports_once_and_every_bad_file_is_refused_whole(
    queue: Queue, settings: Settings, tmp_path: Path
) -> None:
    document = _laptop_export(queue, settings, tmp_path)
    key = _key(queue)
    raw = _bytes(document)
    nothing = center_state(queue.db)

    other = settings.model_copy(
        update={"center": settings.center.model_copy(update={"name": "Trung tâm phường khác"})}
    )
    newer = _resigned({**document, "schema": "9999"}, key)
    tampered = json.loads(raw)
    tampered["data"]["tickets"][0]["status"] = "cancelled"
    half_wrong = json.loads(raw)
    half_wrong["data"]["feedback"] = [{"id": 1, "service": "XX"}]  # after the tickets
    refusals: list[tuple[Settings, bytes, str]] = [
        (other, raw, "another center"),
        (settings, _bytes(newer), "newer version"),
        (settings, _bytes(tampered), "signature does not match"),
        (settings, raw[: len(raw) // 2], "cut short"),
        (settings, _bytes(_resigned(half_wrong, key)), "not as expected"),
    ]
    for center_settings, content, message in refusals:
        with use_language("en"), pytest.raises(Rejected, match=message):
            import_site(queue.db, center_settings, content, queue.clock)
        assert center_state(queue.db) == nothing, message

    first = import_site(queue.db, settings, raw, queue.clock).value
    assert first.new["tickets"] == 2 and first.total_new > 2
    after = center_state(queue.db)
    assert after[2] == nothing[2] + 1  # one site_imported event, in the same transaction
    second = import_site(queue.db, settings, raw, queue.clock).value
    assert second.total_new == 0 and second.known["tickets"] == 2
    assert center_state(queue.db) == after


def test_an_open_ticket_comes_in_cancelled_and_never_meets_the_center_numbering(
    queue: Queue, settings: Settings, tmp_path: Path
) -> None:
    document = _laptop_export(queue, settings, tmp_path)
    queue.clock.set(SATURDAY_9)  # type: ignore[attr-defined]
    own = queue.issue("HT").value  # the center's own B001 of the same Saturday
    import_site(queue.db, settings, _bytes(document), queue.clock)
    with queue.db.read() as conn:
        rows = {r.number: r for r in conn.execute(select(Ticket.number, Ticket.status, Ticket.seq))}
    assert own.number == "B001" and rows["B001"].seq == 1
    assert rows["L1-B001"].status == "done" and rows["L1-B001"].seq < 0
    assert rows["L1-C001"].status == "cancelled"  # was waiting when the laptop exported
    called = queue.call_next(4).value  # counter 4 serves HT and CT: only the center's own
    assert called is not None and called.number == "B001"
    assert queue.call_next(4).value is None


@pytest.mark.parametrize("number", ["L1-B003", "B003"])
def test_the_voice_and_led_boards_leave_the_site_code_out(number: str) -> None:
    from xephang.devices.audio.announcement import build_announcement
    from xephang.devices.led.digits import ticket_digits

    assert ticket_digits(number) == "003"
    assert build_announcement(number, 2).spoken_text == build_announcement("B003", 2).spoken_text


def test_the_laptop_configuration_is_toml_that_reads_back() -> None:
    data: dict[str, Any] = {
        "data_dir": ".",
        "center": {"name": 'A "quoted" name', "notice": "x\ny"},
    }
    data["services"] = [{"code": "HT", "labels": {"en": "Civil status"}, "weight": 1.5}]
    assert tomllib.loads(toml_text(data)) == data

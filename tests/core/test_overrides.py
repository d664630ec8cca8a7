"""Settings saved on the admin pages on top of the TOML file: which wins, validation, audit.

Each test runs on a real SQLite file and on PostgreSQL, and "restarts" by opening the
center again from the file on disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from queue_server.core import audit
from queue_server.core.bootstrap import open_center
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.core.errors import Rejected
from queue_server.core.models import CenterSetting, Counter, Service
from queue_server.core.overrides import save_sections
from queue_server.core.schema import upgrade
from queue_server.settings import ConfigError, Settings, load_settings

REPO = Path(__file__).resolve().parents[2]


class Center:
    """A center whose TOML file can be edited and which can be restarted."""

    def __init__(self, path: Path, db_url: str, clock: FrozenClock) -> None:
        self.path = path
        self.db_url = db_url
        self.clock = clock
        self.db = Database(db_url)
        upgrade(self.db)
        self.file, self.settings = self.start()

    def start(self) -> tuple[Settings, Settings]:
        file = load_settings(self.path)
        effective, _queue = open_center(file, clock=self.clock, migrate=False, db=self.db)
        return file, effective

    def restart(self) -> Settings:
        self.file, self.settings = self.start()
        return self.settings

    def save(self, changes: dict[str, Any], actor: str = "user:admin") -> Settings:
        self.settings, _event = save_sections(
            self.db, self.file, self.settings, changes, actor=actor, now=self.clock.now()
        )
        return self.settings

    def edit_file(self, old: str, new: str) -> None:
        text = self.path.read_text(encoding="utf-8")
        assert old in text
        self.path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def service_names(self) -> dict[str, str]:
        with self.db.read() as conn:
            return dict(conn.execute(select(Service.code, Service.name)).all())

    def audit(self) -> list[audit.AuditRecord]:
        with self.db.read() as conn:
            return audit.entries(conn)

    def overrides(self) -> set[str]:
        with self.db.read() as conn:
            return set(conn.execute(select(CenterSetting.key)).scalars())


@pytest.fixture
def center(tmp_path: Path, db_url: str, clock: FrozenClock) -> Any:
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    path = tmp_path / "center.toml"
    path.write_text(text.replace('data_dir = "../var/demo"', 'data_dir = "data"'), "utf-8")
    c = Center(path, db_url, clock)
    yield c
    c.db.dispose()


def renamed(settings: Settings, code: str, name: str) -> list[dict[str, Any]]:
    services = settings.section("services")
    for service in services:
        if service["code"] == code:
            service["name"] = name
    return services


def test_a_saved_change_survives_a_restart(center: Center) -> None:
    center.save({"services": renamed(center.settings, "HT", "Hộ tịch – Khai sinh")})
    center.save({"center.notice": "Nghỉ lễ 2/9"})
    assert center.service_names()["HT"] == "Hộ tịch – Khai sinh"

    settings = center.restart()

    assert next(s for s in settings.services if s.code == "HT").name == "Hộ tịch – Khai sinh"
    assert settings.center.notice == "Nghỉ lễ 2/9"
    assert center.service_names()["HT"] == "Hộ tịch – Khai sinh"  # not synced back
    assert center.overrides() == {"services", "center.notice"}


def test_editing_the_files_section_makes_the_file_win(center: Center) -> None:
    center.save({"services": renamed(center.settings, "HT", "Tên từ trang quản trị")})
    center.save({"center.notice": "Thông báo từ trang quản trị"})
    center.edit_file('name = "Chứng thực"', 'name = "Chứng thực bản sao"')  # services section

    settings = center.restart()

    names = {s.code: s.name for s in settings.services}
    assert names["HT"] == "Hộ tịch" and names["CT"] == "Chứng thực bản sao"
    assert center.service_names()["HT"] == "Hộ tịch"
    assert settings.center.notice == "Thông báo từ trang quản trị"  # untouched section stays
    assert center.overrides() == {"center.notice"}
    dropped = [e for e in center.audit() if e.action == "settings.override_dropped"]
    assert [(e.target, e.actor, e.detail["reason"]) for e in dropped] == [
        ("services", "system", "file_changed")
    ]
    assert dropped[0].detail["by"] == "user:admin"


def test_a_change_made_after_the_file_edit_wins_again(center: Center) -> None:
    center.edit_file('name = "Chứng thực"', 'name = "Chứng thực bản sao"')
    center.restart()
    center.save({"services": renamed(center.settings, "CT", "Chứng thực – Ký số")})
    settings = center.restart()
    assert next(s for s in settings.services if s.code == "CT").name == "Chứng thực – Ký số"


def test_saving_what_the_file_says_removes_the_override(center: Center) -> None:
    center.save({"center.notice": "Tạm thời"})
    center.save({"center.notice": center.file.center.notice})
    assert center.overrides() == set()
    assert center.restart().center.notice == center.file.center.notice


def test_adding_a_counter_and_its_led_board(center: Center) -> None:
    counters = [
        *center.settings.section("counters"),
        {"number": 7, "name": "Quầy 7 – Đất đai", "services": ["DD"], "active": True},
    ]
    boards = [*center.settings.section("led.boards"), {"counter": 7, "bus": "rs485", "address": 7}]
    center.save({"counters": counters, "led.boards": boards})
    settings = center.restart()
    assert [c.number for c in settings.counters][-1] == 7
    assert settings.led.boards[-1].address == 7
    with center.db.read() as conn:
        assert conn.execute(select(Counter.name).where(Counter.number == 7)).scalar_one()


@pytest.mark.parametrize(
    ("change", "location", "words"),
    [
        ("duplicate_prefix", "services[1].prefix", "'A' is used twice"),
        ("unknown_service", "counters[0].services", "unknown service 'XX'"),
        ("unknown_bus", "led.boards[0]", "unknown bus 'rs232'"),
    ],
)
def test_invalid_changes_say_what_is_wrong_and_change_nothing(
    center: Center, change: str, location: str, words: str
) -> None:
    settings = center.settings
    if change == "duplicate_prefix":
        services = settings.section("services")
        services[1]["prefix"] = "A"
        changes: dict[str, Any] = {"services": services}
    elif change == "unknown_service":
        counters = settings.section("counters")
        counters[0]["services"] = ["HD", "XX"]
        changes = {"counters": counters}
    else:
        boards = settings.section("led.boards")
        boards[0]["bus"] = "rs232"
        changes = {"led.boards": boards}
    before = center.service_names()

    with pytest.raises(ConfigError) as error:
        center.save(changes)

    assert any(where == location and words in msg for where, msg in error.value.problems), (
        error.value.problems
    )
    assert center.settings is settings
    assert center.overrides() == set() and center.audit() == []
    assert center.service_names() == before


def test_a_service_with_waiting_tickets_cannot_be_deactivated(center: Center) -> None:
    _settings, queue = open_center(center.file, clock=center.clock, migrate=False, db=center.db)
    queue.issue("HT")
    services = center.settings.section("services")
    next(s for s in services if s["code"] == "HT")["active"] = False
    with pytest.raises(Rejected, match="HT"):
        center.save({"services": services})
    assert center.overrides() == set()
    queue.call_next(2)
    center.save({"services": services})  # nobody waits any more
    with center.db.read() as conn:
        assert not conn.execute(select(Service.active).where(Service.code == "HT")).scalar_one()


def test_the_audit_log_says_who_changed_what(center: Center) -> None:
    center.save({"services": renamed(center.settings, "HT", "Hộ tịch mới")}, actor="user:lan")
    [entry] = center.audit()
    assert (entry.actor, entry.action, entry.target) == ("user:lan", "settings.change", "services")
    assert entry.detail == {"changed": {"HT": {"name": ["Hộ tịch", "Hộ tịch mới"]}}}
    assert entry.at == center.clock.now()

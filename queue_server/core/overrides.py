"""Settings changed on the admin pages, kept per section on top of the TOML file.

Effective settings = the file + the saved overrides. Each override is stored with a
hash of its section as the file had it when the override was saved. At start-up an
override applies only while the file's section still has that hash: a section edited
in the file since then wins, and the override is dropped (audit log and server log say
so). Whatever was changed last wins, and a restart brings no surprise.

The settings object is duck-typed (``section(key)``, ``with_sections(changes)``) so the
domain needs no import of the configuration models.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, delete, func, insert, select

from queue_server.core import audit
from queue_server.core.catalogue import sync_catalogue
from queue_server.core.clock import local_day
from queue_server.core.db import Database
from queue_server.core.errors import Rejected
from queue_server.core.events import SettingsChanged
from queue_server.core.models import (
    ACTIVE_AT_COUNTER,
    CenterSetting,
    Counter,
    Service,
    Ticket,
    TicketStatus,
)
from queue_server.i18n import _

log = logging.getLogger(__name__)

# In dependency order: counters name services, LED boards name counters.
SECTIONS = (
    "services",
    "priorities",
    "counters",
    "kiosks",
    "led.boards",
    "center.notice",
    "voice.pack",  # the pack published on the voice recording page
)
CATALOGUE_SECTIONS = frozenset({"services", "priorities", "counters"})
# How items of a list section are told apart (never renamed: history keeps them).
IDENTITY = {
    "services": "code",
    "priorities": "code",
    "counters": "number",
    "kiosks": "name",
    "led.boards": "counter",
}
SYSTEM_ACTOR = "system"

S = TypeVar("S", bound="SettingsLike")


class SettingsLike(Protocol):
    """What this module needs of :class:`queue_server.settings.Settings`."""

    def section(self, key: str) -> Any: ...

    def with_sections(self: S, changes: Mapping[str, Any]) -> S: ...  # raises ValueError

    @property
    def center(self) -> Any: ...


def section_hash(value: Any) -> str:
    """A stable hash of a section's JSON data."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_overrides(conn: Connection) -> dict[str, dict[str, Any]]:
    """Saved overrides by section: ``{"value": …, "file_hash": …}`` plus who and when."""
    rows = conn.execute(select(CenterSetting).where(CenterSetting.key.in_(SECTIONS))).mappings()
    return {
        row["key"]: {**row["value"], "updated_at": row["updated_at"], "by": row["updated_by"]}
        for row in rows
        if isinstance(row["value"], dict) and "value" in row["value"]
    }


def apply_saved(conn: Connection, file_settings: S, now: datetime) -> S:
    """The effective settings; overrides the file has overtaken are dropped and logged."""
    saved = stored_overrides(conn)
    effective = file_settings
    for key in SECTIONS:
        override = saved.get(key)
        if override is None:
            continue
        reason = None
        if override.get("file_hash") != section_hash(file_settings.section(key)):
            reason = "file_changed"
        else:
            try:
                effective = effective.with_sections({key: override["value"]})
            except (ValueError, TypeError, KeyError) as exc:  # a bad stored value too
                reason = "no_longer_valid"
                log.warning("settings override %s no longer fits the file: %s", key, exc)
        if reason is not None:
            conn.execute(delete(CenterSetting).where(CenterSetting.key == key))
            audit.record(
                conn,
                now,
                SYSTEM_ACTOR,
                "settings.override_dropped",
                key,
                {"reason": reason, "saved_at": _iso(override["updated_at"]), "by": override["by"]},
            )
            log.warning(
                "settings: the file's %s section changed after it was edited on the admin "
                "pages (%s); the file wins and the saved change was dropped",
                key,
                reason,
            )
    return effective


def save_sections(
    db: Database,
    file_settings: SettingsLike,
    current: S,
    changes: Mapping[str, Any],
    *,
    actor: str,
    now: datetime,
) -> tuple[S, SettingsChanged]:
    """Validate and save ``changes`` (section → new value) in one transaction.

    Returns the new effective settings and the event to publish after commit. Raises
    ``ValueError`` (the configuration error, naming the field) or :class:`Rejected`.
    """
    unknown = [key for key in changes if key not in SECTIONS]
    if unknown:
        raise Rejected(_("Unknown settings section: {key}").format(key=", ".join(unknown)))
    changed = {k: v for k, v in changes.items() if v != current.section(k)}
    if not changed:
        return current, SettingsChanged(sections=(), at=now)
    new = current.with_sections(changed)
    zone = current.center.zone
    with db.write() as conn:
        _guard_catalogue(conn, new, local_day(now, zone))
        for key in SECTIONS:
            if key not in changed:
                continue
            value = new.section(key)
            file_value = file_settings.section(key)
            conn.execute(delete(CenterSetting).where(CenterSetting.key == key))
            if value != file_value:  # back to what the file says: no override needed
                conn.execute(
                    insert(CenterSetting).values(
                        key=key,
                        value={"value": value, "file_hash": section_hash(file_value)},
                        updated_at=now,
                        updated_by=actor[:80],
                    )
                )
            detail = describe_change(key, current.section(key), value)
            audit.record(conn, now, actor, "settings.change", key, detail)
        if CATALOGUE_SECTIONS & changed.keys():
            sync_catalogue(conn, new)  # type: ignore[arg-type]
    sections = tuple(k for k in SECTIONS if k in changed)
    return new, SettingsChanged(sections=sections, at=now)


def describe_change(key: str, before: Any, after: Any) -> dict[str, Any]:
    """What changed, item by item for list sections: added, changed fields, removed."""
    identity = IDENTITY.get(key)
    if identity is None or not isinstance(before, list) or not isinstance(after, list):
        return {"before": before, "after": after}
    old = {item[identity]: item for item in before}
    new = {item[identity]: item for item in after}
    detail: dict[str, Any] = {}
    added = [item for ident, item in new.items() if ident not in old]
    removed = [ident for ident in old if ident not in new]
    changed: dict[str, Any] = {}
    for ident, item in new.items():
        if ident in old and item != old[ident]:
            fields = sorted({*item, *old[ident]})
            changed[str(ident)] = {
                f: [old[ident].get(f), item.get(f)]
                for f in fields
                if old[ident].get(f) != item.get(f)
            }
    if added:
        detail["added"] = added
    if changed:
        detail["changed"] = changed
    if removed:
        detail["removed"] = removed
    return detail


def _guard_catalogue(conn: Connection, new: Any, day: Any) -> None:
    """Refuse changes that would strand today's tickets or repeat a ticket prefix."""
    today = dict(
        conn.execute(
            select(Ticket.service_id, func.count())
            .where(Ticket.day == day)
            .group_by(Ticket.service_id)
        ).all()
    )
    waiting = dict(
        conn.execute(
            select(Ticket.service_id, func.count())
            .where(Ticket.day == day, Ticket.status == TicketStatus.WAITING)
            .group_by(Ticket.service_id)
        ).all()
    )
    rows = {
        r.code: r
        for r in conn.execute(select(Service.id, Service.code, Service.prefix, Service.active))
    }
    _guard_services(rows, {s.code: s for s in new.services}, today, waiting)
    _guard_counters(conn, new)


def _guard_services(
    rows: dict[str, Any], configured: dict[str, Any], today: dict[int, int], waiting: dict[int, int]
) -> None:
    """Refuse deactivating a service with waiting tickets, or a prefix printed today."""
    for code, service in configured.items():
        row = rows.get(code)
        if row is None:
            continue
        if row.active and not service.active and waiting.get(row.id):
            raise Rejected(
                _(
                    "Service {code} still has {count} waiting ticket(s) today: call or "
                    "transfer them before you deactivate it."
                ).format(code=code, count=waiting[row.id])
            )
        if row.prefix != service.prefix and today.get(row.id):
            raise Rejected(
                _(
                    "Service {code} already gave tickets with prefix {prefix} today: change "
                    "the prefix after the day is closed."
                ).format(code=code, prefix=row.prefix)
            )
    for code, row in rows.items():  # a prefix still printed today by another service
        if code in configured or not today.get(row.id):
            continue
        for service in configured.values():
            if service.prefix == row.prefix:
                raise Rejected(
                    _("Prefix {prefix} is still in use today by service {code}.").format(
                        prefix=row.prefix, code=code
                    )
                )


def _guard_counters(conn: Connection, new: Any) -> None:
    """Refuse deactivating a counter while a citizen is at it."""
    counters = {c.number: c for c in new.counters}
    for held in conn.execute(
        select(Counter.number, Counter.active, Counter.current_ticket_id).where(
            Counter.current_ticket_id.is_not(None)
        )
    ):
        counter = counters.get(held.number)
        if not held.active or counter is None or counter.active:
            continue
        status = conn.execute(
            select(Ticket.status).where(Ticket.id == held.current_ticket_id)
        ).scalar_one_or_none()
        if status in ACTIVE_AT_COUNTER:
            raise Rejected(
                _(
                    "Counter {number} is serving a citizen: finish first, then deactivate it."
                ).format(number=held.number)
            )


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value

"""Merging an outreach site's export into the center's database (docs/outreach.md).

The file is checked first (format, schema, center, session and site, HMAC signature):
any doubt refuses it whole. Then one transaction copies its tickets (with their real
times), ticket events (calls included), ratings, help records and feedback, maps each
source row to its new row in ``site_imports`` and writes a :class:`SiteImported` event
through the outbox. A row already mapped is skipped: the same file twice adds nothing.

Imported tickets keep their number (``L1-B003``) and day; their ``seq`` is negative
(``-(session × 100000 + seq)``) so it never meets the center's own numbering of that day.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, insert, select

from queue_server.core.clock import Clock
from queue_server.core.context import Outcome
from queue_server.core.db import Database
from queue_server.core.errors import Rejected
from queue_server.core.feedback_model import Feedback
from queue_server.core.models import (
    FINAL,
    Assist,
    PriorityCategory,
    Rating,
    Service,
    Ticket,
    TicketEvent,
    TicketStatus,
    User,
)
from queue_server.core.outbox import recorded
from queue_server.core.schema import alembic_config
from queue_server.core.site_events import SiteImported
from queue_server.core.site_export import EXPORT_FORMAT, EXPORT_VERSION, signature
from queue_server.core.site_models import SiteImportRow, SiteLink
from queue_server.i18n import _
from queue_server.settings import Settings

KINDS = ("tickets", "events", "ratings", "assists", "feedback")
SEQ_BASE = 100_000
DATETIMES = {
    "issued_at", "called_at", "first_called_at", "serving_at", "finished_at", "due_at", "at",
    "forwarded_at", "answered_at", "phone_consented_at",
}  # fmt: skip
DATES = {"day", "due_day"}


@dataclass
class ImportResult:
    """Rows new here per kind, and those already imported from an earlier run."""

    session_id: int
    site_code: str
    new: dict[str, int] = field(default_factory=dict)
    known: dict[str, int] = field(default_factory=dict)

    @property
    def total_new(self) -> int:
        return sum(self.new.values())


def parse_export(raw: bytes) -> dict[str, Any]:
    """The export document in ``raw`` (Rejected: damaged, cut short or not an export)."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Rejected(
            _("The file is damaged or cut short (it is not complete JSON); nothing was imported.")
        ) from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise Rejected(_("The file is not an outreach site export; nothing was imported."))
    return document


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {revision.revision for revision in script.walk_revisions()}


def check_export(conn: Connection, document: dict[str, Any], settings: Settings) -> int:
    """Refuse a file this center cannot take; returns the session id."""
    version = document.get("version")
    schema = document.get("schema")
    if not isinstance(version, int) or version > EXPORT_VERSION or schema not in _known_revisions():
        raise Rejected(
            _(
                "The file was made by a newer version of xephang (schema {schema}); upgrade "
                "the center's xephang first. Nothing was imported."
            ).format(schema=schema)
        )
    center = document.get("center") or {}
    if center.get("name") != settings.center.name:
        raise Rejected(
            _("The file comes from another center ({name}); nothing was imported.").format(
                name=center.get("name")
            )
        )
    session = document.get("session") or {}
    given_id = session.get("id")
    session_id = given_id if type(given_id) is int else None  # not a bool, a float, a text
    link = None
    if session_id is not None:
        link = conn.execute(
            select(SiteLink.site_code, SiteLink.key).where(SiteLink.session_id == session_id)
        ).first()
    if session_id is None or link is None or link.site_code != session.get("site_code"):
        raise Rejected(
            _(
                "No package was made here for this session and site ({site}); nothing was imported."
            ).format(site=session.get("site_code"))
        )
    given = document.get("hmac")
    if not isinstance(given, str) or not hmac.compare_digest(given, signature(document, link.key)):
        raise Rejected(
            _(
                "The file's signature does not match: it was changed after the export or "
                "made with another package. Nothing was imported."
            )
        )
    return session_id


def import_site(
    db: Database, settings: Settings, raw: bytes, clock: Clock
) -> Outcome[ImportResult]:
    """Check and merge the export ``raw``, all in one transaction."""
    document = parse_export(raw)

    def run() -> Outcome[ImportResult]:
        with db.write() as conn:
            session_id = check_export(conn, document, settings)
            code = document["session"]["site_code"]
            exported_at = datetime.fromisoformat(document["exported_at"])
            merger = _Merger(conn, session_id, code, clock.now(), exported_at)
            result = merger.merge(document.get("data") or {})
        event = SiteImported(session_id=session_id, site_code=code, new=result.new, at=clock.now())
        return Outcome(result, [event] if result.total_new else [])  # none: nothing changed

    return recorded(db, run)


class _Merger:
    """Copies one export's rows, remembering which source id became which row."""

    def __init__(
        self,
        conn: Connection,
        session_id: int,
        site_code: str,
        now: datetime,
        exported_at: datetime,
    ) -> None:
        self.conn = conn
        self.exported_at = exported_at
        self.result = ImportResult(session_id, site_code)
        self.now = now
        self.services = {code: id_ for id_, code in conn.execute(select(Service.id, Service.code))}
        self.categories = dict(
            (code, (id_, weight))
            for id_, code, weight in conn.execute(
                select(PriorityCategory.id, PriorityCategory.code, PriorityCategory.weight)
            )
        )
        self.users = {name: id_ for id_, name in conn.execute(select(User.id, User.username))}
        self.mapped: dict[str, dict[int, int]] = {kind: {} for kind in KINDS}
        for kind, source, target in conn.execute(
            select(SiteImportRow.kind, SiteImportRow.source_id, SiteImportRow.target_id).where(
                SiteImportRow.session_id == session_id, SiteImportRow.site_code == site_code
            )
        ):
            self.mapped.setdefault(kind, {})[source] = target

    def merge(self, data: dict[str, Any]) -> ImportResult:
        try:
            for kind in KINDS:
                rows = data.get(kind) or []
                self.result.new[kind] = 0
                self.result.known[kind] = 0
                for row in rows:
                    self._one(kind, row)
        except (KeyError, TypeError, ValueError) as exc:
            raise Rejected(
                _(
                    "The file's content is not as expected ({problem}); nothing was imported."
                ).format(problem=exc)
            ) from None
        return self.result

    def _one(self, kind: str, row: dict[str, Any]) -> None:
        source = int(row["id"])
        if source in self.mapped[kind]:
            self.result.known[kind] += 1
            return
        values = getattr(self, f"_{kind}")(_typed(row))
        if values is None:  # its ticket is not in the file: nothing to attach it to
            return
        model = {"tickets": Ticket, "events": TicketEvent, "ratings": Rating, "assists": Assist,
                 "feedback": Feedback}[kind]  # fmt: skip
        table = model.__table__
        target = self.conn.execute(insert(table).values(values).returning(table.c.id)).scalar_one()
        self.conn.execute(
            insert(SiteImportRow).values(
                session_id=self.result.session_id,
                site_code=self.result.site_code,
                kind=kind,
                source_id=source,
                target_id=target,
                imported_at=self.now,
            )
        )
        self.mapped[kind][source] = int(target)
        self.result.new[kind] += 1

    # -- one method per kind: the row's values at the center ------------------------
    def _service(self, code: str | None) -> int | None:
        if code is None:
            return None
        if code not in self.services:
            raise ValueError(f"unknown service {code}")
        return self.services[code]

    def _category(self, code: str | None) -> int | None:
        if code is None:
            return None
        if code not in self.categories:
            raise ValueError(f"unknown priority category {code}")
        return self.categories[code][0]

    def _ticket(self, source: int | None) -> int | None:
        return None if source is None else self.mapped["tickets"].get(int(source))

    def _tickets(self, row: dict[str, Any]) -> dict[str, Any]:
        values = {key: row[key] for key in row if key not in {"id", "service", "origin_service",
                                                              "category", "officer"}}  # fmt: skip
        values.update(
            service_id=self._service(row["service"]),
            origin_service_id=self._service(row["origin_service"]),
            priority_id=self._category(row["category"]),
            officer_id=self.users.get(row["officer"]) if row["officer"] else None,
            seq=-(self.result.session_id * SEQ_BASE + int(row["seq"])),
            **self._closed(row),
            counter_id=None,
            target_counter_id=None,
        )
        return values

    def _closed(self, row: dict[str, Any]) -> dict[str, Any]:
        """A ticket still open when the site exported comes in cancelled at that moment
        (the center's queue must never call it)."""
        if row["status"] in FINAL:
            return {}
        return {"status": TicketStatus.CANCELLED, "finished_at": self.exported_at}

    def _events(self, row: dict[str, Any]) -> dict[str, Any] | None:
        ticket_id = self._ticket(row["ticket_id"])
        if ticket_id is None:
            return None
        values = {key: row[key] for key in row if key not in {"id", "service"}}
        values.update(
            ticket_id=ticket_id, service_id=self._service(row["service"]), counter_id=None
        )
        return values

    def _ratings(self, row: dict[str, Any]) -> dict[str, Any] | None:
        ticket_id = self._ticket(row["ticket_id"])
        if ticket_id is None:
            return None
        values = {key: row[key] for key in row if key not in {"id", "service", "officer"}}
        values.update(
            ticket_id=ticket_id,
            service_id=self._service(row["service"]),
            officer_id=self.users.get(row["officer"]) if row["officer"] else None,
            counter_id=None,
        )
        return values

    def _assists(self, row: dict[str, Any]) -> dict[str, Any]:
        values = {key: row[key] for key in row if key not in {"id", "service", "category"}}
        values.update(
            ticket_id=self._ticket(row["ticket_id"]),
            service_id=self._service(row["service"]),
            priority_id=self._category(row["category"]),
        )
        return values

    def _feedback(self, row: dict[str, Any]) -> dict[str, Any]:
        values = {key: row[key] for key in row if key not in {"id", "service"}}
        rating = row["rating_id"]
        values.update(
            ticket_id=self._ticket(row["ticket_id"]),
            rating_id=None if rating is None else self.mapped["ratings"].get(int(rating)),
            service_id=self._service(row["service"]),
            counter_id=None,
            forwarded_user_id=None,
        )
        return values


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with its ISO dates and times read back (times must carry their zone)."""
    typed = dict(row)
    for key, value in row.items():
        if value is None:
            continue
        if key in DATETIMES:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError(f"{key} without a time zone")
            typed[key] = moment
        elif key in DATES:
            typed[key] = date.fromisoformat(value)
    return typed

"""An outreach site: a laptop that runs one outreach session alone (docs/outreach.md).

At the center, :func:`build_package` gathers what the laptop needs for one session: the
center's identity, the services offered, the priority categories and texts, the
session's day, hours, place and site code, the accounts of the officers going (never a
password hash) and a fresh HMAC key. :func:`init_site` turns that package into a normal
data directory with its ``center.toml`` (ticket numbers carry the site code:
``L1-B003``). The key signs the laptop's export (:mod:`queue_server.core.site_export`),
which the center checks before importing (:mod:`queue_server.core.site_import`).
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from queue_server.core.db import Database
from queue_server.core.errors import InvalidState, NotFound, Rejected
from queue_server.core.models import User
from queue_server.core.outreach_models import OutreachSession, SessionStatus
from queue_server.core.site_models import SiteLink
from queue_server.i18n import _
from queue_server.settings import Settings

PACKAGE_FORMAT = "xephang-site-package"
SITE_FILE = "site.json"  # the package kept in the laptop's data directory
FORMAT_VERSION = 1
SITE_CODE_MAX = 3  # "L1-" + prefix (2) + width (6) fits the 12 characters of a number
# The parts of the center's configuration a site takes over as they are.
KEPT_SECTIONS = ("policy", "ratings", "assists", "feedback", "assistance", "screens")


def site_code_of(session: OutreachSession) -> str:
    """The session's site code (``L<id>`` when none was set), checked to fit a number."""
    code = (session.site_code or f"L{session.id}").strip().upper()
    if not (1 <= len(code) <= SITE_CODE_MAX and code.isascii() and code.isalnum()):
        raise Rejected(
            _(
                "The site code {code} cannot be used: 1 to 3 capital letters or digits "
                "(e.g. L1), so that numbers such as L1-B003 fit."
            ).format(code=code)
        )
    return code


def _session_row(conn: Connection, session_id: int) -> Any:
    row = conn.execute(
        select(OutreachSession.__table__).where(OutreachSession.id == session_id)
    ).first()
    if row is None:
        raise NotFound(_("No outreach session {id}.").format(id=session_id))
    return row


def _offered(settings: Settings, codes: str) -> list[dict[str, Any]]:
    """The session's services (all active ones when it names none), as config entries."""
    wanted = {code.strip() for code in codes.split(",") if code.strip()}
    chosen = [
        s for s in settings.services if s.active and (not wanted or s.code in wanted or s.helpdesk)
    ]
    unknown = wanted - {s.code for s in settings.services}
    if unknown:
        raise Rejected(
            _("The session offers unknown services: {codes}").format(
                codes=", ".join(sorted(unknown))
            )
        )
    return [s.model_dump(mode="json", exclude_defaults=True) for s in chosen]


def _laptop_settings(settings: Settings, row: Any, code: str) -> dict[str, Any]:
    """The laptop's configuration (without ``data_dir``) for the session ``row``."""
    services = _offered(settings, row.services)
    staff = [part for part in row.staff_ids.split(",") if part.strip()]
    codes = [s["code"] for s in services]
    counters = [
        {"number": number, "name": _("Counter {number}").format(number=number), "services": codes}
        for number in range(1, max(1, len(staff)) + 1)
    ]
    center = settings.center.model_dump(mode="json", exclude_defaults=True, exclude={"public_url"})
    numbering = settings.numbering.model_dump(mode="json", exclude_defaults=True)
    data: dict[str, Any] = {
        "center": center,
        "numbering": {**numbering, "site": code},
        "services": services,
        "counters": counters,
        "priorities": [
            p.model_dump(mode="json", exclude_defaults=True) for p in settings.priorities
        ],
    }
    for name in KEPT_SECTIONS:
        if name in settings.model_fields_set:
            data[name] = getattr(settings, name).model_dump(mode="json", exclude_defaults=True)
    return data


def _officers(conn: Connection, staff_ids: str) -> list[dict[str, str]]:
    """The accounts of the staff going (name and role only, never a password hash)."""
    ids = [int(part) for part in staff_ids.split(",") if part.strip().isdigit()]
    if not ids:
        return []
    rows = conn.execute(
        select(User.username, User.display_name, User.role)
        .where(User.id.in_(ids), User.active.is_(True))
        .order_by(User.id)
    ).all()
    return [{"username": r.username, "display_name": r.display_name, "role": r.role} for r in rows]


def build_package(
    db: Database, settings: Settings, session_id: int, now: datetime
) -> dict[str, Any]:
    """The package for session ``session_id``; its key is kept (one per session: a new
    package replaces the key of the previous one)."""
    key = secrets.token_hex(32)
    with db.write() as conn:
        row = _session_row(conn, session_id)
        if row.status == SessionStatus.CANCELLED:
            raise InvalidState(_("Outreach session {id} is cancelled.").format(id=session_id))
        code = site_code_of(row)
        package = {
            "format": PACKAGE_FORMAT,
            "version": FORMAT_VERSION,
            "center": center_identity(settings),
            "session": {
                "id": row.id,
                "day": row.day.isoformat(),
                "starts": row.starts.strftime("%H:%M"),
                "ends": row.ends.strftime("%H:%M"),
                "place": row.place,
                "site_code": code,
            },
            "settings": _laptop_settings(settings, row, code),
            "officers": _officers(conn, row.staff_ids),
            "key": key,
            "packaged_at": now.isoformat(),
        }
        conn.execute(delete(SiteLink).where(SiteLink.session_id == session_id))
        conn.execute(
            insert(SiteLink).values(session_id=session_id, site_code=code, key=key, packaged_at=now)
        )
    return package


def init_site(package: dict[str, Any], data_dir: Path) -> Path:
    """Write the laptop's ``center.toml`` and ``site.json`` in ``data_dir``; returns the
    configuration file. Refuses a directory that already holds a database."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if (data_dir / "xephang.db").exists():
        raise InvalidState(
            _("{dir} already holds a database; use an empty directory.").format(dir=data_dir)
        )
    session = package["session"]
    header = (
        f"# Outreach site {session['site_code']}: session {session['id']} on {session['day']}"
        f" {session['starts']}-{session['ends']}, {session['place']}.\n"
        "# Written by xephang site init from the center's package (docs/outreach.md).\n\n"
    )
    config = data_dir / "center.toml"
    config.write_text(header + toml_text({"data_dir": ".", **package["settings"]}), "utf-8")
    (data_dir / SITE_FILE).write_text(json.dumps(package, ensure_ascii=False, indent=1), "utf-8")
    (data_dir / SITE_FILE).chmod(0o600)  # it holds the signing key
    return config


def center_identity(settings: Settings) -> dict[str, str]:
    """What names the center in a package and an export."""
    return {"name": settings.center.name, "ward": settings.center.ward or ""}


def read_package(path: Path) -> dict[str, Any]:
    """A package file, checked for its format (Rejected with a clear message otherwise)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Rejected(
            _("{file} is not a site package (damaged or cut short).").format(file=path)
        ) from None
    if not isinstance(data, dict) or data.get("format") != PACKAGE_FORMAT:
        raise Rejected(_("{file} is not a site package.").format(file=path))
    if data.get("version") != FORMAT_VERSION:
        raise Rejected(
            _("{file} was made by another version of xephang; make it again.").format(file=path)
        )
    return data


def toml_text(data: dict[str, Any]) -> str:
    """``data`` as TOML: top-level scalars, then tables and arrays of tables (values
    inside them inline). Enough for a configuration file; ``None`` is left out."""
    lines: list[str] = []
    for key, value in data.items():
        if value is not None and not isinstance(value, dict | list):
            lines.append(f"{key} = {_toml_value(value)}")
    for key, value in data.items():
        if isinstance(value, dict):
            lines += ["", f"[{key}]", *_toml_pairs(value)]
        elif isinstance(value, list):
            for entry in value:
                lines += ["", f"[[{key}]]", *_toml_pairs(entry)]
    return "\n".join(lines).lstrip("\n") + "\n"


def _toml_pairs(table: dict[str, Any]) -> list[str]:
    return [f"{key} = {_toml_value(value)}" for key, value in table.items() if value is not None]


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(
            f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items() if v is not None
        )
        return "{" + pairs + "}"
    raise TypeError(f"cannot write {value!r} in TOML")

"""User accounts: officers, help desk and admins who sign in with a password."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import TypedDict

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from queue_server.auth.passwords import DUMMY_HASH, hash_password, verify_password
from queue_server.auth.roles import USER_ROLES, Principal, Role
from queue_server.core.clock import Clock, SystemClock
from queue_server.core.db import Database
from queue_server.core.errors import InvalidState, NotFound, Rejected
from queue_server.core.models import User
from queue_server.core.text import bad_character
from queue_server.i18n import _

MIN_PASSWORD_LENGTH = 8
MAX_DISPLAY_NAME_LENGTH = 200  # the column's size


def add_user(
    db: Database,
    username: str,
    role: str,
    password: str,
    *,
    display_name: str = "",
    clock: Clock | None = None,
) -> int:
    """Create an account; returns its id."""
    username = check_account(username, role, password, display_name)
    now = (clock or SystemClock()).now()
    try:
        with db.write() as conn:
            return int(
                conn.execute(
                    insert(User)
                    .values(
                        username=username,
                        display_name=display_name or username,
                        role=role,
                        password_hash=hash_password(password),
                        active=True,
                        created_at=now,
                    )
                    .returning(User.id)
                ).scalar_one()
            )
    except IntegrityError:
        raise InvalidState(_("The user {name} already exists.").format(name=username)) from None


def check_account(username: str, role: str, password: str, display_name: str = "") -> str:
    """The user name as stored (NFC, trimmed); :class:`Rejected` if the account cannot be
    made (the setup wizard checks each answer with this before any account exists)."""
    username = unicodedata.normalize("NFC", username.strip())
    if not username or len(username) > 80:
        raise Rejected(_("A user name must have 1 to 80 characters."))
    if bad_character(username) is not None or bad_character(display_name) is not None:
        raise Rejected(_("The text contains a character that cannot be stored."))
    if len(display_name) > MAX_DISPLAY_NAME_LENGTH:
        raise Rejected(
            _("A full name has at most {count} characters.").format(count=MAX_DISPLAY_NAME_LENGTH)
        )
    if role not in USER_ROLES:
        raise Rejected(
            _("Unknown role {role} (use {roles}).").format(
                role=role, roles=", ".join(r.value for r in USER_ROLES)
            )
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Rejected(
            _("The password needs at least {count} characters.").format(count=MIN_PASSWORD_LENGTH)
        )
    return username


def authenticate(db: Database, username: str, password: str) -> Principal | None:
    """The user if the name and password match an active account."""
    username = unicodedata.normalize("NFC", username.strip())
    if "\x00" in username:  # no account has one (PostgreSQL could not even look)
        verify_password(DUMMY_HASH, password)
        return None
    with db.read() as conn:
        row = conn.execute(
            select(User.id, User.username, User.role, User.password_hash, User.active).where(
                User.username == username
            )
        ).one_or_none()
    if row is None or not row.active:
        verify_password(DUMMY_HASH, password)
        return None
    if not verify_password(row.password_hash, password):
        return None
    return Principal("user", row.id, row.username, Role(row.role), via_session=True)


def session_version(db: Database, user_id: int) -> int:
    """The version a new session of the user carries (see :func:`end_sessions`)."""
    with db.read() as conn:
        version = conn.execute(
            select(User.session_version).where(User.id == user_id)
        ).scalar_one_or_none()
    return int(version or 0)


def active_user(db: Database, user_id: int, version: int) -> Principal | None:
    """The signed-in user, if the account is active and the session not ended."""
    with db.read() as conn:
        row = conn.execute(
            select(User.id, User.username, User.role).where(
                User.id == user_id, User.active, User.session_version == version
            )
        ).one_or_none()
    if row is None or row.role not in USER_ROLES:
        return None
    return Principal("user", row.id, row.username, Role(row.role), via_session=True)


def end_sessions(db: Database, user_id: int) -> None:
    """End every session of the user at once (each cookie holds the old version)."""
    with db.write() as conn:
        conn.execute(
            update(User).where(User.id == user_id).values(session_version=User.session_version + 1)
        )


def set_active(db: Database, username: str, active: bool) -> bool:
    """Enable or disable an account; False if there is no such user.

    Disabling ends the user's sessions.
    """
    values: dict[str, object] = {"active": active}
    if not active:
        values["session_version"] = User.session_version + 1
    with db.write() as conn:
        result = conn.execute(update(User).where(User.username == username).values(**values))
        return result.rowcount > 0


class Account(TypedDict):
    """One account as listed (never its password hash)."""

    id: int
    username: str
    role: str
    active: bool
    created_at: datetime


def list_users(db: Database) -> list[Account]:
    """All accounts (without password hashes)."""
    with db.read() as conn:
        rows = conn.execute(
            select(User.id, User.username, User.role, User.active, User.created_at).order_by(
                User.id
            )
        ).all()
    return [
        Account(id=r.id, username=r.username, role=r.role, active=r.active, created_at=r.created_at)
        for r in rows
    ]


def update_user(
    db: Database,
    user_id: int,
    *,
    role: str | None = None,
    active: bool | None = None,
    password: str | None = None,
    display_name: str | None = None,
) -> dict[str, object]:
    """Change an account (admin pages); refuses to leave the center without an admin."""
    values: dict[str, object] = {}
    if role is not None:
        if role not in USER_ROLES:
            raise Rejected(
                _("Unknown role {role} (use {roles}).").format(
                    role=role, roles=", ".join(r.value for r in USER_ROLES)
                )
            )
        values["role"] = role
    if active is not None:
        values["active"] = active
    if password:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise Rejected(
                _("The password needs at least {count} characters.").format(
                    count=MIN_PASSWORD_LENGTH
                )
            )
        values["password_hash"] = hash_password(password)
    if display_name is not None:
        if bad_character(display_name) is not None:
            raise Rejected(_("The text contains a character that cannot be stored."))
        values["display_name"] = unicodedata.normalize("NFC", display_name.strip())[:80]
    with db.write() as conn:
        row = conn.execute(
            select(User.username, User.role, User.active).where(User.id == user_id)
        ).one_or_none()
        if row is None:
            raise NotFound(_("Unknown user."))
        if (
            (role is not None and role != row.role)
            or (active is False and row.active)
            or "password_hash" in values
        ):  # the user's sessions end: the old rights or password no longer hold
            values["session_version"] = User.session_version + 1
        if values:
            conn.execute(update(User).where(User.id == user_id).values(**values))
        admins = conn.execute(
            select(User.id).where(User.role == Role.ADMIN, User.active.is_(True))
        ).all()
        if not admins:
            raise InvalidState(_("At least one active admin account must remain."))
    names = {"password_hash": "password"}
    changed = sorted(names.get(k, k) for k in values if k != "session_version")
    return {"username": row.username, "changed": changed}

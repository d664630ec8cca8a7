"""Admin pages for user accounts and API tokens (every change goes to the audit log)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import Response, redirect, request, url_for

from queue_server.auth.durations import LONGEST
from queue_server.auth.roles import TOKEN_ROLES, USER_ROLES, Principal, Role
from queue_server.auth.tokens import create_token, kiosk_prints, list_tokens, revoke_token
from queue_server.auth.users import add_user, list_users, update_user
from queue_server.core import audit
from queue_server.core.errors import QueueError
from queue_server.i18n import N_, _
from queue_server.web.admin import admin, menu, render_admin, signed_in
from queue_server.web.security import csrf_matches
from queue_server.web.sockets import socket_guard
from queue_server.web.state import xephang

ROLE_NAMES = {
    "officer": N_("Officer"),
    "helpdesk": N_("Help desk"),
    "admin": N_("Administrator"),
    "kiosk": N_("Kiosk"),
    "display": N_("Hall display"),
    "rating": N_("Rating tablet"),
    "manager": N_("Manager (reports only)"),
    "volunteer": N_("Volunteer (help records only)"),
    "device": N_("Device worker (printers, LED boards)"),
}


WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")  # ASCII digits only: int() refuses "²"
MAX_TOKEN_DAYS = LONGEST.days  # longer ones would overflow the date


def _roles(roles: tuple[Any, ...]) -> list[tuple[str, str]]:
    return [(r.value, _(ROLE_NAMES[r.value])) for r in roles]


def _log(principal: Principal, action: str, target: str, detail: dict[str, Any]) -> None:
    state = xephang()
    with state.queue.db.write() as conn:
        audit.record(conn, state.queue.clock.now(), principal.actor, action, target, detail)


def _guarded() -> Principal | Response:
    """The signed-in admin; on a POST also the form's CSRF token."""
    principal = signed_in()
    if isinstance(principal, Response):
        return principal
    if request.method == "POST" and not csrf_matches(request.form.get("csrf_token")):
        return Response(_("The form has expired; please try again."), status=400)
    return principal


# ------------------------------------------------------------------------- users
def _users_page(
    principal: Principal, *, errors: dict[str, str] | None = None, status: int = 200
) -> Any:
    html = render_admin(
        "users.html",
        principal,
        _("Users"),
        users=list_users(xephang().queue.db),
        roles=_roles(USER_ROLES),
        role_names={k: _(v) for k, v in ROLE_NAMES.items()},
        errors=errors or {},
        form=request.form if request.method == "POST" else {},
        saved=request.args.get("saved"),
    )
    return html, status


@admin.route("/users", methods=["GET", "POST"])
def users() -> Any:
    principal = _guarded()
    if isinstance(principal, Response):
        return principal
    if request.method == "GET":
        return _users_page(principal)
    form = request.form
    username = (form.get("username") or "").strip()
    try:
        add_user(
            xephang().queue.db,
            username,
            form.get("role", ""),
            form.get("password", ""),
            display_name=form.get("display_name", ""),
        )
    except QueueError as exc:
        return _users_page(principal, errors={"new": exc.message}, status=400)
    _log(principal, "user.add", username, {"role": form.get("role")})
    return redirect(url_for("admin.users", saved=username), code=303)


@admin.post("/users/<int:user_id>")
def user_change(user_id: int) -> Any:
    principal = _guarded()
    if isinstance(principal, Response):
        return principal
    form = request.form
    try:
        result = update_user(
            xephang().queue.db,
            user_id,
            role=form.get("role") or None,
            active="active" in form,
            password=form.get("password") or None,
        )
    except QueueError as exc:
        return _users_page(principal, errors={str(user_id): exc.message}, status=409)
    username = str(result["username"])
    socket_guard().sweep()  # a disabled user's or changed role's sockets close now
    _log(
        principal, "user.change", username, {"changed": result["changed"], "role": form.get("role")}
    )
    return redirect(url_for("admin.users", saved=username), code=303)


# ------------------------------------------------------------------------ tokens
def _kiosks() -> dict[str, bool]:
    """The configured kiosks: name → whether it has a printer."""
    return {k.name: k.printer is not None for k in xephang().settings.kiosks}


def _tokens_page(
    principal: Principal,
    *,
    secret: str = "",
    error: str = "",
    warning: str = "",
    status: int = 200,
) -> Any:
    state = xephang()
    now = state.queue.clock.now()
    tokens = [
        {"info": t, "usable": t.usable_at(now)} for t in reversed(list_tokens(state.queue.db))
    ]
    html = render_admin(
        "tokens.html",
        principal,
        _("API tokens"),
        tokens=tokens,
        roles=_roles(TOKEN_ROLES),
        role_names={k: _(v) for k, v in ROLE_NAMES.items()},
        counters=sorted(state.queue.catalogue.counters),
        secret=secret,
        error=error,
        warning=warning,
        kiosks=sorted(_kiosks()),
        form=request.form if request.method == "POST" else {},
        zone=state.settings.center.zone,
    )
    return html, status


@admin.route("/tokens", methods=["GET", "POST"])
def tokens() -> Any:
    principal = _guarded()
    if isinstance(principal, Response):
        return principal
    if request.method == "GET":
        return _tokens_page(principal)
    form = request.form
    state = xephang()
    counter_text = (form.get("counter") or "").strip()
    days_text = (form.get("days") or "").strip()
    if any(text and not WHOLE_NUMBER.fullmatch(text) for text in (counter_text, days_text)):
        return _tokens_page(principal, error=_("Enter a whole number."), status=400)
    if days_text and int(days_text) > MAX_TOKEN_DAYS:
        error = _("A token lasts at most {days} days; leave it empty for no end.")
        return _tokens_page(principal, error=error.format(days=MAX_TOKEN_DAYS), status=400)
    lifetime = timedelta(days=int(days_text)) if days_text and int(days_text) > 0 else None
    try:
        secret, info = create_token(
            state.queue.db,
            form.get("role", ""),
            counter=int(counter_text) if counter_text else None,
            lifetime=lifetime,
            name=(form.get("name") or "").strip(),
            clock=state.queue.clock,
            known_counters=set(state.queue.catalogue.counters),
            kiosks=_kiosks(),
            without_printer="without_printer" in form,
        )
    except QueueError as exc:
        return _tokens_page(principal, error=exc.message, status=400)
    _log(principal, "token.create", info.name or f"#{info.id}", {"id": info.id, "role": info.role})
    warning = ""
    if info.role == Role.KIOSK and not kiosk_prints(info.name, _kiosks()):
        warning = _("Tickets issued with this token will not be printed.")
    return _tokens_page(principal, secret=secret, warning=warning, status=201)


@admin.post("/tokens/<int:token_id>/revoke")
def token_revoke(token_id: int) -> Any:
    principal = _guarded()
    if isinstance(principal, Response):
        return principal
    try:
        info = revoke_token(xephang().queue.db, token_id, clock=xephang().queue.clock)
    except QueueError as exc:
        return _tokens_page(principal, error=exc.message, status=404)
    socket_guard().sweep()  # the token's sockets close now
    _log(principal, "token.revoke", info.name or f"#{info.id}", {"id": info.id})
    return redirect(url_for("admin.tokens"), code=303)


menu("admin.users", N_("Users"))
menu("admin.tokens", N_("API tokens"))

"""Calls for assistance (yêu cầu hỗ trợ) over HTTP.

- ``POST /api/v1/assistance-calls``: a kiosk (its one big button) or an officer (with a
  reason, for their counter) asks for help: 201 with the call, 200 with the open call of
  the same kiosk (or counter and reason) when there is one.
- ``GET  /api/v1/assistance-calls?status=``: calls open or taken (default), or today's
  of one status (help desk, volunteers, officers, manager, admin).
- ``POST /api/v1/assistance-calls/<id>/accept``: take a call (exactly one person does;
  the others get 409 naming who took it).
- ``POST /api/v1/assistance-calls/<id>/close``: end a call one took, with the kind of
  help given (default: the reason's); stores a help record.
- ``POST /api/v1/assistance-calls/<id>/cancel``: withdraw a call one raised.

Staff see the changes live on ``/assistance`` (``web/assistance_live.py``). No route
takes or returns anything about the citizen; of the helper, the role and first name.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import Blueprint, Response, g, jsonify, request
from pydantic import Field
from sqlalchemy import select

from queue_server.auth.roles import Principal, Role
from queue_server.core.assistance import CANCELLED, CLOSED, LIVE, AssistanceDesk
from queue_server.core.context import Outcome
from queue_server.core.models import User
from queue_server.i18n import _
from queue_server.web import idempotency
from queue_server.web.assists import assists_service
from queue_server.web.bodies import Body, Code, EmptyBody, parse_body
from queue_server.web.errors import ApiError
from queue_server.web.security import check_counter, require
from queue_server.web.state import xephang

assistance_api = Blueprint("assistance_api", __name__, url_prefix="/api/v1")

RAISERS = (Role.KIOSK, Role.OFFICER)  # and the admin
HELPERS = (Role.HELPDESK, Role.VOLUNTEER, Role.MANAGER, Role.OFFICER)
READERS = HELPERS
STATUSES = (*LIVE, CLOSED, CANCELLED)
PATH = "/assistance-calls"


class RaiseBody(Body):
    """Ask for help: the kiosk needs no reason; an officer names one (a code of
    ``[assistance]``). ``counter`` only for an admin, who has none."""

    reason: Code | None = None
    counter: Annotated[int, Field(ge=1, le=999)] | None = None


class CloseBody(Body):
    """The kind of help given (default: the reason's) and, if known, the citizen's
    priority category. No name, no identity number."""

    kind: Code | None = None
    category: Code | None = None


def assistance_desk() -> AssistanceDesk:
    """The calls for assistance of this center, with the reasons configured now."""
    return AssistanceDesk(assists_service(), xephang().settings.assistance)


def _answer(outcome: Outcome[Any], created: bool = False) -> Response:
    xephang().relay.publish(outcome.envelopes)
    response = jsonify(outcome.value.to_dict())
    response.status_code = 201 if created else 200
    return response


def _once(produce: Any) -> Response:
    principal: Principal = g.principal
    queue = xephang().queue
    return idempotency.run_once(queue.db, principal.scope, queue.clock.now(), produce)


@assistance_api.post(PATH)
@require(*RAISERS)
def raise_call() -> Response:
    principal: Principal = g.principal
    body = parse_body(RaiseBody)
    desk = assistance_desk()

    def produce() -> Response:
        if principal.role == Role.KIOSK:
            outcome = desk.raise_call(
                "kiosk", body.reason, raised_by=principal.scope, kiosk=kiosk_label(principal.name)
            )
        else:
            counter = principal.counter if principal.counter is not None else body.counter
            if body.counter is not None:
                check_counter(principal, body.counter)
            outcome = desk.raise_call(
                "counter", body.reason, raised_by=principal.scope, counter=counter
            )
        return _answer(outcome, created=outcome.value.created)

    return _once(produce)


@assistance_api.get(PATH)
@require(*READERS)
def list_calls() -> Response:
    """Calls open or taken, oldest first; ``status=closed`` (…) for today's."""
    status = request.args.get("status")
    if status is not None and status not in STATUSES:
        raise ApiError(
            400,
            _("status must be one of: {choices}.").format(choices=", ".join(STATUSES)),
            field="status",
        )
    calls = assistance_desk().calls(status)
    if g.principal.role == Role.MANAGER:
        calls = [call for call in calls if call.manager]
    return jsonify({"calls": [call.to_dict() for call in calls]})


@assistance_api.post(f"{PATH}/<int:call_id>/accept")
@require(*HELPERS)
def accept_call(call_id: int) -> Response:
    principal: Principal = g.principal
    parse_body(EmptyBody)
    desk = assistance_desk()
    name = first_name(principal)
    return _once(
        lambda: _answer(
            desk.accept(call_id, taker=principal.scope, role=principal.role.value, name=name)
        )
    )


@assistance_api.post(f"{PATH}/<int:call_id>/close")
@require(*HELPERS)
def close_call(call_id: int) -> Response:
    principal: Principal = g.principal
    body = parse_body(CloseBody)
    desk = assistance_desk()
    return _once(
        lambda: _answer(
            desk.close(
                call_id,
                closer=principal.scope,
                role=principal.role.value,
                help_kind=body.kind,
                category=body.category,
            )
        )
    )


@assistance_api.post(f"{PATH}/<int:call_id>/cancel")
@require(*RAISERS)
def cancel_call(call_id: int) -> Response:
    principal: Principal = g.principal
    parse_body(EmptyBody)
    desk = assistance_desk()
    return _once(lambda: _answer(desk.cancel(call_id, by=principal.scope)))


def kiosk_label(name: str) -> str:
    """How helpers know the kiosk: its label in ``[[kiosks]]`` (else its token's name)."""
    kiosk = next((k for k in xephang().settings.kiosks if k.name == name), None)
    return kiosk.label if kiosk is not None and kiosk.label else name


def first_name(principal: Principal) -> str:
    """How a call shows who took it: a user's first name (the last word of a Vietnamese
    full name), else their user name; a token's name."""
    if principal.kind != "user":
        return principal.name[:40]
    with xephang().queue.db.read() as conn:
        full = conn.execute(
            select(User.display_name).where(User.id == principal.id)
        ).scalar_one_or_none()
    words = (full or "").split()
    return (words[-1] if words else principal.name)[:40]


def page_reasons(second: str | None) -> list[dict[str, Any]]:
    """The reasons offered now, for the pages (names in the center's language and the
    second one; the kind of help each leads to; whether it alerts the manager)."""
    return [
        {
            "code": r.code,
            "name": r.name,
            "label": r.labels.get(second, "") if second else "",
            "help_kind": r.help_kind,
            "manager": r.manager,
        }
        for r in xephang().settings.assistance.active_reasons()
    ]

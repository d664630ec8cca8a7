"""Help records (lượt hỗ trợ) over HTTP.

- ``POST /api/v1/assists``: record one kind of help given to a citizen (help desk,
  officers, volunteers, admin): 201 with the new record, 200 with the first one when
  this ticket was already helped in this kind.
- ``GET  /api/v1/assists?from=&to=``: counts per kind × priority category over local
  days (manager, help desk, admin).
- ``GET  /api/v1/assists/kinds``: the kinds of help offered now (any staff role).

No route takes or returns a name or an identity number.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import Blueprint, Response, g, jsonify, request
from pydantic import Field

from queue_server.auth.roles import Principal, Role
from queue_server.core.assists import MAX_RANGE_DAYS, AssistCounts, Assists
from queue_server.core.operations import Outcome
from queue_server.i18n import _
from queue_server.web import idempotency
from queue_server.web.bodies import MAX_ID, Body, Code, parse_body
from queue_server.web.dates import day_arg
from queue_server.web.errors import ApiError
from queue_server.web.security import require
from queue_server.web.state import xephang

assists_api = Blueprint("assists_api", __name__, url_prefix="/api/v1")

RECORDERS = (Role.HELPDESK, Role.OFFICER, Role.VOLUNTEER)  # and the admin
READERS = (Role.MANAGER, Role.HELPDESK)
KIND_READERS = (*RECORDERS, Role.MANAGER)


class AssistBody(Body):
    """One kind of help given to a citizen: no name, no identity number."""

    kind: Code
    category: Code | None = None
    service: Code | None = None
    ticket_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


def assists_service() -> Assists:
    """The help records of this center, with the kinds configured now."""
    state = xephang()
    return Assists(state.queue, state.settings.assists)


@assists_api.post("/assists")
@require(*RECORDERS)
def record_assist() -> Response:
    principal: Principal = g.principal
    body = parse_body(AssistBody)
    service = assists_service()

    def produce() -> Response:
        outcome: Outcome[Any] = service.record(
            body.kind,
            role=principal.role.value,
            category=body.category,
            service=body.service,
            ticket_id=body.ticket_id,
        )
        xephang().relay.publish(outcome.envelopes)
        response = jsonify(outcome.value.to_dict())
        response.status_code = 201 if outcome.value.created else 200
        return response

    return idempotency.run_once(
        service.queue.db, principal.scope, service.queue.clock.now(), produce
    )


@assists_api.get("/assists/kinds")
@require(*KIND_READERS)
def assist_kinds() -> Response:
    """The kinds of help offered now, in the configured order."""
    kinds = xephang().settings.assists.active_kinds()
    return jsonify(
        {"kinds": [{"code": k.code, "name": k.name, "labels": dict(k.labels)} for k in kinds]}
    )


@assists_api.get("/assists")
@require(*READERS)
def count_assists() -> Response:
    """Help records per kind × category over ``from``–``to`` (local days, both included;
    default today)."""
    service = assists_service()
    today = service.queue.today()
    start = day_arg("from") or today
    end = day_arg("to") or (start if "from" in request.args else today)
    if end < start:
        raise ApiError(400, _("The end date is before the start date."), field="to")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ApiError(
            400, _("Choose at most {days} days at a time.").format(days=MAX_RANGE_DAYS), field="to"
        )
    return jsonify(counts_to_dict(service, service.counts(start, end)))


def counts_to_dict(service: Assists, counts: AssistCounts) -> dict[str, Any]:
    """The counts with the names of kinds and categories, in the configured order."""
    by_kind = counts.by_kind()
    by_category = counts.by_category()
    kinds = [
        {"code": kind.code, "name": kind.name, "count": by_kind.pop(kind.code, 0)}
        for kind in service.config.kinds
        if kind.active or kind.code in by_kind
    ]
    kinds += [{"code": code, "name": code, "count": n} for code, n in sorted(by_kind.items())]
    categories = [
        {"code": code, "name": category_name(service, code), "count": n}
        for code, n in sorted(
            by_category.items(), key=lambda item: _category_order(service, item[0])
        )
    ]
    return {
        "start": counts.start.isoformat(),
        "end": counts.end.isoformat(),
        "total": counts.total,
        "kinds": kinds,
        "categories": categories,
        "cells": [
            {"kind": kind, "category": category, "count": n}
            for (kind, category), n in sorted(
                counts.cells.items(), key=lambda item: (item[0][0], item[0][1] or "")
            )
        ],
    }


def category_name(service: Assists, code: str | None) -> str:
    if code is None:
        return _("No priority category")
    found = service.queue.catalogue.categories.get(code)
    return found.name if found else code


def _category_order(service: Assists, code: str | None) -> tuple[int, int]:
    if code is None:
        return (1, 0)
    found = service.queue.catalogue.categories.get(code)
    return (0, found.position if found else 10_000)

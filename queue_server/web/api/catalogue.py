"""What the center offers and where its queue stands, for any screen or console: the
services, the priority categories (a kiosk sees only its own), the counters and the
queue's snapshot (``/state``)."""

from __future__ import annotations

from collections.abc import Collection

from flask import Response, jsonify

from queue_server.auth.roles import Role
from queue_server.core.catalogue import CategoryInfo
from queue_server.web.api import api
from queue_server.web.api.common import ANY_ROLE, caller
from queue_server.web.security import require
from queue_server.web.state import xephang


@api.get("/services")
@require(*ANY_ROLE)
def list_services() -> Response:
    services = xephang().queue.catalogue.services.values()
    return jsonify(
        {
            "services": [
                {
                    "code": s.code,
                    "prefix": s.prefix,
                    "name": s.name,
                    "labels": s.labels,
                    "icon": s.icon,
                    "helpdesk": s.helpdesk,
                }
                for s in services
            ]
        }
    )


@api.get("/priorities")
@require(*ANY_ROLE)
def list_priorities() -> Response:
    principal = caller()
    categories: Collection[CategoryInfo] = xephang().queue.catalogue.categories.values()
    if principal.role == Role.KIOSK:
        categories = [c for c in categories if c.kiosk and not c.emergency]
    return jsonify(
        {
            "priorities": [
                {
                    "code": c.code,
                    "name": c.name,
                    "labels": c.labels,
                    "weight": c.weight,
                    "emergency": c.emergency,
                    "icon": c.icon,
                    "kiosk": c.kiosk,
                }
                for c in categories
            ]
        }
    )


@api.get("/counters")
@require(*ANY_ROLE)
def list_counters() -> Response:
    queue = xephang().queue
    return jsonify(
        {"counters": [queue.counter(n).to_dict() for n in sorted(queue.catalogue.counters)]}
    )


@api.get("/state")
@require(*ANY_ROLE, Role.DEVICE)
def state() -> Response:
    return jsonify(xephang().queue.snapshot())

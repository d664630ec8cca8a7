"""The REST API under /api/v1 (JSON in and out; see /api/v1/openapi.json): one blueprint,
a module per resource.

Each module adds its routes to :data:`api` (endpoints ``api.<function>``):
:mod:`~queue_server.web.api.catalogue` (services, priority categories, counters and the
queue's state), :mod:`~queue_server.web.api.tickets`,
:mod:`~queue_server.web.api.counters` (calling and serving) and
:mod:`~queue_server.web.api.session`; what they share is in
:mod:`~queue_server.web.api.common`. Other features have blueprints of their own
(``visits.py``, ``feedback.py`` …).
"""

from __future__ import annotations

from flask import Blueprint, Flask

api = Blueprint("api", __name__, url_prefix="/api/v1")


def register_api(app: Flask) -> None:
    """Import the route modules (they add their routes to :data:`api`) and serve them."""
    from queue_server.web.api import catalogue, counters, session, tickets  # noqa: F401

    app.register_blueprint(api)

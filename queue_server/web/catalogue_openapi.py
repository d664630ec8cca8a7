"""The OpenAPI description of the catalogue routes (``queue_server/web/api/catalogue.py``):
the services, the priority categories and the counters with what they serve now."""

from __future__ import annotations

from pydantic import BaseModel

from queue_server.web.counter_openapi import Counter
from queue_server.web.openapi_table import READ, Route


class Service(BaseModel):
    code: str
    prefix: str
    name: str
    labels: dict[str, str] = {}
    icon: str | None = None
    helpdesk: bool = False


class Priority(BaseModel):
    code: str
    name: str
    labels: dict[str, str] = {}
    weight: float = 0
    emergency: bool
    icon: str | None = None
    kiosk: bool = False


class Services(BaseModel):
    services: list[Service]


class Priorities(BaseModel):
    """Categories (a kiosk sees only its own)."""

    priorities: list[Priority]


class Counters(BaseModel):
    counters: list[Counter]


CATALOGUE_ANSWERS: tuple[type[BaseModel], ...] = (
    Services,
    Priorities,
    Counters,
)


# fmt: off
CATALOGUE_ROUTES: tuple[Route, ...] = (
    Route("get", "/services", "list_services", "Services (lĩnh vực)",
          {200: ("Services", "The services.")}, roles="any", errors=READ),
    Route("get", "/priorities", "list_priorities", "Priority categories",
          {200: ("Priorities", "Categories (a kiosk sees only its own).")}, roles="any",
          errors=READ),
    Route("get", "/counters", "list_counters", "Counters and what they serve now",
          {200: ("Counters", "The counters.")}, roles="any", errors=READ),
)
# fmt: on

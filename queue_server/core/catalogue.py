"""Services, counters and priority categories: synced from config, cached in memory."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, delete, select, update

from queue_server.core.models import Counter, CounterService, PriorityCategory, Service

if TYPE_CHECKING:
    from queue_server.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    id: int
    code: str
    prefix: str
    name: str
    labels: dict[str, str]
    icon: str | None
    helpdesk: bool
    default_service_s: int
    position: int


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    id: int
    code: str
    name: str
    labels: dict[str, str]
    weight: float
    emergency: bool
    icon: str | None
    kiosk: bool
    position: int


@dataclass(frozen=True, slots=True)
class CounterInfo:
    id: int
    number: int
    name: str
    service_ids: tuple[int, ...]


class Catalogue:
    """Read-only lookup tables; ``services``/``categories``/``counters`` hold active rows."""

    def __init__(
        self,
        services: list[ServiceInfo],
        categories: list[CategoryInfo],
        counters: list[CounterInfo],
        inactive_services: list[ServiceInfo] = (),  # type: ignore[assignment]
        inactive_categories: list[CategoryInfo] = (),  # type: ignore[assignment]
    ) -> None:
        self.services = {s.code: s for s in services}
        self.categories = {c.code: c for c in categories}
        self.counters = {c.number: c for c in counters}
        self._services_by_id = {s.id: s for s in [*services, *inactive_services]}
        self._categories_by_id = {c.id: c for c in [*categories, *inactive_categories]}
        self._counters_by_id = {c.id: c for c in counters}
        self.category_ids = tuple(sorted(self._categories_by_id))

    def service_by_id(self, service_id: int) -> ServiceInfo:
        return self._services_by_id[service_id]

    def category_by_id(self, category_id: int) -> CategoryInfo:
        return self._categories_by_id[category_id]

    def counter_by_id(self, counter_id: int) -> CounterInfo | None:
        """The active counter with this id, or None."""
        return self._counters_by_id.get(counter_id)


def _read_rows(
    conn: Connection, model: type[Any], info_type: type[T], *order: Any
) -> tuple[list[T], list[T]]:
    """Rows of ``model`` as ``info_type`` records, split into active and inactive."""
    names = [f.name for f in fields(info_type)]  # type: ignore[arg-type]
    active: list[T] = []
    inactive: list[T] = []
    for row in conn.execute(select(model).order_by(*order)).mappings():
        values = {name: row[name] for name in names}
        values["labels"] = dict(values["labels"] or {})
        (active if row["active"] else inactive).append(info_type(**values))
    return active, inactive


def load_catalogue(conn: Connection) -> Catalogue:
    """Read the catalogue from the database."""
    services, inactive_services = _read_rows(
        conn, Service, ServiceInfo, Service.position, Service.id
    )
    categories, inactive_categories = _read_rows(
        conn, PriorityCategory, CategoryInfo, PriorityCategory.position
    )
    links: dict[int, list[int]] = {}
    for counter_id, service_id in conn.execute(
        select(CounterService.counter_id, CounterService.service_id).order_by(
            CounterService.counter_id, CounterService.rank
        )
    ):
        links.setdefault(counter_id, []).append(service_id)
    counters: dict[int, CounterInfo] = {}
    for row in conn.execute(
        select(Counter.id, Counter.number, Counter.name)
        .where(Counter.active.is_(True))
        .order_by(Counter.number)
    ):
        counters[row.number] = CounterInfo(
            id=row.id, number=row.number, name=row.name, service_ids=tuple(links.get(row.id, ()))
        )
    return Catalogue(
        services, categories, list(counters.values()), inactive_services, inactive_categories
    )


def sync_catalogue(conn: Connection, settings: Settings) -> None:
    """Make the database's services, counters and categories match ``settings``.

    Rows are matched by code (services, categories) and number (counters); rows no
    longer in the configuration are deactivated, never deleted, so history stays.
    """
    service_ids = _sync_services(conn, settings)
    _sync_categories(conn, settings)
    counter_ids = _sync_counters(conn, settings)
    conn.execute(delete(CounterService))
    for counter in settings.counters:
        for rank, code in enumerate(counter.services):
            conn.execute(
                CounterService.__table__.insert().values(
                    counter_id=counter_ids[counter.number],
                    service_id=service_ids[code],
                    rank=rank,
                )
            )


def _sync_services(conn: Connection, settings: Settings) -> dict[str, int]:
    """Services as configured; returns every service's id by code."""
    existing = {row.code for row in conn.execute(select(Service.code))}
    for position, service in enumerate(settings.services):
        values = {
            "prefix": service.prefix,
            "name": service.name,
            "labels": service.labels,
            "icon": service.icon,
            "helpdesk": service.helpdesk,
            "default_service_s": service.default_service_s,
            "position": position,
            "active": getattr(service, "active", True),
        }
        if service.code in existing:
            conn.execute(update(Service).where(Service.code == service.code).values(**values))
        else:
            conn.execute(Service.__table__.insert().values(code=service.code, **values))
    for code in existing - {s.code for s in settings.services}:
        conn.execute(update(Service).where(Service.code == code).values(active=False))
    return {row.code: row.id for row in conn.execute(select(Service.id, Service.code))}


def _sync_categories(conn: Connection, settings: Settings) -> None:
    """Priority categories as configured."""
    existing_categories = {row.code for row in conn.execute(select(PriorityCategory.code))}
    for position, category in enumerate(settings.priorities):
        values = {
            "name": category.name,
            "labels": category.labels,
            "weight": category.weight,
            "emergency": category.emergency,
            "icon": category.icon,
            "kiosk": category.kiosk,
            "position": position,
            "active": getattr(category, "active", True),
        }
        if category.code in existing_categories:
            conn.execute(
                update(PriorityCategory)
                .where(PriorityCategory.code == category.code)
                .values(**values)
            )
        else:
            conn.execute(PriorityCategory.__table__.insert().values(code=category.code, **values))
    for code in existing_categories - {p.code for p in settings.priorities}:
        conn.execute(
            update(PriorityCategory).where(PriorityCategory.code == code).values(active=False)
        )


def _sync_counters(conn: Connection, settings: Settings) -> dict[int, int]:
    """Counters as configured; returns every counter's id by number."""
    existing_counters = {
        row.number: row.id for row in conn.execute(select(Counter.id, Counter.number))
    }
    for counter in settings.counters:
        if counter.number in existing_counters:
            conn.execute(
                update(Counter)
                .where(Counter.number == counter.number)
                .values(name=counter.name, active=getattr(counter, "active", True))
            )
        else:
            conn.execute(
                Counter.__table__.insert().values(
                    number=counter.number,
                    name=counter.name,
                    status="open",
                    active=getattr(counter, "active", True),
                    priority_streak=0,
                )
            )
    for number in set(existing_counters) - {c.number for c in settings.counters}:
        conn.execute(update(Counter).where(Counter.number == number).values(active=False))
    return {row.number: row.id for row in conn.execute(select(Counter.id, Counter.number))}

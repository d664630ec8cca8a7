"""Who comes to a ward center on a working day, and when: a plan made from a seed.

Opening hours 7:30–11:30 and 13:30–17:00 (local), with the morning peak around 9:00
and a smaller one in the early afternoon. Each citizen wants one service, about one in
four belongs to a priority group, and a few are helped by the help desk.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from queue_server.core.catalogue import CategoryInfo, ServiceInfo

T = TypeVar("T", ServiceInfo, CategoryInfo)

SESSIONS = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
SLOT = timedelta(minutes=30)
# Relative arrivals per half hour from 7:30 and from 13:30.
MORNING = (0.7, 1.3, 1.7, 1.9, 1.7, 1.3, 0.9, 0.5)
AFTERNOON = (0.6, 1.2, 1.4, 1.2, 0.9, 0.6, 0.3)
WEEKDAY_FACTOR = (1.2, 1.0, 1.0, 1.05, 1.0, 0.6)  # Monday … Saturday
# Share of tickets per service code of the demo center; other codes get the average.
SERVICE_MIX = {
    "HD": 10,
    "HT": 22,
    "CT": 26,
    "BTXH": 8,
    "DD": 7,
    "NCC": 5,
    "HKD": 4,
    "CTR": 13,
}
PRIORITY_SHARE = 0.26  # citizens with a priority category
CATEGORY_MIX = {
    "elderly": 40,
    "disabled": 12,
    "pregnant_child": 16,
    "merit": 8,
    "ethnic_minority": 8,
    "poor_household": 16,
}
# Categories whose citizens mostly come for one service.
CATEGORY_SERVICE = {"merit": ("NCC", 0.5), "poor_household": ("BTXH", 0.5)}
HELPDESK_SHARE = 0.08  # tickets the help desk issues for someone
HELPDESK_SHARE_ASSISTED = 0.35  # … for the elderly, disabled, ethnic-minority citizens
ASSISTED = {"elderly", "disabled", "ethnic_minority"}
LEAVE_SHARE = 0.04  # citizens who give up if not called within their patience
PATIENCE_S = (3 * 60, 40 * 60)


@dataclass(frozen=True, slots=True)
class Arrival:
    """One citizen taking a ticket."""

    at: datetime  # aware, local
    service: str
    priority: str | None
    channel: str  # "kiosk" or "helpdesk"
    patience_s: int | None  # leaves if still waiting after this long; None: stays


def opening_slots(day: date, zone: ZoneInfo) -> list[tuple[datetime, float]]:
    """The half hours of ``day`` the center is open, with their relative arrivals."""
    slots: list[tuple[datetime, float]] = []
    for (opens, _closes), weights in zip(SESSIONS, (MORNING, AFTERNOON), strict=True):
        start = datetime.combine(day, opens, tzinfo=zone)
        slots.extend((start + index * SLOT, weight) for index, weight in enumerate(weights))
    return slots


def plan_day(
    rng: random.Random,
    day: date,
    zone: ZoneInfo,
    services: Sequence[ServiceInfo],
    categories: Sequence[CategoryInfo],
    per_day: float,
    *,
    emergency: bool = False,
) -> list[Arrival]:
    """The day's arrivals in time order; ``emergency`` adds one emergency case."""
    slots = opening_slots(day, zone)
    total = sum(weight for _start, weight in slots)
    volume = per_day * WEEKDAY_FACTOR[day.weekday()] * rng.uniform(0.9, 1.1)
    moments = [
        start + timedelta(seconds=rng.uniform(0, SLOT.total_seconds()))
        for start, weight in slots
        for _ in range(_poisson(rng, volume * weight / total))
    ]
    moments.sort()
    arrivals = [_citizen(rng, at, services, categories) for at in moments]
    urgent = [c for c in categories if c.emergency]
    if emergency and urgent and moments:
        at = rng.choice(moments) + timedelta(seconds=1)
        service = _weighted(rng, services, SERVICE_MIX)
        arrivals.append(Arrival(at, service.code, urgent[0].code, "helpdesk", None))
        arrivals.sort(key=lambda a: a.at)
    return arrivals


def _citizen(
    rng: random.Random,
    at: datetime,
    services: Sequence[ServiceInfo],
    categories: Sequence[CategoryInfo],
) -> Arrival:
    ordinary = [c for c in categories if not c.emergency]
    category = _weighted(rng, ordinary, CATEGORY_MIX) if rng.random() < PRIORITY_SHARE else None
    code = category.code if category else None
    service = _weighted(rng, services, SERVICE_MIX).code
    usual = CATEGORY_SERVICE.get(code or "")
    codes = {s.code for s in services}
    if usual and usual[0] in codes and rng.random() < usual[1]:
        service = usual[0]
    share = HELPDESK_SHARE_ASSISTED if code in ASSISTED else HELPDESK_SHARE
    helped = (category is not None and not category.kiosk) or rng.random() < share
    patience = rng.randint(*PATIENCE_S) if rng.random() < LEAVE_SHARE else None
    return Arrival(at, service, code, "helpdesk" if helped else "kiosk", patience)


def _weighted(rng: random.Random, items: Sequence[T], mix: Mapping[str, float]) -> T:
    known = [mix[item.code] for item in items if item.code in mix]
    default = sum(known) / len(known) if known else 1.0
    return rng.choices(list(items), weights=[mix.get(item.code, default) for item in items])[0]


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count (Knuth's method; means here stay below ~30)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count

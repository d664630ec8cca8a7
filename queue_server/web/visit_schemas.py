"""Home visits over HTTP: the request bodies (strict) and the answers (for OpenAPI)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from queue_server.core.text import Line
from queue_server.web.bodies import MAX_ID, Body, Code

ISO_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
CLOCK = r"^[0-9]{2}:[0-9]{2}$"
Day = Annotated[str, Field(pattern=ISO_DAY, description="A local day, YYYY-MM-DD.")]
Clock = Annotated[str, Field(pattern=CLOCK, description="Local time, HH:MM.")]
UserId = Annotated[int, Field(ge=1, le=MAX_ID)]
OutcomeCode = Literal["done_dossier", "done_advice", "not_home", "cancelled", "rescheduled"]
StatusCode = Literal[
    "requested", "scheduled", "done_dossier", "done_advice", "not_home", "cancelled"
]


class VisitBody(Body):
    """A home visit asked for by phone. The phone number and address are kept only with
    the citizen's consent (``consent: true``); give the address or at least the hamlet."""

    phone: Annotated[Line, Field(min_length=1, max_length=40)]
    consent: bool = False
    service: Code
    address: Annotated[Line, Field(max_length=200)] | None = None
    hamlet: Annotated[Line, Field(max_length=100)] | None = None
    category: Code | None = None
    preferred_days: list[Annotated[int, Field(ge=1, le=7)]] = Field(
        default_factory=list, max_length=7, description="ISO weekdays: 1 is Monday, 7 Sunday."
    )


class ScheduleBody(Body):
    """The visit's day (today or later), time window and the staff user ids who go."""

    day: Day
    window_start: Clock
    window_end: Clock
    officers: Annotated[list[UserId], Field(min_length=1, max_length=5)]


class OutcomeBody(Body):
    """What happened; ``new_day`` only with ``rescheduled``."""

    outcome: OutcomeCode
    new_day: Day | None = None


class VisitOfficerAnswer(BaseModel):
    id: int
    name: str


class VisitOutcomeAnswer(BaseModel):
    outcome: OutcomeCode
    day: date | None = Field(description="The visit day; null for a request cancelled first.")
    new_day: date | None
    at: datetime


class VisitContactAnswer(BaseModel):
    phone: str | None = Field(description="null once purged.")
    address: str | None
    hamlet: str | None


class HomeVisitAnswer(BaseModel):
    id: int
    status: StatusCode
    service: str
    service_name: str
    category: str | None
    category_name: str | None
    preferred_days: list[int]
    requested_day: date
    requested_at: datetime
    visit_day: date | None
    window_start: str | None
    window_end: str | None
    closed_at: datetime | None
    officers: list[VisitOfficerAnswer]
    outcomes: list[VisitOutcomeAnswer]
    contact: VisitContactAnswer | None = Field(
        None, description="Only with contacts=1, for signed-in help desk staff and admins."
    )


class HomeVisitList(BaseModel):
    visits: list[HomeVisitAnswer]


class VisitStaffMember(BaseModel):
    id: int
    name: str
    role: str


class VisitStaff(BaseModel):
    staff: list[VisitStaffMember]


VISIT_ANSWERS: tuple[type[BaseModel], ...] = (HomeVisitAnswer, HomeVisitList, VisitStaff)

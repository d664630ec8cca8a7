"""The API's answers as pydantic models: only to generate the OpenAPI schemas.

The routes answer plain dicts built from the core's views; these models describe them
(schemathesis checks every answer against the generated schemas). A field with a default
may be absent; a model that forbids extra fields says so with ``Closed``; the others may
carry more fields later.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from queue_server.auth.roles import Role
from queue_server.web.visit_schemas import VISIT_ANSWERS

Status = Literal["waiting", "called", "serving", "done", "no_show", "cancelled"]
# A default only makes a field optional: defaults are left out of the document.
SOME_TIME = datetime(1970, 1, 1)


class Closed(BaseModel):
    """An answer with exactly these fields."""

    model_config = ConfigDict(extra="forbid")


class Error(BaseModel):
    error: str
    field: str = ""


class PrintAnswer(BaseModel):
    kiosk: str
    job: str
    state: str
    ok: bool | None


class Ticket(BaseModel):
    """A ticket as staff and screens see it: never its tracking code."""

    id: int
    number: str
    service: str
    service_name: str = ""
    status: Status
    issued_at: datetime
    priority: str | None = None
    emergency: bool = False
    counter: int | None = None
    called_at: datetime | None = None
    recall_count: int = 0
    ahead: int
    estimated_wait_s: int | None = None
    channel: str = ""
    print: PrintAnswer | None = None


class IssuedTicket(Ticket):
    """The new ticket, with its tracking code: the only answer that carries it."""

    track_code: str = Field(description="A bearer secret: only in the answer to the issue.")


class PrinterReport(BaseModel):
    state: str
    ok: bool | None
    message: str
    pending: int = 0
    awaiting_recovery: int = 0


class PrintJob(BaseModel):
    id: str
    ticket_id: int | None = Field(description="None for an appointment slip's job.")
    appointment_id: int | None = Field(
        None, description="An appointment slip's job (``slip-<id>``): its appointment."
    )
    kiosk: str
    state: Literal["queued", "sent", "confirmed", "failed"]
    reason: str | None = None
    detail: str = ""
    attempts: int
    reprint: bool
    awaiting_recovery: bool = False
    created_at: datetime = SOME_TIME
    updated_at: datetime = SOME_TIME


class PrintJobResult(BaseModel):
    job: PrintJob
    printer: PrinterReport | None


class PrintJobs(BaseModel):
    jobs: list[PrintJob]


class TicketResult(BaseModel):
    ticket: Ticket


class ReprintResult(BaseModel):
    job_id: str
    kiosk: str


class Counter(BaseModel):
    number: int
    name: str
    status: Literal["open", "paused", "closed"]
    services: list[str] = []
    current: Ticket | None


class CounterResult(BaseModel):
    counter: Counter


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


class CounterWaiting(BaseModel):
    counter: int
    tickets: list[Ticket]


class Track(Closed):
    """What the public tracking page shows: no personal data."""

    number: str
    service: str = ""
    service_name: str = ""
    status: Status
    ahead: int
    counter: int | None = None
    estimated_wait_s: int | None = None


class Call(BaseModel):
    ticket_id: int
    number: str
    service: str = ""
    counter: int | None
    counter_name: str | None = None
    recall: bool
    at: datetime


class ServiceWaiting(BaseModel):
    code: str
    name: str
    waiting: int


class State(BaseModel):
    day: date = SOME_TIME.date()
    at: datetime = SOME_TIME
    services: list[ServiceWaiting]
    counters: list[Counter]
    recent_calls: list[Call]
    seq: int


class Session(BaseModel):
    kind: Literal["token", "user"]
    name: str
    role: str = Field(json_schema_extra={"enum": [role.value for role in Role]})
    counter: int | None
    csrf_token: str = ""


class Health(BaseModel):
    status: str


class Check(BaseModel):
    ok: bool


class Ready(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: dict[str, Check]
    devices: dict[str, Check] = Field(
        default={},
        description="Printers and LED boards, for information: they do not change the status.",
    )


class Contact(BaseModel):
    ticket_id: int
    number: str
    service: str = ""
    service_name: str = ""
    status: Status = "waiting"
    phone: str = Field(pattern=r"^0[0-9]{9,10}$")
    purpose: Literal["callback", "home_visit"]
    created_at: datetime


class ContactList(BaseModel):
    day: date
    contacts: list[Contact]


class PendingRating(BaseModel):
    ticket_id: int
    number: str
    service: str = ""
    service_name: str = ""
    counter: int
    finished_at: datetime
    ask_until: datetime
    open_until: datetime


class CounterRatingState(BaseModel):
    counter: int
    pending: PendingRating | None
    at: datetime


class RatingReceipt(Closed):
    ticket_id: int
    number: str
    channel: Literal["counter", "track"]
    at: datetime


class TrackRatingState(Closed):
    state: Literal["open", "rated", "not_yet", "closed"]


class AssistRecord(Closed):
    id: int
    kind: str
    category: str | None
    service: str | None
    ticket_id: int | None
    day: date
    at: datetime
    created: bool = Field(description="False: the ticket already had this kind of help.")


class AssistKind(Closed):
    code: str
    name: str
    labels: dict[str, str]


class AssistKinds(Closed):
    kinds: list[AssistKind]


class AssistCount(Closed):
    code: str | None = Field(description="null: no priority category (for categories).")
    name: str
    count: int = Field(ge=0)


class AssistCell(Closed):
    kind: str
    category: str | None
    count: int = Field(ge=1)


class AssistCounts(BaseModel):
    start: date = Field(description="The first local day (query parameter from).")
    end: date = Field(description="The last local day, included (query parameter to).")
    total: int = Field(ge=0)
    kinds: list[AssistCount]
    categories: list[AssistCount]
    cells: list[AssistCell]


class FeedbackRecord(Closed):
    id: int
    day: date = Field(description="The local day it was received.")
    at: datetime
    due_day: date = Field(description="The last local day to answer it (working days).")
    overdue: bool = Field(description="Not answered and the due day is past.")
    kind: str
    text: str
    channel: Literal["helpdesk", "track", "rating"]
    service: str | None
    service_name: str | None
    counter: int | None
    ticket_id: int | None
    rating_id: int | None = Field(description="The 'not satisfied' rating it came with.")
    recorded_by: str
    status: Literal["received", "forwarded", "answered"]
    forwarded_at: datetime | None
    forwarded_by: str | None
    forwarded_user_id: int | None
    forwarded_to: str | None = Field(description="The staff account's name, or the unit.")
    answered_at: datetime | None
    answered_by: str | None
    answer: str | None
    has_phone: bool = Field(description="The citizen left a number (with consent).")
    phone: str | None = Field(None, description="Only for the manager and the admin.")


class FeedbackList(Closed):
    start: date
    end: date
    records: list[FeedbackRecord] = Field(description="Newest first, at most 500.")


class FeedbackReceipt(Closed):
    id: int
    status: Literal["received"]
    due_day: date


class FeedbackKinds(Closed):
    kinds: list[AssistKind]


class AssistanceTaker(Closed):
    role: str = Field(description="The staff role of who took the call.")
    name: str = Field(description="Their first name (a token's name for a token).")


class AssistanceCall(Closed):
    id: int
    origin: str = Field(description="kiosk or counter.")
    kiosk: str | None = Field(description="The kiosk's name (origin kiosk).")
    counter: int | None = Field(description="The counter's number (origin counter).")
    reason: str = Field(description="A reason code of [assistance].")
    status: str = Field(description="open, accepted, closed or cancelled.")
    manager: bool = Field(description="The reason alerts the manager too.")
    raised_at: datetime
    accepted_at: datetime | None
    taken_by: AssistanceTaker | None
    ended_at: datetime | None = Field(description="When it was closed or cancelled.")
    help_kind: str | None = Field(description="The kind of help recorded on closing.")
    assist_id: int | None = Field(description="The help record closing made.")
    created: bool = Field(
        description="False: this kiosk (or counter and reason) had this "
        "call open already; nothing changed."
    )


class AssistanceCalls(Closed):
    calls: list[AssistanceCall]


class Override(BaseModel):
    updated_at: datetime = SOME_TIME
    updated_by: str | None = None


class AdminSettings(BaseModel):
    sections: dict[str, Any]
    overridden: dict[str, Override]


class AdminSection(BaseModel):
    section: str
    value: Any


class Problem(BaseModel):
    field: str = ""
    message: str = ""


class AdminSettingsError(BaseModel):
    error: str
    field: str = ""
    problems: list[Problem] = []


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


class AuditLog(BaseModel):
    entries: list[AuditEntry]


class DeviceSettings(BaseModel):
    sections: dict[str, Any]


class PrintJobRecorded(BaseModel):
    job: PrintJob
    recorded: bool = Field(description="False: if_absent, and the job was recorded already.")


class StatusStored(BaseModel):
    stored: int = Field(ge=0)


class Lease(BaseModel):
    key: str
    holder: str | None
    version: int
    ttl_s: float
    held: bool = Field(description="Held by the claimant now.")
    gained: bool = Field(description="Held now and not before this claim.")


class Leases(BaseModel):
    leases: list[Lease]


class SettingsSection(BaseModel):
    """The body of PUT /admin/settings/{section}: the whole section, validated as one."""

    value: Any


ANSWERS: tuple[type[BaseModel], ...] = (
    Error,
    IssuedTicket,
    TicketResult,
    ReprintResult,
    PrintJobResult,
    PrintJobs,
    CounterResult,
    Services,
    Priorities,
    Counters,
    CounterWaiting,
    Track,
    State,
    Session,
    Health,
    Ready,
    ContactList,
    CounterRatingState,
    RatingReceipt,
    TrackRatingState,
    AssistRecord,
    AssistKinds,
    AssistCounts,
    FeedbackRecord,
    FeedbackList,
    FeedbackReceipt,
    FeedbackKinds,
    AssistanceCall,
    AssistanceCalls,
    AdminSettings,
    AdminSection,
    AdminSettingsError,
    AuditLog,
    DeviceSettings,
    PrintJobRecorded,
    StatusStored,
    Leases,
    *VISIT_ANSWERS,
)

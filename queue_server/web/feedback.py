"""Citizens' feedback (phản ánh, kiến nghị) over HTTP.

- ``POST /api/v1/feedback``: the help desk (or admin) records what a citizen says.
- ``GET  /api/v1/feedback?from=&to=&status=&channel=&kind=&overdue=``: the records
  (help desk, manager, admin); the phone number only for the manager and the admin.
- ``POST /api/v1/feedback/<id>/forward``: to a staff account or a unit (manager, admin).
- ``POST /api/v1/feedback/<id>/answer``: the answer given, once (manager, admin).
- ``GET  /api/v1/feedback/kinds``: the kinds offered now (any staff role).
- ``POST /api/v1/track/<code>/feedback``: the citizen, from the ticket's tracking page
  (public: JSON only, refused with staff credentials, rate-limited per address and
  limited per ticket).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from flask import Blueprint, Response, g, jsonify, request
from pydantic import Field

from queue_server.auth.roles import Principal, Role
from queue_server.core.feedback import Feedbacks, Submission, TooManyFeedback
from queue_server.core.feedback_queries import FeedbackFilter, list_feedback, one_feedback
from queue_server.core.text import Line, Lines
from queue_server.i18n import _
from queue_server.web import idempotency
from queue_server.web.bodies import MAX_ID, Body, Code, parse_body
from queue_server.web.dates import day_arg
from queue_server.web.errors import ApiError
from queue_server.web.ratings import _staff_credentials, _track_code, ratings_state
from queue_server.web.security import require
from queue_server.web.state import xephang

feedback_api = Blueprint("feedback_api", __name__, url_prefix="/api/v1")

RECORDERS = (Role.HELPDESK,)  # and the admin
HANDLERS = (Role.MANAGER,)  # forward and answer; and the admin
READERS = (Role.HELPDESK, Role.MANAGER)
KIND_READERS = (Role.HELPDESK, Role.MANAGER, Role.OFFICER)
PHONE_READERS = (Role.MANAGER, Role.ADMIN)
FeedbackText = Annotated[Lines, Field(max_length=5000)]


class CitizenFeedbackBody(Body):
    """What a citizen says; a phone number only with ``consent`` to a call back."""

    kind: Code = "feedback"
    text: FeedbackText
    phone: Annotated[Line, Field(max_length=40)] | None = None
    consent: bool = False


class FeedbackBody(CitizenFeedbackBody):
    """Recorded at the help desk: optionally the service and the counter concerned."""

    service: Code | None = None
    counter: Annotated[int, Field(ge=1, le=999)] | None = None


class ForwardBody(Body):
    """Forward to one staff account (``user_id``) or one unit (``unit``)."""

    user_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    unit: Annotated[Line, Field(max_length=120)] | None = None


class AnswerBody(Body):
    """The answer given to the citizen."""

    text: FeedbackText


def feedback_service() -> Feedbacks:
    state = xephang()
    return Feedbacks(state.queue, state.settings.feedback)


def _submission(body: CitizenFeedbackBody) -> Submission:
    return Submission(body.kind, body.text, body.phone, body.consent)


def _created(service: Feedbacks, new_id: int, principal: Principal | None) -> Response:
    if principal is None:  # the citizen learns the id and the due day only
        record = one_feedback(service.queue, new_id)
        data = {key: record[key] for key in ("id", "status", "due_day")}
    else:
        data = one_feedback(service.queue, new_id, with_phone=principal.role in PHONE_READERS)
    response = jsonify(data)
    response.status_code = 201
    return response


@feedback_api.post("/feedback")
@require(*RECORDERS)
def record_feedback() -> Response:
    principal: Principal = g.principal
    body = parse_body(FeedbackBody)
    service = feedback_service()

    def produce() -> Response:
        outcome = service.record(
            _submission(body), actor=principal.actor, service=body.service, counter=body.counter
        )
        xephang().relay.publish(outcome.envelopes)
        return _created(service, outcome.value, principal)

    return idempotency.run_once(
        service.queue.db, principal.scope, service.queue.clock.now(), produce
    )


@feedback_api.post("/track/<track_code>/feedback")
def feedback_from_tracking(track_code: str) -> Response:
    """Public: the citizen's own words, from the page the ticket's QR code opens."""
    code = _track_code(track_code)
    if _staff_credentials():
        raise ApiError(403, _("Staff record feedback at the help desk, not on this page."))
    if not request.is_json:
        raise ApiError(415, _("Send the body as JSON."))
    wait = ratings_state().track_limiter.hit(f"feedback:{request.remote_addr or '-'}")
    if wait:
        raise _too_many(_("Too many messages from this device; try again in {seconds} s."), wait)
    body = parse_body(CitizenFeedbackBody)
    service = feedback_service()

    def produce() -> Response:
        try:
            outcome = service.record_from_ticket(code, _submission(body))
        except TooManyFeedback as exc:
            raise ApiError(429, exc.message) from None
        xephang().relay.publish(outcome.envelopes)
        return _created(service, outcome.value, None)

    return idempotency.run_once(
        service.queue.db, f"track-feedback:{code}", service.queue.clock.now(), produce
    )


def _too_many(message: str, wait: int) -> ApiError:
    return ApiError(429, message.format(seconds=wait), headers={"Retry-After": str(wait)})


@feedback_api.get("/feedback")
@require(*READERS)
def list_records() -> Response:
    """Records received on ``from``–``to`` (local days; default the last 30 days)."""
    principal: Principal = g.principal
    service = feedback_service()
    today = service.queue.today()
    start = day_arg("from") or date.fromordinal(today.toordinal() - 30)
    end = day_arg("to") or today
    chosen = FeedbackFilter(
        start,
        end,
        status=request.args.get("status") or None,
        channel=request.args.get("channel") or None,
        kind=request.args.get("kind") or None,
        overdue=_flag("overdue"),
    )
    records = list_feedback(service.queue, chosen, with_phone=principal.role in PHONE_READERS)
    return jsonify({"start": start.isoformat(), "end": end.isoformat(), "records": records})


def _flag(name: str) -> bool:
    raw = request.args.get(name, "")
    if raw not in ("", "0", "1", "true", "false"):
        raise ApiError(400, _("{name} must be true or false.").format(name=name), field=name)
    return raw in ("1", "true")


@feedback_api.post("/feedback/<int:feedback_id>/forward")
@require(*HANDLERS)
def forward(feedback_id: int) -> Response:
    principal: Principal = g.principal
    body = parse_body(ForwardBody)
    service = feedback_service()
    outcome = service.forward(
        _id(feedback_id), actor=principal.actor, user_id=body.user_id, unit=body.unit
    )
    return _changed(service, outcome.envelopes, feedback_id)


@feedback_api.post("/feedback/<int:feedback_id>/answer")
@require(*HANDLERS)
def answer(feedback_id: int) -> Response:
    principal: Principal = g.principal
    body = parse_body(AnswerBody)
    service = feedback_service()
    outcome = service.answer(_id(feedback_id), body.text, actor=principal.actor)
    return _changed(service, outcome.envelopes, feedback_id)


def _id(feedback_id: int) -> int:
    if feedback_id > MAX_ID:
        raise ApiError(404, _("Unknown feedback: {id}").format(id=feedback_id))
    return feedback_id


def _changed(service: Feedbacks, envelopes: Any, feedback_id: int) -> Response:
    xephang().relay.publish(envelopes)
    principal: Principal = g.principal
    with_phone = principal.role in PHONE_READERS
    return jsonify(one_feedback(service.queue, feedback_id, with_phone=with_phone))


@feedback_api.get("/feedback/kinds")
@require(*KIND_READERS)
def kinds() -> Response:
    """The kinds of feedback offered now, in the configured order."""
    config = xephang().settings.feedback
    return jsonify(
        {
            "kinds": [
                {"code": k.code, "name": k.name, "labels": dict(k.labels)}
                for k in config.active_kinds()
            ]
        }
    )

"""A counter's work: call the next citizen or a given ticket, call again, no-show, serve,
finish, transfer, pause and resume, and who it would call next (its officer, or an
admin)."""

from __future__ import annotations

from flask import Response, jsonify

from queue_server.auth.roles import Principal, Role
from queue_server.core.errors import NotFound
from queue_server.i18n import _
from queue_server.web.api import api
from queue_server.web.api.common import caller, once, parse_body_empty, publish, ticket_response
from queue_server.web.bodies import CallBody, TransferBody, parse_body
from queue_server.web.security import check_counter, require
from queue_server.web.state import xephang


def _counter_principal(number: int) -> Principal:
    principal = caller()
    queue = xephang().queue
    if number not in queue.catalogue.counters:
        raise NotFound(_("Unknown counter: {number}").format(number=number))
    check_counter(principal, number)
    return principal


@api.post("/counters/<int:number>/next")
@require(Role.OFFICER)
def call_next(number: int) -> Response:
    principal = _counter_principal(number)
    parse_body_empty()
    queue = xephang().queue

    def produce() -> Response:
        ticket = publish(
            queue.call_next(number, actor=principal.actor, officer_id=principal.officer_id)
        )
        if ticket is None:
            return Response(status=204)
        return ticket_response(ticket)

    return once(produce)


@api.post("/counters/<int:number>/call")
@require(Role.OFFICER)
def call_ticket(number: int) -> Response:
    principal = _counter_principal(number)
    body = parse_body(CallBody)
    queue = xephang().queue
    return once(
        lambda: ticket_response(
            publish(
                queue.call_ticket(
                    number,
                    body.ticket_id,
                    actor=principal.actor,
                    officer_id=principal.officer_id,
                    only_served=principal.role != Role.ADMIN,
                )
            )
        )
    )


@api.post("/counters/<int:number>/transfer")
@require(Role.OFFICER)
def transfer(number: int) -> Response:
    principal = _counter_principal(number)
    body = parse_body(TransferBody)
    queue = xephang().queue
    return once(
        lambda: ticket_response(
            publish(
                queue.transfer(number, body.service, to_counter=body.counter, actor=principal.actor)
            )
        )
    )


def _ticket_action(name: str, method: str) -> None:
    def view(number: int) -> Response:
        principal = _counter_principal(number)
        parse_body_empty()
        operation = getattr(xephang().queue, method)
        return once(lambda: ticket_response(publish(operation(number, actor=principal.actor))))

    view.__name__ = f"counter_{method}"
    api.post(f"/counters/<int:number>/{name}")(require(Role.OFFICER)(view))


def _status_action(name: str) -> None:
    def view(number: int) -> Response:
        principal = _counter_principal(number)
        parse_body_empty()
        operation = getattr(xephang().queue, name)
        return once(
            lambda: jsonify(
                {"counter": publish(operation(number, actor=principal.actor)).to_dict()}
            )
        )

    view.__name__ = f"counter_{name}"
    api.post(f"/counters/<int:number>/{name}")(require(Role.OFFICER)(view))


for _name, _method in (
    ("recall", "recall"),
    ("no-show", "no_show"),
    ("finish", "finish"),
    ("serve", "start_serving"),
):
    _ticket_action(_name, _method)
for _name in ("pause", "resume"):
    _status_action(_name)


@api.get("/counters/<int:number>/waiting")
@require(Role.OFFICER, Role.HELPDESK)
def waiting(number: int) -> Response:
    _counter_principal(number)
    tickets = xephang().queue.waiting_for_counter(number)
    return jsonify({"counter": number, "tickets": [t.to_dict() for t in tickets]})

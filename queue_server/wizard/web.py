"""The first-start page: the wizard's steps as web forms, behind a one-time setup code.

``xephang run`` on a configuration that holds no center (and ``xephang setup --web``)
serves only these pages. The code is printed in the server's terminal and log, so that
someone else on the network cannot set the center up first; after
:data:`MAX_WRONG_CODES` wrong codes a new one is printed. The questions, defaults and
checks are the :class:`~queue_server.wizard.steps.Wizard`'s, as in the terminal.
"""

from __future__ import annotations

import hmac
import os
import secrets
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Flask, Response, redirect, render_template_string, request, session, url_for

from queue_server.core.errors import QueueError
from queue_server.i18n import _, current_language
from queue_server.settings import ConfigError
from queue_server.wizard.finish import Outcome, apply
from queue_server.wizard.questions import Invalid, shown
from queue_server.wizard.steps import Wizard
from queue_server.wizard.web_pages import CODE_PAGE, DONE_PAGE, STEP_PAGE, SUMMARY_PAGE

MAX_WRONG_CODES = 5


class SetupCode:
    """The one-time code; a new one after too many wrong tries (``announce`` prints it)."""

    def __init__(self, announce: Callable[[str], None]) -> None:
        self.announce = announce
        self.wrong = 0
        self.value = ""
        self.renew()

    def renew(self) -> None:
        old = self.value
        while self.value == old:
            self.value = f"{secrets.randbelow(10**8):08d}"
        self.wrong = 0
        self.announce(self.value)

    def matches(self, typed: str) -> bool:
        if hmac.compare_digest(typed.strip().replace(" ", ""), self.value):
            return True
        self.wrong += 1
        if self.wrong >= MAX_WRONG_CODES:
            self.renew()
        return False


def create_setup_app(
    wizard: Wizard,
    path: Path,
    code: SetupCode,
    *,
    replace: bool,
    on_done: Callable[[], None] = lambda: None,
) -> Flask:
    """The setup pages for ``wizard``, writing ``path`` at the end."""
    from queue_server.web.security import csrf_matches, csrf_token

    app = Flask(__name__)
    app.secret_key = secrets.token_bytes(32)
    state: dict[str, Any] = {"outcome": None}
    admitted: set[str] = set()  # sessions that typed the code (a new code keeps them)
    lock = threading.Lock()  # one answer (or the writing) at a time

    def page(template: str, **values: Any) -> str:
        return render_template_string(
            template,
            _=_,
            lang=current_language(),
            csrf=csrf_token(),
            title=_("Setting up the center"),
            **values,
        )

    def authorised() -> bool:
        return session.get("setup") in admitted

    @app.get("/")
    def start() -> Any:
        return redirect(url_for("steps"))

    @app.post("/setup/code")
    def enter_code() -> Any:
        if not csrf_matches(request.form.get("csrf")):
            return page(CODE_PAGE, error=_("The page was too old; try again.")), 400
        if not code.matches(request.form.get("code", "")):
            return page(CODE_PAGE, error=_("This is not the setup code.")), 403
        admitted.add(ticket := secrets.token_urlsafe(24))
        session["setup"] = ticket
        return redirect(url_for("steps"))

    @app.route("/setup", methods=["GET", "POST"])
    def steps() -> Any:
        if not authorised():
            return page(CODE_PAGE, error="")
        if state["outcome"] is not None:
            return redirect(url_for("done"))
        if request.method == "POST" and not csrf_matches(request.form.get("csrf")):
            return page(CODE_PAGE, error=_("The page was too old; try again.")), 400
        if "links.base_url" not in wizard.answers:  # the address this page was opened at
            wizard.base_url = request.host_url.rstrip("/")
        with lock:
            return answer_and_ask()

    def answer_and_ask() -> tuple[str, int]:
        """Accept the answers sent (if any), then show the questions left."""
        errors: dict[str, str] = {}
        typed: dict[str, str] = {}
        batch = wizard.next_batch() if request.method == "POST" else None
        for question in batch[1] if batch else []:
            if question.key in request.form:
                typed[question.key] = request.form[question.key]
                try:
                    wizard.accept(question, typed[question.key])
                except Invalid as exc:
                    errors[question.key] = str(exc)
        batch = wizard.next_batch()
        if batch is None:
            return page(SUMMARY_PAGE, rows=summary(wizard), path=str(path), error=""), 200
        step, questions = batch
        shown_page = page(
            STEP_PAGE,
            step=_(step.title),
            number=wizard.steps().index(step) + 1,
            steps=len(wizard.steps()),
            questions=questions,
            typed=typed,
            errors=errors,
            found=wizard.found.get("lines") if step is wizard.steps()[-1] else None,
        )
        return shown_page, (422 if errors else 200)

    @app.post("/setup/finish")
    def finish() -> Any:
        if not authorised() or not csrf_matches(request.form.get("csrf")):
            return page(CODE_PAGE, error=""), 403
        with lock:
            if state["outcome"] is None and wizard.next_batch() is None:
                try:
                    state["outcome"] = apply(wizard, path, replace=replace)
                except (ConfigError, QueueError, OSError) as exc:
                    message = exc.message if isinstance(exc, QueueError) else str(exc)
                    rows = summary(wizard)
                    return page(SUMMARY_PAGE, rows=rows, path=str(path), error=message), 422
        return redirect(url_for("done"))

    @app.get("/setup/done")
    def done() -> Any:
        outcome: Outcome | None = state["outcome"]
        if outcome is None or not authorised():
            return redirect(url_for("steps"))
        from queue_server.web.result_pages import qr_svg  # the web app's: loaded at the end

        codes = {link.url: qr_svg(link.url) for link in outcome.links}
        return page(DONE_PAGE, outcome=outcome, codes=codes)

    @app.post("/setup/start")
    def start_server() -> Any:
        if state["outcome"] is None or not authorised():
            return redirect(url_for("steps"))
        response = Response(page(DONE_PAGE, outcome=None, codes={}))
        response.call_on_close(on_done)
        return response

    return app


def summary(wizard: Wizard) -> list[tuple[str, str]]:
    """(question, answer) of every answer but passwords."""
    rows = []
    for step in wizard.steps():
        for question in step.questions(wizard):
            if question.key in wizard.answers and question.kind != "secret":
                rows.append((question.text(), shown(wizard.answers[question.key])))
    return rows


def serve_setup(wizard: Wizard, path: Path, host: str, port: int, *, replace: bool) -> None:
    """Serve the setup pages until the center is set up and its server asked to start."""
    from werkzeug.serving import make_server

    def announce(value: str) -> None:
        click.secho(
            _("Setup code (type it on the setup page): {code}").format(code=value),
            fg="yellow",
            err=True,
        )

    finished = threading.Event()
    code = SetupCode(announce)
    app = create_setup_app(wizard, path, code, replace=replace, on_done=finished.set)
    server = make_server(host, port, app, threaded=True)
    click.echo(
        _("No center is configured yet: open http://{host}:{port}/setup to set it up.").format(
            host=host, port=server.server_port
        ),
        err=True,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    tell_systemd_ready()  # under the unit (Type=notify) the setup page counts as started
    try:
        finished.wait()
    finally:
        server.shutdown()
        server.server_close()


def tell_systemd_ready() -> None:
    """``READY=1`` to systemd when it waits for it (``$NOTIFY_SOCKET``); else nothing.

    gunicorn says the same once it serves the center, in the same process (``execve``)."""
    address = os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as channel:
        channel.sendto(b"READY=1\nSTATUS=xephang: the setup page waits for the installer", address)


def first_start(path: Path, host: str, port: int) -> None:
    """When ``path`` holds no center, serve the setup page until it is written."""
    from queue_server.cli.setup import lan_address
    from queue_server.wizard import unconfigured
    from queue_server.wizard.devices import device_scanner
    from queue_server.wizard.finish import default_data_dir

    if not unconfigured(path):
        return
    wizard = Wizard(
        data_dir=default_data_dir(path),
        base_url=lan_address(port),
        scanner=device_scanner(),
    )
    serve_setup(wizard, path, host, port, replace=path.exists())

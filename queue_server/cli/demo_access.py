"""Accounts and screen links for the demo, so a newcomer can try every screen at once."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import timedelta

from queue_server.auth.tokens import create_token
from queue_server.auth.users import add_user
from queue_server.core.errors import QueueError
from queue_server.core.operations import Queue
from queue_server.i18n import _

DEMO_PASSWORD = "xephang-demo"
DEMO_USERS = (("canbo", "officer"), ("hotro", "helpdesk"), ("quantri", "admin"))


@dataclass(frozen=True)
class DemoLink:
    label: str
    url: str
    note: str = ""


def prepare_demo_access(queue: Queue, base_url: str, kiosk: str | None) -> list[DemoLink]:
    """Create the demo users (once) and fresh screen tokens; return what to open."""
    for username, role in DEMO_USERS:
        with contextlib.suppress(QueueError):  # already there from an earlier demo run
            add_user(queue.db, username, role, DEMO_PASSWORD, clock=queue.clock)
    day = timedelta(days=1)
    display, _info = create_token(
        queue.db, "display", lifetime=day, name="demo-display", clock=queue.clock
    )
    kiosk_token, _info = create_token(
        queue.db, "kiosk", lifetime=day, name=kiosk or "demo-kiosk", clock=queue.clock
    )
    officer = _("sign in as {user} / {password}").format(user="canbo", password=DEMO_PASSWORD)
    helpdesk = _("sign in as {user} / {password}").format(user="hotro", password=DEMO_PASSWORD)
    return [
        DemoLink(_("Hall display"), f"{base_url}/display?token={display}"),
        DemoLink(_("Kiosk"), f"{base_url}/kiosk?token={kiosk_token}"),
        DemoLink(
            _("Officer console"),
            f"{base_url}/officer",
            officer,
        ),
        DemoLink(
            _("Help desk"),
            f"{base_url}/helpdesk",
            helpdesk,
        ),
        DemoLink(_("Virtual printer"), f"{base_url}/devices/printer"),
        DemoLink(_("Virtual LED boards"), f"{base_url}/devices/leds"),
    ]

"""Accounts and screen links for the demo, so a newcomer can try every screen at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from queue_server.auth.tokens import create_token
from queue_server.auth.users import add_user, list_users
from queue_server.cli.demo_tokens import DemoTokens
from queue_server.core.operations import Queue
from queue_server.demo.history import Staff
from queue_server.i18n import _

DEMO_PASSWORD = "xephang-demo"
# One officer per counter of the demo center (they are the officers of the history).
DEMO_OFFICERS = (
    (1, "canbo", "Nguyễn Thị Lan"),
    (2, "canbo2", "Trần Văn Hùng"),
    (3, "canbo3", "Lê Thị Mai"),
    (4, "canbo4", "Phạm Minh Tuấn"),
    (5, "canbo5", "Hoàng Văn Nam"),
    (6, "canbo6", "Đỗ Thị Hương"),
)
HELPDESK, ADMIN, MANAGER, VOLUNTEER = "hotro", "quantri", "lanhdao", "tinhnguyen"
DEMO_USERS = (
    (HELPDESK, "helpdesk", "Vũ Thị Hoa"),
    (VOLUNTEER, "volunteer", "Đinh Thị Ngọc"),
    (ADMIN, "admin", "Quản trị viên"),
    (MANAGER, "manager", "Bùi Văn Thành"),
)
RATING_TABLETS = (1, 2)  # counters whose rating tablet the demo opens


@dataclass(frozen=True)
class DemoLink:
    label: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class DemoStaff:
    """The demo accounts the history and the links use."""

    officers: dict[int, Staff]
    helpdesk: Staff


@dataclass(frozen=True)
class TrackedTicket:
    """The ticket whose tracking page the demo shows."""

    code: str
    number: str
    served: bool


def demo_accounts(queue: Queue) -> DemoStaff:
    """Create the demo users (once) and return them."""
    existing = {u["username"]: u["id"] for u in list_users(queue.db)}
    counters = queue.catalogue.counters
    wanted = [(name, "officer", full) for number, name, full in DEMO_OFFICERS if number in counters]
    for username, role, display_name in [*wanted, *DEMO_USERS]:
        if username not in existing:
            existing[username] = add_user(
                queue.db,
                username,
                role,
                DEMO_PASSWORD,
                display_name=display_name,
                clock=queue.clock,
            )
    officers = {
        number: Staff(existing[name], name)
        for number, name, _full in DEMO_OFFICERS
        if number in counters
    }
    return DemoStaff(officers, Staff(existing[HELPDESK], HELPDESK))


def sign_in_note(username: str) -> str:
    return _("sign in as {user} / {password}").format(user=username, password=DEMO_PASSWORD)


def prepare_demo_access(
    queue: Queue,
    base_url: str,
    kiosk: str | None,
    *,
    history: tuple[date, date] | None = None,
    tracked: TrackedTicket | None = None,
    tokens: DemoTokens | None = None,
) -> list[DemoLink]:
    """Screen tokens and the links to open: every screen of the center.

    ``history`` is the range of days with tickets (for the report link), ``tracked``
    the ticket whose tracking page to show. With ``tokens`` the saved screen tokens are
    reused (see :mod:`queue_server.cli.demo_tokens`); without, fresh ones are made.
    """
    day = timedelta(days=1)

    def token(role: str, name: str, counter: int | None = None) -> str:
        if tokens is not None:
            return tokens.secret(role, name, counter)
        secret, _info = create_token(
            queue.db, role, counter=counter, lifetime=day, name=name, clock=queue.clock
        )
        return secret

    officers = [name for number, name, _full in DEMO_OFFICERS if number in queue.catalogue.counters]
    officer_note = sign_in_note(officers[0] if officers else "canbo")
    if len(officers) > 1:
        officer_note += "; " + _("{first} … {last} for the other counters").format(
            first=officers[1], last=officers[-1]
        )
    links = [
        DemoLink(_("Hall display"), f"{base_url}/display?token={token('display', 'demo-display')}"),
        DemoLink(_("Kiosk"), f"{base_url}/kiosk?token={token('kiosk', kiosk or 'demo-kiosk')}"),
        DemoLink(_("Officer console"), f"{base_url}/officer", officer_note),
        DemoLink(
            _("Help desk"),
            f"{base_url}/helpdesk",
            sign_in_note(HELPDESK) + "; " + _("a callback number only with the citizen's consent"),
        ),
        DemoLink(
            _("Help records"),
            f"{base_url}/assist",
            sign_in_note(VOLUNTEER) + "; " + _("a volunteer, on a phone: records help only"),
        ),
    ]
    for number in RATING_TABLETS:
        if number in queue.catalogue.counters:
            secret = token("rating", f"demo-rating-{number}", number)
            links.append(
                DemoLink(
                    _("Rating tablet, counter {number}").format(number=number),
                    f"{base_url}/rate/{number}?token={secret}",
                    _("asks when counter {number} finishes a ticket").format(number=number),
                )
            )
    if tracked is not None:
        note = (
            _("served, not rated yet: rate it as the citizen would")
            + "; "
            + _("in a private window: signed-in staff cannot rate")
            if tracked.served
            else _("a ticket issued just now")
        )
        links.append(
            DemoLink(
                _("Tracking page of {number}").format(number=tracked.number),
                f"{base_url}/track/{tracked.code}",
                note,
            )
        )
    report = f"{base_url}/admin/reports"
    if history is not None:
        report += "?" + urlencode({"from": history[0].isoformat(), "to": history[1].isoformat()})
    links += [
        DemoLink(_("Admin pages"), f"{base_url}/admin", sign_in_note(ADMIN)),
        DemoLink(
            _("Reports"),
            report,
            sign_in_note(MANAGER)
            + ", "
            + _("a manager who only reads; or {admin}").format(admin=ADMIN),
        ),
        # The printed tickets carry their tracking QR codes: the administrator only.
        DemoLink(_("Virtual printer"), f"{base_url}/devices/printer", sign_in_note(ADMIN)),
        DemoLink(
            _("Virtual LED boards"),
            f"{base_url}/devices/leds",
            sign_in_note(officers[0] if officers else ADMIN)
            + "; "
            + _("or any staff account but a volunteer"),
        ),
    ]
    return links


def format_links(links: list[DemoLink]) -> list[str]:
    """One line per link: label, address and note, the addresses aligned."""
    width = max((len(link.label) for link in links), default=0)
    return [
        f"  {link.label:<{width}}  {link.url}" + (f"  ({link.note})" if link.note else "")
        for link in links
    ]

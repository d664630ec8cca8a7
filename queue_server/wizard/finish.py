"""The wizard's last step: write center.toml, make the database, accounts and screen links.

The file is written atomically (a temporary file in the same folder, then a rename) and
never replaces an existing center unless asked. The screens' links carry fresh tokens
(hall display, kiosk, one rating tablet per counter), shown once as addresses and QR codes.
"""

from __future__ import annotations

import io
import os
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from queue_server.auth.tokens import create_token
from queue_server.auth.users import add_user
from queue_server.core.errors import InvalidState
from queue_server.core.sites import toml_text
from queue_server.i18n import _
from queue_server.settings import Settings, load_settings, parse_settings
from queue_server.wizard.devices import KIOSK
from queue_server.wizard.steps import Wizard

if TYPE_CHECKING:
    from queue_server.core.operations import Queue

TOKEN_LIFETIME = timedelta(days=365)
HEADER = (
    "# The center's configuration, written by `xephang setup` (docs/setup.md).\n"
    "# Every key is explained in docs/configuration.md; check it with `xephang check`.\n\n"
)


@dataclass(frozen=True)
class Link:
    """A screen to open on a device: its address (with its token) and who it is for."""

    label: str
    url: str
    note: str = ""


@dataclass
class Outcome:
    """What the setup made."""

    path: Path
    links: list[Link] = field(default_factory=list)
    made_up: list[tuple[str, str]] = field(default_factory=list)  # (user, password) to write down
    kept: list[str] = field(default_factory=list)  # accounts that already existed


def write_config(path: Path, text: str, *, replace: bool) -> None:
    """Write ``text`` to ``path`` atomically; an existing file only when ``replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if replace:
            os.replace(partial, path)
        else:
            os.link(partial, path)  # refuses a file made meanwhile
    except FileExistsError:
        message = _("{path} already exists; it was not replaced.").format(path=path)
        raise InvalidState(message) from None
    finally:
        partial.unlink(missing_ok=True)


def default_data_dir(config: Path) -> str:
    """/var/lib/xephang for the installed /etc/xephang/center.toml; else ``data`` beside it."""
    return "/var/lib/xephang" if str(config.resolve()).startswith("/etc/") else "data"


def apply(wizard: Wizard, path: Path, *, replace: bool) -> Outcome:
    """Write the configuration and make the database, accounts and screen tokens."""
    from queue_server.core.bootstrap import open_queue

    data = wizard.config_data()
    parse_settings(data, str(path))  # the whole file, once more (ConfigError if not valid)
    write_config(path, HEADER + toml_text(data), replace=replace)
    settings = load_settings(path)
    queue = open_queue(settings, create=True)
    try:
        outcome = Outcome(path)
        make_accounts(wizard, queue, outcome)
        outcome.links = screen_links(wizard, settings, queue)
    finally:
        queue.db.dispose()
    return outcome


def make_accounts(wizard: Wizard, queue: Queue, outcome: Outcome) -> None:
    """The administrator and the officers; an account that exists is kept as it is."""
    admin = (
        "admin",
        wizard.answer("admin.username"),
        wizard.answer("admin.name", ""),
        wizard.answer("admin.password"),
    )
    officers = [("officer", user, name, given) for _n, user, name, given in wizard.officers()]
    for role, username, name, given in [admin, *officers]:
        password = given or secrets.token_urlsafe(6)  # 8 characters, written down
        try:
            add_user(queue.db, username, role, password, display_name=name, clock=queue.clock)
        except InvalidState:
            outcome.kept.append(username)
            continue
        if not given:
            outcome.made_up.append((username, password))


def screen_links(wizard: Wizard, settings: Settings, queue: Queue) -> list[Link]:
    """Each screen's address, with a new token for those that sign in with one."""
    base = str(wizard.answer("links.base_url", wizard.base_url)).rstrip("/")
    kiosks = {k.name: k.printer is not None for k in settings.kiosks}

    def token(role: str, name: str, counter: int | None = None) -> str:
        secret, _info = create_token(
            queue.db,
            role,
            counter=counter,
            lifetime=TOKEN_LIFETIME,
            name=name,
            clock=queue.clock,
            kiosks=kiosks,
            without_printer=role == "kiosk" and name not in kiosks,
        )
        return secret

    kiosk = KIOSK if KIOSK in kiosks else "kiosk"
    links = [
        Link(_("Hall display"), f"{base}/display?token={token('display', 'hall-display')}"),
        Link(_("Kiosk"), f"{base}/kiosk?token={token('kiosk', kiosk)}"),
    ]
    for number in sorted(c.number for c in settings.counters if c.active):
        links.append(
            Link(
                _("Rating tablet, counter {number}").format(number=number),
                f"{base}/rate/{number}?token={token('rating', f'rating-{number}', number)}",
            )
        )
    return [
        *links,
        Link(_("Officer console"), f"{base}/officer", _("officers sign in with their account")),
        Link(_("Admin pages"), f"{base}/admin", wizard.answer("admin.username")),
    ]


def qr_text(url: str) -> str:
    """``url`` as a QR code drawn with text blocks, for the terminal."""
    import qrcode

    code = qrcode.QRCode(border=1)
    code.add_data(url)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()

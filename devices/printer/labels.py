"""The lines of a ticket, translated into the printout's language (layout-independent)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import partial

from queue_server.core.wait_words import wait_minutes
from xephang.i18n import N_, translate

from .printout import TicketPrintout


class Style(Enum):
    """Typographic role of a paragraph; the renderer maps each to a font and size."""

    CENTER = "center"
    HEADING = "heading"
    NUMBER = "number"
    SERVICE = "service"
    SERVICE_ALT = "service_alt"
    PRIORITY = "priority"
    BODY = "body"
    SMALL = "small"
    QR = "qr"


@dataclass(frozen=True)
class Paragraph:
    """One piece of ticket content; ``space_before`` is in points of the 576-dot layout."""

    style: Style
    text: str
    space_before: int = 0


# Every text a ticket prints (language packs translate them: docs/languages.md).
TICKET_MESSAGES: tuple[str, ...] = (
    N_("YOUR NUMBER"),
    N_("Priority: {category}"),
    N_("Issued at {time}, {date}"),
    N_("Nobody is waiting ahead of you"),
    N_("People waiting ahead of you: {count}"),
    N_("Estimated waiting time: less than a minute"),
    N_("Estimated waiting time: about {minutes} minutes"),
    N_("Scan to follow your turn"),
)


def nfc(text: str) -> str:
    """NFC-normalised text with surrounding blanks removed."""
    return unicodedata.normalize("NFC", text).strip()


def wait_text(estimated_wait_s: int, language: str, ahead: int = 1) -> str:
    """ "Estimated waiting time: about N minutes" in ``language`` (the kiosk's rule)."""
    minutes = wait_minutes(estimated_wait_s, ahead)
    if minutes is None:
        return translate("Estimated waiting time: less than a minute", language)
    return translate("Estimated waiting time: about {minutes} minutes", language).format(
        minutes=minutes
    )


def ahead_text(ahead: int, language: str) -> str:
    """How many people are waiting before this ticket."""
    if ahead == 0:
        return translate("Nobody is waiting ahead of you", language)
    return translate("People waiting ahead of you: {count}", language).format(count=ahead)


def paragraphs(printout: TicketPrintout) -> list[Paragraph]:
    """The ticket's content, top to bottom; the fixed lines also in ``second_language``
    (small, under each line) when the printout has one."""
    lang = printout.language
    second = printout.second_language if printout.second_language != lang else None
    issued = printout.issued_at
    items = [Paragraph(Style.CENTER, nfc(printout.center_name))]
    if printout.heading:
        items.append(Paragraph(Style.HEADING, nfc(printout.heading), 18))
    else:
        items += _twice(Style.HEADING, partial(translate, "YOUR NUMBER"), lang, second, 18)
    items += [
        Paragraph(Style.NUMBER, nfc(printout.number), 10),
        Paragraph(Style.SERVICE, nfc(printout.service_name), 14),
    ]
    if printout.service_name_alt:
        items.append(Paragraph(Style.SERVICE_ALT, nfc(printout.service_name_alt), 6))
    if printout.priority_label:
        label = translate("Priority: {category}", lang).format(
            category=nfc(printout.priority_label)
        )
        items.append(Paragraph(Style.PRIORITY, nfc(label), 16))
    when = translate("Issued at {time}, {date}", lang).format(
        time=issued.strftime("%H:%M"), date=issued.strftime("%d/%m/%Y")
    )
    items.append(Paragraph(Style.BODY, nfc(when), 18))
    items += _twice(Style.BODY, lambda code: ahead_text(printout.ahead, code), lang, second, 8)
    if printout.estimated_wait_s is not None:
        wait_s = printout.estimated_wait_s
        items += _twice(
            Style.BODY, lambda code: wait_text(wait_s, code, printout.ahead), lang, second, 8
        )
    if printout.track_url:
        items.append(Paragraph(Style.QR, printout.track_url.strip(), 18))
        scan = partial(translate, "Scan to follow your turn")
        items += _twice(Style.SMALL, scan, lang, second, 6)
    if printout.footer:
        items.append(Paragraph(Style.SMALL, nfc(printout.footer), 16))
    return items


def _twice(
    style: Style, text: Callable[[str], str], lang: str, second: str | None, space: int
) -> list[Paragraph]:
    """A line in ``lang``, then (small) in ``second`` when there is one."""
    first = nfc(text(lang))
    items = [Paragraph(style, first, space)]
    other = nfc(text(second)) if second else first
    if other != first:  # a text the second language lacks is not printed twice
        items.append(Paragraph(Style.SMALL, other, 2))
    return items

"""The lines of a ticket, translated into the printout's language (layout-independent)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum

from queue_server.core.wait_words import wait_minutes
from xephang.i18n import translate

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
    """The ticket's content, top to bottom."""
    lang = printout.language
    issued = printout.issued_at
    heading = printout.heading or translate("YOUR NUMBER", lang)
    items = [
        Paragraph(Style.CENTER, nfc(printout.center_name)),
        Paragraph(Style.HEADING, nfc(heading), 18),
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
    items.append(Paragraph(Style.BODY, nfc(ahead_text(printout.ahead, lang)), 8))
    if printout.estimated_wait_s is not None:
        items.append(
            Paragraph(
                Style.BODY, nfc(wait_text(printout.estimated_wait_s, lang, printout.ahead)), 8
            )
        )
    if printout.track_url:
        items.append(Paragraph(Style.QR, printout.track_url.strip(), 18))
        items.append(Paragraph(Style.SMALL, nfc(translate("Scan to follow your turn", lang)), 6))
    if printout.footer:
        items.append(Paragraph(Style.SMALL, nfc(printout.footer), 16))
    return items

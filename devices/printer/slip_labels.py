"""The lines of an appointment slip (giấy hẹn), in the printout's language.

The same paragraphs and styles as a ticket (:mod:`.labels`), so the slip is laid out,
scaled and encoded by the ticket's renderer: the code is printed as big as a number.
"""

from __future__ import annotations

from babel.dates import format_date

from xephang.i18n import translate

from .labels import Paragraph, Style, nfc
from .printout import SlipPrintout


def slip_day(printout: SlipPrintout) -> str:
    """The slot's day with its weekday, e.g. ``Thứ Hai, 23/11/2026``."""
    language = printout.language if printout.language != "en" else "en_GB"
    try:
        text = format_date(printout.slot_start.date(), "EEEE, dd/MM/yyyy", locale=language)
    except Exception:  # a language babel does not know: the weekday in Vietnamese
        text = format_date(printout.slot_start.date(), "EEEE, dd/MM/yyyy", locale="vi")
    return text[:1].upper() + text[1:]


def slip_time(printout: SlipPrintout) -> str:
    """The slot, e.g. ``08:00–08:30``."""
    return f"{printout.slot_start:%H:%M}–{printout.slot_end:%H:%M}"


def slip_paragraphs(printout: SlipPrintout) -> list[Paragraph]:
    """The slip's content, top to bottom."""
    lang = printout.language
    items = [
        Paragraph(Style.CENTER, nfc(printout.center_name)),
        Paragraph(Style.SERVICE, nfc(translate("APPOINTMENT SLIP", lang)), 14),
        Paragraph(Style.SERVICE, nfc(printout.service_name), 14),
        Paragraph(Style.CENTER, nfc(slip_day(printout)), 14),
        Paragraph(
            Style.CENTER,
            nfc(translate("Time: {time}", lang).format(time=slip_time(printout))),
            6,
        ),
        Paragraph(Style.HEADING, nfc(translate("Appointment code", lang)), 18),
        Paragraph(Style.NUMBER, nfc(printout.code_shown), 10),
    ]
    if printout.bring.strip():
        label = translate("Please bring: {documents}", lang)
        items.append(Paragraph(Style.BODY, nfc(label.format(documents=nfc(printout.bring))), 18))
    arrive = translate("Come 10 minutes early and enter the code at the kiosk.", lang)
    items.append(Paragraph(Style.CENTER, nfc(arrive), 16))
    if printout.slip_url:
        items.append(Paragraph(Style.QR, printout.slip_url.strip(), 18))
        items.append(Paragraph(Style.SMALL, nfc(translate("Scan to see your slip", lang)), 6))
    return items

"""The words of the outreach schedule: the screens' line and the staff calendar feed.

The line ("Lưu động sắp tới: thứ Bảy 13/12 tại Nhà văn hóa tổ dân phố 5, 08:00–11:30")
names the next session only. The feed is iCalendar (RFC 5545) written here: CRLF line
ends, lines folded at 75 octets without splitting a UTF-8 character, text escaped
(backslash, semicolon, comma, newline), local times with the center's TZID.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from queue_server.core.outreach_queries import SessionView
from queue_server.i18n import N_, _

WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
FOLD_OCTETS = 75


def weekday_name(day: date) -> str:
    return _(WEEKDAYS[day.weekday()])


def session_when(view: SessionView) -> str:
    """ "thứ Bảy 13/12/2026, 08:00–11:30"."""
    return _("{weekday} {date}, {hours}").format(
        weekday=weekday_name(view.day), date=f"{view.day:%d/%m/%Y}", hours=view.hours
    )


def next_session_line(view: SessionView) -> str:
    """The screens' line for the next session (the caller picks one not past)."""
    return _("Next outreach session: {weekday} {date} at {place}, {hours}").format(
        weekday=weekday_name(view.day),
        date=f"{view.day:%d/%m}",
        place=view.place,
        hours=view.hours,
    )


def escape_text(value: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (CRLF + a space), never inside a character."""
    parts: list[str] = []
    current, size = "", 0
    limit = FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, FOLD_OCTETS - 1  # the leading space counts
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _local(day: date, clock: object) -> str:
    return f"{day:%Y%m%d}T{clock:%H%M%S}"


def calendar(
    sessions: Sequence[SessionView],
    *,
    center: str,
    zone: ZoneInfo,
    host: str,
    now: datetime,
) -> str:
    """The feed: one VEVENT per session (cancelled ones as STATUS:CANCELLED)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//xephang//outreach//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(_('Outreach sessions') + ' – ' + center)}",
        f"X-WR-TIMEZONE:{zone.key}",
        *_timezone(zone),
    ]
    for view in sessions:
        lines += _event(view, center=center, zone=zone, host=host, now=now)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _timezone(zone: ZoneInfo) -> list[str]:
    """A VTIMEZONE for a zone with a fixed offset today (Asia/Ho_Chi_Minh: +07:00)."""
    offset = datetime(2000, 1, 1, tzinfo=zone).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    text = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    return [
        "BEGIN:VTIMEZONE",
        f"TZID:{zone.key}",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{text}",
        f"TZOFFSETTO:{text}",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def _event(
    view: SessionView, *, center: str, zone: ZoneInfo, host: str, now: datetime
) -> list[str]:
    services = ", ".join(view.service_names) or _("All services")
    staff = ", ".join(person["name"] for person in view.staff)
    details = [_("Services: {services}").format(services=services)]
    if staff:
        details.append(_("Staff: {staff}").format(staff=staff))
    if view.notes:
        details.append(view.notes)
    summary = _("Outreach session: {place}").format(place=view.place)
    return [
        "BEGIN:VEVENT",
        f"UID:outreach-{view.id}@{host}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART;TZID={zone.key}:{_local(view.day, view.starts)}",
        f"DTEND;TZID={zone.key}:{_local(view.day, view.ends)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(view.place)}",
        f"DESCRIPTION:{escape_text(chr(10).join(details))}",
        "STATUS:CANCELLED" if view.status == "cancelled" else "STATUS:CONFIRMED",
        "END:VEVENT",
    ]

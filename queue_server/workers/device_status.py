"""The status of a worker's devices, as ``/readyz`` shows them under ``devices``.

``printer:<kiosk>`` per printer it drives and ``led:<bus>`` per LED bus. The same
shapes are stored for the other server processes (``core/devicereports.py``).
"""

from __future__ import annotations

from typing import Any

from xephang.devices.led import BoardSet
from xephang.devices.printer import PrintSpooler
from xephang.i18n import N_, translate

FAULTS = frozenset({"paper_out", "cover_open", "offline"})
NOT_CHECKED = N_("Not checked yet")


def printer_status(spooler: PrintSpooler, language: str | None = None) -> dict[str, Any]:
    """A printer's last known state: ``ok`` false for a known fault (paper out, cover
    open, offline), true when it works or is not known yet."""
    status = spooler.status()
    printer = status.printer
    state = printer.state.value if printer is not None else "unknown"
    return {
        "ok": state not in FAULTS,
        "state": state,
        "message": (printer.message(language) if printer else translate(NOT_CHECKED, language))[
            :200
        ],
        "pending": status.pending,
        "awaiting_recovery": status.awaiting_recovery,
        "paper_near_end": state == "paper_near_end",
    }


def board_reports(boards: BoardSet | None) -> dict[str, dict[str, Any]]:
    """Per bus: ``ok`` when every board answers, the counters of those that do not."""
    reports: dict[str, dict[str, Any]] = {}
    if boards is None:
        return reports
    for name, bus in boards.buses.items():
        statuses = bus.statuses()
        reports[f"led:{name}"] = {
            "ok": all(s.online for s in statuses),
            "offline": sorted(s.counter for s in statuses if not s.online and s.counter),
            "counters": sorted(s.counter for s in statuses if s.counter),
        }
    return reports

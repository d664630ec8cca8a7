"""The "next outreach session" line of the hall display, the kiosk and the tracking page.

Pages get the next few planned sessions not yet over (``outreach`` in their page data,
each with its local day, end time and line in the center's language); ``outreach.js``
shows the first one not past by the center's clock, so a screen left on overnight never
shows yesterday's session. An ``outreach_changed`` event redraws the pages.
"""

from __future__ import annotations

from typing import Any

from queue_server.core.outreach import OutreachSchedule
from queue_server.core.outreach_text import next_session_line
from queue_server.i18n import use_language
from queue_server.web.state import xephang

SHOWN = 3  # the next sessions a page holds (the first not past is shown)


def outreach_lines() -> list[dict[str, Any]]:
    """The next sessions as the screens show them: day, end and the line."""
    state = xephang()
    with use_language(state.settings.center.language):
        return [
            {
                "id": view.id,
                "day": view.day.isoformat(),
                "ends": f"{view.ends:%H:%M}",
                "text": next_session_line(view),
            }
            for view in OutreachSchedule(state.queue).upcoming(SHOWN)
        ]

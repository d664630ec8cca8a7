"""Run the real app (Werkzeug + simple-websocket, threading mode) for the screen tests.

``python server_main.py DATA_DIR [PORT]`` prints ``PORT <n>`` once it listens, then serves
until killed. Settings are the demo's with ``data_dir`` replaced; the kiosk times out after 5 s.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

from werkzeug.serving import make_server

from queue_server.core.rating_config import RatingsConfig
from queue_server.runtime import start_app
from queue_server.settings import load_settings
from queue_server.web.state import runtime_of
from xephang.display.config import ScreensConfig

DEMO_CONFIG = Path(__file__).resolve().parents[2] / "config" / "demo.toml"


def main() -> None:
    data_dir = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    settings = load_settings(DEMO_CONFIG).model_copy(update={"data_dir": data_dir})
    ratings = json.loads(os.environ.get("XEPHANG_TEST_RATINGS", "{}"))  # e.g. {"timeout_s": 3}
    if ratings:
        settings = settings.model_copy(update={"ratings": RatingsConfig(**ratings)})
    center = json.loads(os.environ.get("XEPHANG_TEST_CENTER", "{}"))  # {"second_language": …}
    if center:
        settings = settings.model_copy(update={"center": settings.center.model_copy(update=center)})
    site = os.environ.get("XEPHANG_TEST_SITE")  # an outreach site's code, e.g. "L12"
    if site:
        numbering = settings.numbering.model_copy(update={"site": site})
        settings = settings.model_copy(update={"numbering": numbering})
    # No daily maintenance: tests write past days into the database while this server
    # runs (tests/screens/test_reports_page.py), and its start-up run would close-day them.
    app = start_app(settings, maintenance=False)
    # Quicker screens for the tests (the kiosk returns to its start sooner); more options
    # as JSON in $XEPHANG_TEST_SCREENS, e.g. {"display_open": true}.
    options = {"kiosk_timeout_s": 5, "highlight_s": 3}
    options |= json.loads(os.environ.get("XEPHANG_TEST_SCREENS", "{}"))
    runtime_of(app).screens = ScreensConfig.model_validate(options)
    server = make_server("127.0.0.1", port, app, threaded=True)
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

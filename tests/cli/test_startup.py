"""The command line and the configuration start without the web and hardware stacks.

Each check runs in a fresh interpreter and looks at ``sys.modules``: ``xephang --help``
and loading a configuration must not pay for drivers, the web server or the database
(docs/benchmarks.md: start-up).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

HARDWARE = {"escpos", "PIL", "qrcode", "serial", "pymodbus", "usb"}
WEB = {"flask", "flask_socketio", "socketio", "engineio", "werkzeug", "gevent", "gunicorn"}
DATABASE = {"sqlalchemy", "alembic", "psycopg"}
OTHER_HEAVY = {"argon2", "requests", "redis", "openpyxl", "yaml"}


def loaded_after(code: str, cwd: Path = REPO) -> set[str]:
    """Top-level packages in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=True,
    )
    names = json.loads(result.stdout.strip().splitlines()[-1])
    return {name.split(".")[0] for name in names} | {
        name for name in names if name.startswith("queue_server.web")
    }


@pytest.mark.parametrize(
    "module",
    ["queue_server.settings", "queue_server.cli", "xephang.devices.printer", "xephang.devices.led"],
)
def test_importing_loads_no_driver_web_or_database(module: str) -> None:
    forbidden = HARDWARE | WEB | DATABASE | OTHER_HEAVY | {"queue_server.web"}
    assert loaded_after(f"import {module}") & forbidden == set()


def test_help_runs_without_driver_web_or_database() -> None:
    code = (
        "from click.testing import CliRunner\n"
        "from queue_server.cli import main\n"
        "result = CliRunner().invoke(main, ['--help'], env={'XEPHANG_LANG': 'vi'})\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'Tùy chọn' in result.output and 'status' in result.output, result.output\n"
    )
    forbidden = HARDWARE | WEB | DATABASE | OTHER_HEAVY | {"queue_server.web"}
    assert loaded_after(code) & forbidden == set()


def test_status_loads_the_database_but_no_driver_or_web(tmp_path: Path) -> None:
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = text.replace('data_dir = "../var/demo"', f'data_dir = "{tmp_path / "data"}"')
    config = tmp_path / "center.toml"
    config.write_text(text, encoding="utf-8")
    code = (
        "from click.testing import CliRunner\n"
        "from queue_server.cli import main\n"
        f"args = ['status', '--config', {str(config)!r}]\n"
        "result = CliRunner().invoke(main, args, env={'XEPHANG_LANG': 'en'})\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'Waiting' in result.output, result.output\n"
    )
    loaded = loaded_after(code)
    assert "sqlalchemy" in loaded  # it did read the queue
    assert loaded & (HARDWARE | WEB | {"queue_server.web"}) == set()


def test_devices_and_display_do_not_import_the_server() -> None:
    """The drivers and screens sit below the server: gettext comes from ``xephang.i18n``.

    The one exception left is the wait rule of the printed ticket
    (``queue_server.core.wait_words``, a pure function shared with the kiosk).
    """
    code = (
        "import importlib, json, pkgutil, sys\n"
        "from xephang import devices, display\n"
        "for package in (devices, display):\n"
        "    for info in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "print(json.dumps(sorted(n for n in sys.modules if n.startswith('queue_server'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    imported = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert imported <= {"queue_server", "queue_server.core", "queue_server.core.wait_words"}
    assert "queue_server.i18n" not in imported

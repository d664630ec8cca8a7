"""The domain stays free of the web and hardware layers."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("flask", "flask_socketio", "escpos", "serial", "PIL", "devices", "pymodbus")


def test_core_imports_neither_flask_nor_hardware() -> None:
    code = (
        "import sys, pkgutil, importlib, queue_server.core as core\n"
        "for m in pkgutil.iter_modules(core.__path__):\n"
        "    importlib.import_module(f'queue_server.core.{m.name}')\n"
        f"print(sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"

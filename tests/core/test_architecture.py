"""The domain stays free of the web and hardware layers, in small modules of one job."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import queue_server.core

FORBIDDEN = ("flask", "flask_socketio", "escpos", "serial", "PIL", "devices", "pymodbus")

CORE = Path(queue_server.core.__file__).parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60  # from the ``def`` line to the last line of the body
# Modules ("name.py") and functions ("name.py:Class.method") allowed past the limits
# because they are mostly literal data (a table, a list of messages), with the reason.
# An entry that is no longer needed fails the test: remove it.
LITERAL_DATA: dict[str, str] = {}


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


def function_lengths(source: str) -> dict[str, int]:
    """Lines of every function and method in ``source``, by qualified name."""
    lengths: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    lengths[name] = (child.end_lineno or child.lineno) - child.lineno + 1
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return lengths


def sizes() -> dict[str, int]:
    """Lines of every module of the core ("name.py") and of every function in it."""
    found: dict[str, int] = {}
    for path in sorted(CORE.rglob("*.py")):
        name = path.relative_to(CORE).as_posix()
        source = path.read_text(encoding="utf-8")
        found[name] = len(source.splitlines())
        for function, lines in function_lengths(source).items():
            found[f"{name}:{function}"] = lines
    return found


def limit(name: str) -> int:
    return MAX_FUNCTION_LINES if ":" in name else MAX_MODULE_LINES


def test_core_modules_and_functions_are_short() -> None:
    too_long = {
        name: lines
        for name, lines in sizes().items()
        if lines > limit(name) and name not in LITERAL_DATA
    }
    assert too_long == {}, (
        f"split these (modules ≤ {MAX_MODULE_LINES} lines, functions ≤ "
        f"{MAX_FUNCTION_LINES}), or list literal data in LITERAL_DATA with the reason"
    )


def test_literal_data_allowances_are_explained_and_still_needed() -> None:
    found = sizes()
    for name, reason in LITERAL_DATA.items():
        assert reason.strip(), f"{name}: say why it may be long"
        assert found.get(name, 0) > limit(name), f"{name} is short now: remove its entry"


def test_function_lengths_count_from_def_to_the_last_line() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(61))
    source = f"class A:\n    @staticmethod\n    def long():\n{body.replace('    ', '        ')}\n"
    source += "\n\ndef outer():\n    def inner():\n        pass\n    return inner\n"
    assert function_lengths(source) == {"A.long": 62, "outer": 4, "outer.inner": 2}

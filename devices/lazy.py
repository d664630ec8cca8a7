"""Package facades that import a driver module only when one of its names is used.

``xephang.devices.printer`` and ``xephang.devices.led`` re-export their drivers for
convenience, but the server's configuration imports only their ``config`` modules:
importing the package must not load Pillow, qrcode, python-escpos or pyserial. A package
lists its exports as imports under ``if TYPE_CHECKING:`` (what type checkers and readers
see) and sets ``__getattr__ = lazy_exports(__name__)``: on first access (PEP 562) the name
is imported from the module that block names, and kept on the package.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Callable
from functools import cache
from importlib.util import resolve_name
from pathlib import Path
from typing import Any


def lazy_exports(package: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` serving its ``TYPE_CHECKING`` imports."""

    def __getattr__(name: str) -> Any:
        source = exported_names(package).get(name)
        if source is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(source), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__


@cache
def exported_names(package: str) -> dict[str, str]:
    """Name → defining module, read from the ``if TYPE_CHECKING:`` block of ``package``."""
    path = sys.modules[package].__file__
    assert path is not None
    sources: dict[str, str] = {}
    for node in ast.parse(Path(path).read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom):
                    relative = "." * statement.level + (statement.module or "")
                    module = resolve_name(relative, package)
                    for alias in statement.names:
                        sources[alias.asname or alias.name] = module
    return sources

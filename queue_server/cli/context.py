"""Shared CLI plumbing: loading the config, opening the queue, reporting errors."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

import xephang
from queue_server.core.errors import QueueError
from queue_server.i18n import _, set_language
from queue_server.settings import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy.exc import InterfaceError, OperationalError

F = TypeVar("F", bound=Callable[..., Any])

# config/demo.toml, through the package's xephang/config link (installed with the package).
DEMO_CONFIG = (Path(xephang.__file__).resolve().parent / "config" / "demo.toml").resolve()


def config_option(function: F) -> F:
    """The ``--config FILE`` option every command accepts."""
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="XEPHANG_CONFIG",
        default=None,
        help="Configuration file (TOML). Default: $XEPHANG_CONFIG, else config/demo.toml.",
    )(function)


def load(config_path: Path | None) -> Settings:
    """Load the settings or exit with a readable message."""
    path = config_path or DEMO_CONFIG
    try:
        settings = load_settings(path)
    except ConfigError as exc:
        fail(str(exc), code=2)
    set_language(os.environ.get("XEPHANG_LANG") or settings.center.language)
    return settings


def fail(message: str, *, code: int = 1) -> None:
    """Print ``message`` to stderr and exit with ``code``."""
    click.secho(f"{_('Error')}: {message}", fg="red", err=True)
    sys.exit(code)


@contextlib.contextmanager
def friendly_errors() -> Iterator[None]:
    """Turn domain and configuration errors into a message and a non-zero exit."""
    try:
        yield
    except QueueError as exc:
        fail(exc.message)
    except ConfigError as exc:
        fail(str(exc), code=2)
    except _database_errors() as exc:  # evaluated only when an exception got this far
        fail(database_problem(exc))
    except OSError as exc:  # a data directory or file that cannot be made or read
        fail(str(exc))


def _database_errors() -> tuple[type[OperationalError], type[InterfaceError]]:
    """SQLAlchemy's errors for a database that cannot be used (imported when needed, so
    that commands which open no database do not load SQLAlchemy)."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    return OperationalError, InterfaceError


def database_problem(exc: OperationalError | InterfaceError) -> str:
    """One line for a database that cannot be reached or opened (no traceback)."""
    reason = str(exc.orig or exc).strip().splitlines()
    return _("Cannot use the database: {reason}").format(reason=reason[0] if reason else "?")


def handles_errors(function: F) -> F:
    """Decorator form of :func:`friendly_errors`."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with friendly_errors():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]

"""xephang queue server.

The package root stays free of Flask imports so that ``queue_server.core`` can be
used (and tested) without the web layer.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(*args: Any, **kwargs: Any) -> Any:
    """Build the Flask application on a runtime (see :mod:`queue_server.web.app`)."""
    from queue_server.web.app import create_app as _create_app

    return _create_app(*args, **kwargs)

"""Gettext for the server: the shared catalogues of :mod:`xephang.i18n`, re-exported.

Usage::

    from queue_server.i18n import _, use_language
    _("Ticket number")            # translated into the current language
    with use_language("en"): ...  # temporarily switch
"""

from __future__ import annotations

from xephang.i18n import (
    DEFAULT_LANGUAGE,
    LOCALE_DIR,
    N_,
    _,
    available_languages,
    catalogue,
    current_language,
    gettext,
    set_language,
    translate,
    use_language,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LOCALE_DIR",
    "N_",
    "_",
    "available_languages",
    "catalogue",
    "current_language",
    "gettext",
    "set_language",
    "translate",
    "use_language",
]

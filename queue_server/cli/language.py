"""The command line speaks the center's language: its help and click's own words.

- Help texts (docstrings and ``help=``) are English message ids, translated when the
  command runs (:func:`translate_help`), from ``locale/<lang>/cli.po``.
- click writes "Usage:", "Error:", "Invalid value for …" through the standard
  :mod:`gettext` (domain ``messages``); :func:`install_click_messages` compiles
  ``queue_server/cli/locale/<lang>.po`` to a ``.mo`` file in a cache folder (no compiled
  file in the repository), binds the domain to it and sets ``LANGUAGE``.

The language is ``$XEPHANG_LANG``, else the center's (``center.language`` of the
configuration the command uses), else Vietnamese.
"""

from __future__ import annotations

import gettext
import hashlib
import inspect
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import click
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from queue_server.i18n import DEFAULT_LANGUAGE, set_language, translate

CLICK_CATALOGUES = Path(__file__).with_name("locale")
CLICK_DOMAIN = "messages"  # click calls gettext.gettext, the default domain


def cli_language(argv: Sequence[str], demo_config: Path) -> str:
    """``$XEPHANG_LANG``, else the language of the configuration the command reads."""
    chosen = os.environ.get("XEPHANG_LANG")
    if chosen:
        return chosen
    path = _config_argument(argv) or os.environ.get("XEPHANG_CONFIG") or str(demo_config)
    try:
        from queue_server.settings import load_settings

        return load_settings(Path(path)).center.language
    except Exception:  # a broken file is reported by the command itself
        return DEFAULT_LANGUAGE


def _config_argument(argv: Sequence[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--config" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--config="):
            return arg.partition("=")[2]
    return None


def install_click_messages(language: str) -> bool:
    """Have click speak ``language``; False when there is no catalogue for it."""
    source = CLICK_CATALOGUES / f"{language}.po"
    if not source.is_file():
        os.environ["LANGUAGE"] = "en"  # click's own English, whatever the shell says
        return False
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    base = Path(tempfile.gettempdir()) / f"xephang-click-{os.getuid()}-{digest}"
    target = base / language / "LC_MESSAGES" / f"{CLICK_DOMAIN}.mo"
    if not target.is_file():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as handle:
                catalogue = read_po(handle, locale=language)
            partial = target.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as out:
                write_mo(out, catalogue)
            partial.replace(target)
        except OSError:
            return False
    gettext.bindtextdomain(CLICK_DOMAIN, str(base))
    os.environ["LANGUAGE"] = language
    return True


def _translated(owner: object, attribute: str, language: str) -> None:
    """Set ``owner.attribute`` to the translation of its English text (kept aside)."""
    originals = owner.__dict__.setdefault("_xephang_english", {})
    if attribute not in originals:
        originals[attribute] = getattr(owner, attribute, None)
    english = originals[attribute]
    if english:
        setattr(owner, attribute, translate(inspect.cleandoc(english), language))


def translate_help(command: click.Command, language: str) -> None:
    """Translate the help of ``command``, its options and every subcommand, in place."""
    _translated(command, "help", language)
    _translated(command, "short_help", language)
    for param in command.params:
        if isinstance(param, click.Option):
            _translated(param, "help", language)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            translate_help(sub, language)


def speak(command: click.Command, argv: Sequence[str], demo_config: Path) -> str:
    """Set the command line's language for this process; returns it."""
    language = cli_language(argv, demo_config)
    set_language(language)
    install_click_messages(language)
    translate_help(command, language)
    return language

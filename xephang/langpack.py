"""Language packs: a language a center adds without code (docs/languages.md).

A pack is a folder named after the language code holding

- ``language.toml``: ``code``, ``name`` (the language's own name, shown on the kiosk's
  language button), ``name_vi`` (how the staff call it), ``direction`` (``ltr``/``rtl``),
  ``fallback`` (the language shown for texts not translated yet, ``vi`` by default),
  ``status`` (``example``, ``draft`` or ``checked``), ``note``, and an optional
  ``[voice]`` table (``template`` with ``{number}`` and ``{counter}``, ``numbers``: the
  language whose rules and clips read the codes, ``vi`` by default);
- ``messages.po``: the public screens' texts (kiosk, display, ticket, rating tablet),
  translated from the template ``queue_server/languages/messages.pot``;
- ``voice/`` (optional): a voice pack (``manifest.json`` and WAV clips) of the
  template's phrases, so the call can be repeated in the language.

Packs are looked up in the center's folder (``<data_dir>/languages``, set when the
settings are read), the folders in ``$XEPHANG_LANGUAGES`` and the shipped
``queue_server/languages``, in that order: a center's own pack of a code wins.

This module sits beside :mod:`xephang.i18n` (which merges the packs' catalogues) and
imports neither the server nor the devices.
"""

from __future__ import annotations

import os
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Literal

from babel.messages.pofile import read_po
from pydantic import BaseModel, ConfigDict, Field, ValidationError

PACK_FILE = "language.toml"
MESSAGES_FILE = "messages.po"
VOICE_DIR = "voice"
ENV_DIRS = "XEPHANG_LANGUAGES"
CODE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"


def _shipped_dir() -> Path:
    """``queue_server/languages``, found without importing ``queue_server``."""
    spec = find_spec("queue_server")
    assert spec is not None and spec.submodule_search_locations is not None
    return Path(next(iter(spec.submodule_search_locations))) / "languages"


SHIPPED_DIR = _shipped_dir()
TEMPLATE = SHIPPED_DIR / "messages.pot"


class LanguagePackError(ValueError):
    """A pack cannot be read; the message names the file and the problem."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackVoice(_Model):
    """``[voice]`` of ``language.toml``: what the call says in the pack's language."""

    template: str = Field(min_length=1, max_length=300)
    numbers: str = "vi"


class PackInfo(_Model):
    """``language.toml``."""

    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=60)
    name_vi: str = Field("", max_length=60)
    direction: Literal["ltr", "rtl"] = "ltr"
    fallback: str = "vi"
    status: Literal["example", "draft", "checked"] = "draft"
    note: str = Field("", max_length=1000)
    voice: PackVoice | None = None


@dataclass(frozen=True)
class LanguagePack:
    """A pack found on disk."""

    folder: Path
    info: PackInfo

    @property
    def code(self) -> str:
        return self.info.code

    @property
    def messages_file(self) -> Path:
        return self.folder / MESSAGES_FILE

    @property
    def voice_dir(self) -> Path | None:
        """The pack's voice clips, if it has any (a folder with ``manifest.json``)."""
        folder = self.folder / VOICE_DIR
        return folder if (folder / "manifest.json").is_file() else None

    @property
    def shipped(self) -> bool:
        return self.folder.parent == SHIPPED_DIR

    def messages(self) -> dict[str, str]:
        """Translated, non-fuzzy messages of ``messages.po`` (NFC)."""
        return read_messages(self.messages_file)


def read_messages(po_file: Path) -> dict[str, str]:
    """msgid → msgstr of the translated, non-fuzzy entries of ``po_file`` (NFC)."""
    if not po_file.is_file():
        return {}
    try:
        with po_file.open("rb") as handle:
            entries = list(read_po(handle, locale=None))
    except Exception as exc:  # babel raises several kinds on a broken file
        raise LanguagePackError(f"{po_file}: {exc}") from None
    messages: dict[str, str] = {}
    for entry in entries:
        if entry.id and entry.string and not entry.fuzzy:
            key = entry.id if isinstance(entry.id, str) else entry.id[0]
            text = entry.string if isinstance(entry.string, str) else entry.string[0]
            messages[key] = unicodedata.normalize("NFC", text)
    return messages


def read_pack(folder: Path) -> LanguagePack:
    """The pack in ``folder``; :class:`LanguagePackError` says what is wrong."""
    path = folder / PACK_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LanguagePackError(f"{path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LanguagePackError(f"{path}: not valid TOML ({exc})") from None
    try:
        info = PackInfo.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise LanguagePackError(f"{path}: {where}: {first['msg']}") from None
    if info.code != folder.name:
        raise LanguagePackError(f"{path}: code {info.code!r} differs from the folder's name")
    return LanguagePack(folder, info)


_center_dir: Path | None = None


def set_center_dir(folder: Path | None) -> None:
    """Use ``folder`` (``<data_dir>/languages``) for the center's own packs."""
    global _center_dir
    folder = folder.resolve() if folder is not None else None
    if folder == _center_dir:
        return
    before = _packs_or_none()
    _center_dir = folder
    after = _packs_or_none()
    if after is None or after != before:  # read the catalogues again only if packs differ
        forget()


def _packs_or_none() -> dict[str, LanguagePack] | None:
    try:
        return packs()
    except LanguagePackError:
        return None


def search_dirs() -> list[Path]:
    """Folders searched for packs, first match wins."""
    return _search_dirs(_center_dir)


def _search_dirs(center_dir: Path | None) -> list[Path]:
    extra = [Path(p) for p in os.environ.get(ENV_DIRS, "").split(os.pathsep) if p]
    return ([center_dir] if center_dir else []) + extra + [SHIPPED_DIR]


@cache
def _packs(dirs: tuple[Path, ...]) -> dict[str, LanguagePack]:
    found: dict[str, LanguagePack] = {}
    for base in dirs:
        if not base.is_dir():
            continue
        for folder in sorted(base.iterdir()):
            if (folder / PACK_FILE).is_file() and folder.name not in found:
                found[folder.name] = read_pack(folder)
    return found


def packs() -> dict[str, LanguagePack]:
    """Every pack found, by code."""
    return _packs(tuple(search_dirs()))


def packs_with_center_dir(folder: Path | None) -> dict[str, LanguagePack]:
    """The packs :func:`packs` would find with ``folder`` as the center's folder; the
    folder in use (:func:`set_center_dir`) is left as it is."""
    return _packs(tuple(_search_dirs(folder.resolve() if folder is not None else None)))


def find_pack(code: str | None) -> LanguagePack | None:
    """The pack of ``code``, or ``None``."""
    return packs().get(code) if code else None


def forget() -> None:
    """Read the packs and catalogues again on next use (after a pack changed)."""
    _packs.cache_clear()
    from xephang import i18n  # here: i18n imports this module

    i18n.catalogue.cache_clear()
    i18n.forget_fallbacks()


def language_name(code: str, names: dict[str, str] | None = None) -> str:
    """The language's own name: the pack's, else ``names[code]``, else the code."""
    pack = find_pack(code)
    if pack is not None:
        return pack.info.name
    return (names or {}).get(code, code)


def language_direction(code: str) -> str:
    """``rtl`` for a pack written right to left, else ``ltr``."""
    pack = find_pack(code)
    return pack.info.direction if pack is not None else "ltr"

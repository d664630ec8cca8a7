"""Language packs shipped with xephang (one folder per language) and the tools that
make, update and check them (``xephang language …``, docs/languages.md).

The folders here hold data only (``language.toml``, ``messages.po``, ``voice/``); the
loader is :mod:`xephang.langpack`. ``messages.pot`` is the template of every text the
public screens and the ticket show, made from :func:`public_messages`.
"""

from __future__ import annotations

import io
import string
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from xephang.display.public_texts import public_messages
from xephang.i18n import catalogue
from xephang.langpack import (
    MESSAGES_FILE,
    PACK_FILE,
    TEMPLATE,
    LanguagePack,
    LanguagePackError,
    find_pack,
    forget,
    read_pack,
)

# A fixed date keeps the template byte-identical when nothing changed.
TEMPLATE_DATE = datetime(2026, 12, 1, tzinfo=UTC)
PROJECT = "xephang public texts"


def _catalog(code: str | None, *, fill_with_ids: bool = False) -> Catalog:
    catalog = Catalog(
        locale=None,
        project=PROJECT,
        creation_date=TEMPLATE_DATE,
        revision_date=TEMPLATE_DATE,
        fuzzy=False,
        copyright_holder="the xephang contributors",
        msgid_bugs_address="",
    )
    catalog.language_team = code or ""
    for message, where in public_messages().items():
        catalog.add(message, message if fill_with_ids else "", auto_comments=where)
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_previous=False)
    return buffer.getvalue()


def template_bytes() -> bytes:
    """``messages.pot``: every public text, with where it shows as a comment."""
    return _po_bytes(_catalog(None))


def write_template(path: Path = TEMPLATE) -> Path:
    path.write_bytes(template_bytes())
    return path


def new_pack(folder: Path, code: str, name: str, *, name_vi: str = "") -> LanguagePack:
    """A new pack in ``folder/code``: ``language.toml`` and an empty ``messages.po``.

    English (``en``) gets its message ids as translations: they are English already.
    """
    target = folder / code
    if (target / PACK_FILE).exists():
        raise LanguagePackError(f"{target / PACK_FILE}: a pack is there already")
    target.mkdir(parents=True, exist_ok=True)
    lines = [
        f'code = "{code}"',
        f"name = {_toml_string(name)}",
        f"name_vi = {_toml_string(name_vi)}",
        'direction = "ltr"',
        'fallback = "vi"',
        'status = "draft"',
        'note = ""',
        "",
        "# Optional: repeat the call in this language (clips in voice/, docs/languages.md).",
        "# [voice]",
        '# template = "… {number} … {counter}"',
        '# numbers = "vi"',
        "",
    ]
    (target / PACK_FILE).write_text("\n".join(lines), encoding="utf-8")
    (target / MESSAGES_FILE).write_bytes(_po_bytes(_catalog(code, fill_with_ids=code == "en")))
    forget()
    return read_pack(target)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def update_pack(pack: LanguagePack) -> tuple[int, int]:
    """Bring ``messages.po`` in line with the template: new texts added (empty; English
    ones filled with their ids), texts no longer used marked obsolete, translations kept.
    Returns (added, obsolete)."""
    with pack.messages_file.open("rb") as handle:
        catalog = read_po(handle, locale=None)
    before = {m.id for m in catalog if m.id}
    wanted = public_messages()
    template = _catalog(pack.code)
    catalog.update(template, no_fuzzy_matching=True)
    if pack.code == "en":  # the message ids are English: new ones are translated already
        for message in catalog:
            if message.id and not message.string:
                message.string = message.id
    added = len(set(wanted) - before)
    obsolete = len(catalog.obsolete)
    pack.messages_file.write_bytes(_po_bytes(catalog))
    forget()
    return added, obsolete


@dataclass
class Report:
    """What ``xephang language check`` found for one language."""

    code: str
    total: int
    missing: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def translated(self) -> int:
        return self.total - len(self.missing)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.problems


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def check_language(code: str) -> Report:
    """Public texts ``code`` does not translate, and translations that lose a
    placeholder (``{count}``) or are not NFC."""
    messages = public_messages()
    translated = catalogue(code)
    report = Report(code, len(messages))
    for message, where in messages.items():
        text = translated.get(message)
        if text is None:
            report.missing[message] = where
        elif text is not None and _fields(text) != _fields(message):
            report.problems.append(f"{message!r}: the translation must keep {_fields(message)}")
    pack = find_pack(code)
    if pack is not None and pack.messages_file.is_file():
        raw = pack.messages_file.read_text(encoding="utf-8")
        if not unicodedata.is_normalized("NFC", raw):
            report.problems.append(f"{pack.messages_file}: not NFC (save it as NFC)")
    return report

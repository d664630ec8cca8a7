"""Every user-visible message has a Vietnamese translation, NFC-normalised."""

from __future__ import annotations

import string
import unicodedata
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from queue_server.i18n import LOCALE_DIR, _, catalogue, translate, use_language

REPO = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "gettext": None}


def used_messages() -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in ("queue_server", "devices", "display"):
        for filename, line, message, _comments, _context in extract_from_dir(
            REPO / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            text = message[0] if isinstance(message, tuple) else message
            if text:
                found.setdefault(text, f"{folder}/{filename}:{line}")
    return found


def test_every_message_has_a_vietnamese_translation() -> None:
    vietnamese = catalogue("vi")
    missing = {m: where for m, where in used_messages().items() if m not in vietnamese}
    assert missing == {}


def test_translations_are_nfc_and_keep_placeholders() -> None:
    for po_file in sorted((LOCALE_DIR / "vi").glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle):
                if not message.id or not message.string:
                    continue
                assert isinstance(message.string, str), "no plural forms in these catalogues"
                assert unicodedata.is_normalized("NFC", message.string), (po_file, message.id)
                expected = _placeholders(str(message.id))
                assert _placeholders(message.string) == expected, (po_file.name, message.id)


def _placeholders(text: str) -> set[tuple[str, str | None, str | None]]:
    return {
        (name, conversion, spec)
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    }


def test_language_switch() -> None:
    assert translate("Unknown counter: {number}", "vi") == "Không có quầy: {number}"
    assert translate("Unknown counter: {number}", "en") == "Unknown counter: {number}"
    with use_language("en"):
        assert _("waiting") == "waiting"
    assert _("waiting") == "đang chờ"

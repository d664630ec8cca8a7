"""Status sentences and their Vietnamese translations."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from queue_server.i18n import translate, use_language
from xephang.devices.led import BoardStatus

PO_FILE = Path(__file__).parents[3] / "queue_server" / "locale" / "vi" / "led.po"


def _status(**changes: object) -> BoardStatus:
    fields: dict[str, object] = {
        "bus": "hall",
        "address": 1,
        "counter": 1,
        "online": False,
        "showing": None,
        "pending": False,
        "error": None,
    }
    fields.update(changes)
    return BoardStatus(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "english", "vietnamese"),
    [
        ({}, "Connecting…", "Đang kết nối…"),
        ({"online": True}, "Online, blank", "Đang hoạt động, không hiển thị số"),
        (
            {"online": True, "showing": "A023"},
            "Online, showing A023",
            "Đang hoạt động, hiển thị số A023",
        ),
        (
            {"error": "[Errno 5] Input/output error"},
            "Offline: [Errno 5] Input/output error",
            "Mất kết nối: [Errno 5] Input/output error",
        ),
        (
            {"error": "No reply from the board"},
            "Offline: No reply from the board",
            "Mất kết nối: Bảng không phản hồi",
        ),
    ],
)
def test_describe(changes: dict[str, object], english: str, vietnamese: str) -> None:
    with use_language("en"):
        assert _status(**changes).describe() == english
    with use_language("vi"):
        assert _status(**changes).describe() == vietnamese


def test_every_message_has_an_nfc_vietnamese_translation() -> None:
    with PO_FILE.open("rb") as handle:
        catalogue = read_po(handle)
    ids = [message.id for message in catalogue if message.id]
    assert len(ids) >= 9
    for message_id in ids:
        assert isinstance(message_id, str)
        text = translate(message_id, "vi")
        assert text != message_id
        assert unicodedata.is_normalized("NFC", text)
        assert message_id.count("{") == text.count("{")  # placeholders kept

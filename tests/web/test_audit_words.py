"""Issue 13.12: the audit log names people and fields in words, not stored ids."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask

from queue_server.core.contacts import purge_contacts
from queue_server.i18n import use_language
from queue_server.web.admin.audit_page import describe
from queue_server.web.admin.audit_words import actor_in_words

from .conftest import sign_in


def test_actors_in_words() -> None:
    with use_language("vi"):
        assert actor_in_words("system:maintenance") == "Hệ thống (bảo trì hằng ngày)"
        assert actor_in_words("system") == "Hệ thống"
        assert actor_in_words("user:quantri") == "quantri"
        assert actor_in_words("token:Ki-ốt cửa") == 'Mã truy cập "Ki-ốt cửa"'
        assert actor_in_words("cli") == "Dòng lệnh trên máy chủ"


def test_fields_and_values_in_words() -> None:
    detail = {
        "changed": {"HT": {"default_service_s": [420, 480], "active": [True, False]}},
    }
    with use_language("vi"):
        lines = describe("services", detail)
        dropped = describe(
            "services",
            {"reason": "file_changed", "saved_at": "2026-11-23T02:00:00+00:00", "by": "user:an"},
        )
    assert lines == [
        "HT: Thời gian phục vụ dự kiến (giây): 420 → 480",
        "HT: Hoạt động: có → không",
    ]
    assert dropped == [
        "Lý do: tệp cấu hình đã được sửa sau đó",
        "Lưu lúc: 23/11/2026 02:00",
        "Người lưu: an",
    ]


def test_the_audit_page_says_who_in_words(sqlite_app: Flask) -> None:
    queue = sqlite_app.extensions["xephang"].queue
    purge_contacts(queue.db, datetime(2026, 11, 23, tzinfo=UTC), 30, actor="system:maintenance")
    client, _headers = sign_in(sqlite_app, "admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Hệ thống (bảo trì hằng ngày)" in page
    assert "system:maintenance" not in page

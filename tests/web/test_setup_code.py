"""Issue 20 part 2: the first-start page answers nobody without the one-time code."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from queue_server.wizard.steps import Wizard
from queue_server.wizard.web import MAX_WRONG_CODES, SetupCode, create_setup_app


def _csrf(client: FlaskClient) -> str:
    page = client.get("/setup").get_data(as_text=True)
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_without_the_code_no_question_is_shown_or_answered(tmp_path: Path) -> None:
    printed: list[str] = []
    code = SetupCode(printed.append)
    wizard = Wizard(data_dir="data")
    app = create_setup_app(wizard, tmp_path / "center.toml", code, replace=False)
    client = app.test_client()
    csrf = _csrf(client)
    sent = client.post("/setup", data={"csrf": csrf, "center.name": "Kẻ lạ"})
    assert 'action="/setup/code"' in sent.get_data(as_text=True)
    assert wizard.answers == {}
    assert client.post("/setup/finish", data={"csrf": csrf}).status_code == 403
    assert not (tmp_path / "center.toml").exists()
    wrong = client.post("/setup/code", data={"csrf": csrf, "code": "0" * 9})
    assert wrong.status_code == 403
    assert "Đây không phải mã cài đặt." in wrong.get_data(as_text=True)
    forged = client.post("/setup/code", data={"csrf": "x", "code": printed[-1]})
    assert forged.status_code == 400
    right = client.post("/setup/code", data={"csrf": csrf, "code": printed[-1]})
    assert right.status_code == 302
    asked = client.post("/setup", data={"csrf": csrf, "center.name": ""})
    assert asked.status_code == 422
    assert "Câu này cần có câu trả lời." in asked.get_data(as_text=True)
    client.post("/setup", data={"csrf": csrf, "center.name": "Trung tâm phường Đông Hòa"})
    assert wizard.answers["center.name"] == "Trung tâm phường Đông Hòa"


def test_too_many_wrong_codes_make_a_new_one(tmp_path: Path) -> None:
    printed: list[str] = []
    code = SetupCode(printed.append)
    app = create_setup_app(Wizard(data_dir="data"), tmp_path / "c.toml", code, replace=False)
    client = app.test_client()
    csrf = _csrf(client)
    first = printed[-1]
    for _attempt in range(MAX_WRONG_CODES):
        client.post("/setup/code", data={"csrf": csrf, "code": "x"})
    assert len(printed) == 2 and printed[-1] != first
    assert client.post("/setup/code", data={"csrf": csrf, "code": first}).status_code == 403
    assert client.post("/setup/code", data={"csrf": csrf, "code": printed[-1]}).status_code == 302


def test_a_new_code_keeps_the_technician_admitted(tmp_path: Path) -> None:
    printed: list[str] = []
    code = SetupCode(printed.append)
    wizard = Wizard(data_dir="data")
    app = create_setup_app(wizard, tmp_path / "c.toml", code, replace=False)
    technician, stranger = app.test_client(), app.test_client()
    mine, theirs = _csrf(technician), _csrf(stranger)
    technician.post("/setup/code", data={"csrf": mine, "code": printed[-1]})
    for _attempt in range(MAX_WRONG_CODES):
        stranger.post("/setup/code", data={"csrf": theirs, "code": "x"})
    assert len(printed) == 2
    technician.post("/setup", data={"csrf": mine, "center.name": "Trung tâm phường Mỹ An"})
    assert wizard.answers["center.name"] == "Trung tâm phường Mỹ An"

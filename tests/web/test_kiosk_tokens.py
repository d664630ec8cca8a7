"""A kiosk token's name picks the printer of its tickets: a name that matches no
configured kiosk is refused (or, when asked for, accepted with a warning)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from queue_server.auth.tokens import list_tokens
from queue_server.cli.main import main
from queue_server.core.db import Database
from queue_server.core.operations import Queue

from .conftest import CSRF_FIELD, sign_in

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo.toml"
WILL_NOT_PRINT = "Số thứ tự cấp bằng mã này sẽ không được in."


@pytest.fixture
def config(tmp_path: Path) -> Path:
    text = DEMO.read_text(encoding="utf-8")  # its one kiosk, kiosk-1, has a printer
    text = re.sub(r"^data_dir = .*$", f'data_dir = "{tmp_path / "data"}"', text, flags=re.M)
    path = tmp_path / "center.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _create(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["token", "create", "--role", "kiosk", *args, "--config", str(config)]
    )
    return result.exit_code, result.stdout, result.stderr


def test_the_cli_refuses_a_kiosk_token_named_after_no_kiosk(config: Path, tmp_path: Path) -> None:
    code, out, err = _create(config, "--name", "cua-chinh")
    assert code == 1 and "xp_" not in out
    assert "cua-chinh" in err and "kiosk-1" in err and "không bao giờ được in" in err
    assert list_tokens(Database(f"sqlite:///{tmp_path / 'data' / 'xephang.db'}")) == []

    code, out, err = _create(config, "--name", "kiosk-1")
    assert code == 0 and out.startswith("xp_") and WILL_NOT_PRINT not in err

    code, out, err = _create(config, "--name", "cua-chinh", "--without-printer")
    assert code == 0 and out.startswith("xp_") and WILL_NOT_PRINT in err


def _post_token(app: Flask, form: dict[str, str]) -> tuple[int, str]:
    admin, _headers = sign_in(app, "admin")
    csrf = CSRF_FIELD.search(admin.get("/admin/tokens").get_data(as_text=True))
    assert csrf is not None
    response = admin.post(
        "/admin/tokens",
        data={"csrf_token": csrf.group(1), **form},
        headers={"Accept-Language": "vi"},
    )
    return response.status_code, response.get_data(as_text=True)


def test_the_tokens_page_refuses_a_kiosk_named_after_no_kiosk(app: Flask, queue: Queue) -> None:
    status, html = _post_token(app, {"role": "kiosk", "name": "Cửa chính"})
    assert status == 400 and 'role="alert">Không có máy lấy số nào tên Cửa chính' in html
    assert "new-token" not in html and list_tokens(queue.db) == []
    assert '<option value="kiosk-1">' in html  # the names to choose from

    status, html = _post_token(app, {"role": "kiosk", "name": "kiosk-1"})
    assert status == 201 and "new-token" in html and WILL_NOT_PRINT not in html

    form = {"role": "kiosk", "name": "Cửa chính", "without_printer": "on"}
    status, html = _post_token(app, form)
    assert status == 201 and "new-token" in html and WILL_NOT_PRINT in html
    assert [t.name for t in list_tokens(queue.db)] == ["kiosk-1", "Cửa chính"]

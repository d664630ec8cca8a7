"""Issue 20 part 2: ``xephang setup`` answered on standard input, checked by ``xephang check``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner

from queue_server.auth.tokens import principal_for_token
from queue_server.auth.users import authenticate
from queue_server.cli.main import main
from queue_server.core.bootstrap import open_queue
from queue_server.core.errors import InvalidState
from queue_server.settings import load_settings
from queue_server.wizard import unconfigured
from queue_server.wizard.devices import found_answers
from queue_server.wizard.finish import apply, write_config
from queue_server.wizard.questions import Invalid
from queue_server.wizard.steps import Wizard

ADMIN_PASSWORD = "mat-khau-2026"

# One answer a line, as the technician types them; wrong answers are followed by the
# right one (each is asked again).
ANSWERS = [
    "Trung tâm Phục vụ hành chính công phường An Khánh",  # name
    "",  # ward: the default guessed from the name
    "Asia/Hanoi",  # an unknown time zone…
    "",  # …then the default
    "192.168.1.10",  # not an address…
    "http://192.168.1.10:5000",
    "HT, CT, NKQ, XD",  # three from the template and a new one
    "Xây dựng",
    "12",  # not a prefix…
    "B",  # …taken by HT…
    "X",
    "ba",  # not a number…
    "0",  # …too few…
    "2",
    "",  # counter 1's name (from the template? its services are gone: "Quầy 1")
    "NKQ, XD",
    "Quầy 2 – Hộ tịch, Chứng thực",
    "HT, CT, ZZ",  # an unknown service…
    "HT, CT",
    "elderly, vip",  # an unknown category…
    "elderly, disabled",
    "",  # admin user name: quantri
    "",  # admin full name
    "ngan",  # too short (asked twice: typed, then again)
    "ngan",
    ADMIN_PASSWORD,
    ADMIN_PASSWORD,
    "quantri",  # taken by the admin…
    "lan",
    "Nguyễn Thị Lan",
    "",  # password made up (asked twice)
    "",
    "-",  # no officer at counter 2
    "printer",  # not a kind…
    "virtual",
    "",  # 576 dots
    "virtual",  # LED boards on the virtual line
    "",  # modbus
    "",  # counter 1 at address 1
    "1",  # taken…
    "2",
    "c",  # write it
]


def _xephang(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XEPHANG_LANG": "vi"}
    env.pop("XEPHANG_CONFIG", None)
    command = [sys.executable, "-m", "queue_server.cli", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture(scope="module")
def set_up(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("center")
    path = folder / "center.toml"
    result = _xephang("setup", "--config", str(path), "--no-scan", stdin="\n".join(ANSWERS) + "\n")
    return path, result


def test_setup_answers_on_stdin_make_a_center_that_check_accepts(
    set_up: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    path, result = set_up
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    check = _xephang("check", "--config", str(path))
    assert check.returncode == 0, check.stderr
    assert "hợp lệ" in check.stdout
    settings = load_settings(path)
    assert settings.center.name == "Trung tâm Phục vụ hành chính công phường An Khánh"
    assert settings.center.ward == "Ủy ban nhân dân phường An Khánh"
    assert settings.data_dir == str(path.parent / "data")
    assert [(s.code, s.prefix) for s in settings.services] == [
        ("HT", "B"), ("CT", "C"), ("NKQ", "N"), ("XD", "X"),
    ]  # fmt: skip
    assert settings.services[3].name == "Xây dựng"
    assert [(c.number, c.name, c.services) for c in settings.counters] == [
        (1, "Quầy 1", ["NKQ", "XD"]),
        (2, "Quầy 2 – Hộ tịch, Chứng thực", ["HT", "CT"]),
    ]
    assert [p.code for p in settings.priorities] == ["elderly", "disabled"]
    assert settings.kiosks[0].printer is not None and settings.kiosks[0].printer.kind == "virtual"
    assert [(b.counter, b.address) for b in settings.led.boards] == [(1, 1), (2, 2)]


def test_every_wrong_answer_is_asked_again_in_vietnamese(
    set_up: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    output = set_up[1].stdout
    for message in (
        "Không chấp nhận: không có múi giờ Asia/Hanoi.",
        "Hãy nhập một địa chỉ như http://192.168.1.10:5000.",
        "Không chấp nhận: chữ đầu số phiếu là một hoặc hai chữ in hoa (không phải 12).",
        "Không chấp nhận: B đã được dùng cho mục khác.",
        "Hãy nhập một số nguyên, ví dụ 6.",
        "Hãy nhập một số từ 1 đến 99.",
        "Không chấp nhận: không có lĩnh vực ZZ (các lĩnh vực: CT, HT, NKQ, XD).",
        "Không có nhóm vip",
        "Mật khẩu cần ít nhất 8 ký tự.",
        "Tên đăng nhập quantri đã được dùng.",
        "Hãy chọn một trong: none, usb, serial, network, file, virtual.",
        "Không chấp nhận: địa chỉ 1 đã được dùng cho bảng LED khác.",
    ):
        assert message in output, message


def test_accounts_and_screen_links_work(
    set_up: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    path, result = set_up
    queue = open_queue(load_settings(path))
    assert authenticate(queue.db, "quantri", ADMIN_PASSWORD) is not None
    made_up = next(line for line in result.stdout.splitlines() if "Mật khẩu của lan:" in line)
    password = made_up.split(": ", 1)[1].split(" (")[0]
    principal = authenticate(queue.db, "lan", password)
    assert principal is not None and principal.role == "officer"
    links = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if "token=" in line]
    assert len(links) == 4  # display, kiosk, two rating tablets
    roles = []
    for link in links:
        secret = parse_qs(urlparse(link).query)["token"][0]
        found = principal_for_token(queue.db, secret, queue.clock.now())
        assert found is not None
        roles.append((found.role.value, found.counter))
    assert roles == [("display", None), ("kiosk", None), ("rating", 1), ("rating", 2)]
    assert "█" in result.stdout  # the QR codes, drawn in the terminal
    queue.db.dispose()


def test_an_existing_center_is_kept_unless_confirmed(
    set_up: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    path = set_up[0]
    before = path.read_bytes()
    args = ["setup", "--config", str(path), "--no-scan"]
    refused = CliRunner().invoke(main, args, input="k\n", env={"XEPHANG_LANG": "vi"})
    assert refused.exit_code == 1
    assert "Chưa ghi gì." in refused.output
    assert path.read_bytes() == before


def test_the_file_is_written_whole_and_never_over_another(tmp_path: Path) -> None:
    path = tmp_path / "center.toml"
    path.write_text("# xephang: not configured yet\n", encoding="utf-8")
    assert unconfigured(path) and unconfigured(tmp_path / "missing.toml")
    with pytest.raises(InvalidState):
        write_config(path, 'data_dir = "x"\n', replace=False)
    write_config(path, 'data_dir = "x"\n', replace=True)
    assert path.read_text(encoding="utf-8") == 'data_dir = "x"\n'
    assert not unconfigured(path)
    assert [p.name for p in tmp_path.iterdir()] == ["center.toml"]  # no partial file left


def test_a_scan_suggests_the_answers() -> None:
    found = found_answers(
        {
            "usb_printers": [
                {"vendor_id": 0x0416, "product_id": 0x5011, "vendor": "Winbond",
                 "product": "POS58", "dot_width": 384}
            ],
            "lp_devices": [],
            "serial_ports": [{"path": "/dev/serial/by-id/usb-FTDI-if00-port0"}],
        }
    )  # fmt: skip
    wizard = Wizard(data_dir="data", found=found)
    assert found["printer.usb"] == "0416:5011"
    batch = _walk(
        wizard, {"center.name": "Trung tâm", "admin.password": ADMIN_PASSWORD}, "printer.kind"
    )
    assert batch is not None
    assert batch[1][0].default == "usb"
    wizard.accept(batch[1][0], "")
    usb = wizard.next_batch()
    assert usb is not None and usb[1][0].default == "0416:5011"
    with pytest.raises(Invalid):
        wizard.accept(usb[1][0], "0416")


def _walk(wizard: Wizard, typed: dict[str, str], until: str = "") -> tuple[Any, list[Any]] | None:
    """Answer each question (``typed``, else its default) until the question ``until``."""
    batch = wizard.next_batch()
    while batch is not None and batch[1][0].key != until:
        question = batch[1][0]
        wizard.accept(question, typed.get(question.key, ""))
        batch = wizard.next_batch()
    return batch


def test_a_second_setup_keeps_the_accounts_it_finds(tmp_path: Path) -> None:
    path = tmp_path / "center.toml"
    typed = {"center.name": "Trung tâm", "counters": "1", "admin.password": ADMIN_PASSWORD}
    first = Wizard(data_dir="data")
    _walk(first, typed)
    made = apply(first, path, replace=False)
    assert made.kept == [] and [user for user, _password in made.made_up] == ["canbo1"]
    second = Wizard(data_dir="data")
    _walk(second, {**typed, "admin.password": "mot-mat-khau-khac"})
    with pytest.raises(InvalidState):
        apply(second, path, replace=False)
    again = apply(second, path, replace=True)
    assert again.kept == ["quantri", "canbo1"] and again.made_up == []
    queue = open_queue(load_settings(path))
    assert authenticate(queue.db, "quantri", ADMIN_PASSWORD) is not None  # not changed
    queue.db.dispose()


def test_db_upgrade_on_the_placeholder_waits_for_the_setup(tmp_path: Path) -> None:
    """The unit's ExecStartPre runs ``xephang db upgrade`` before the first start."""
    path = tmp_path / "center.toml"
    path.write_text("# the package's placeholder: no center yet\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["db", "upgrade", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert "xephang setup" in result.output
    assert not (tmp_path / "data").exists()  # no database made

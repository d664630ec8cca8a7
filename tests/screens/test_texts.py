"""Static checks: every text key used by a page exists and is translated; nothing
is fetched from outside the LAN; the display unit is valid for systemd."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from queue_server.i18n import catalogue
from xephang.display.texts import COMMON, PAGES, texts

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "display" / "templates" / "screens"
SCRIPTS = REPO / "display" / "static" / "js"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_key_a_page_uses_exists(page: str) -> None:
    known = set(COMMON) | set(PAGES[page])
    template = (TEMPLATES / f"{page}.html").read_text() + (TEMPLATES / "base.html").read_text()
    for included in re.findall(r'{% include "screens/(\w+\.html)" %}', template):
        template += (TEMPLATES / included).read_text()
    used = set(re.findall(r"\bt2?\.(\w+)", template))
    used |= set(re.findall(r'data-t="(\w+)"', template))
    prefixes: set[str] = set()
    for script in re.findall(r"filename='js/([\w-]+\.js)'", template):
        code = (SCRIPTS / script).read_text()
        used |= set(re.findall(r'\bt\("(\w+)"(?!\s*\+)', code))
        prefixes |= set(re.findall(r'\bt\("(\w+_)"\s*\+', code))
    assert used - known == set()
    for prefix in prefixes:  # keys built at run time, e.g. "role_" + the role
        assert any(key.startswith(prefix) for key in known), prefix
    assert {"title", "offline"} <= used


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_text_is_vietnamese_by_default(page: str) -> None:
    vietnamese = catalogue("vi")
    messages = {**COMMON, **PAGES[page]}
    assert [m for m in messages.values() if m not in vietnamese] == []
    for text in texts(page, "vi").values():
        assert unicodedata.is_normalized("NFC", text)
    assert texts(page, "en")["offline"] == "Connection lost"
    assert texts(page, "vi")["offline"] == "Mất kết nối"


def test_pages_fetch_nothing_from_outside() -> None:
    own = [*TEMPLATES.glob("*.html"), *SCRIPTS.glob("*.js"), *REPO.glob("display/static/css/*")]
    assert own
    for path in own:
        text = path.read_text()
        assert not re.search(r"https?://|//cdn|@import", text), path.name


def test_display_unit_is_valid_for_systemd() -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    unit = REPO / "systemd" / "xephang-display.service"
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    # systemd-analyze exits 0 even on a misspelt key: any output is a failure.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    text = unit.read_text()
    assert "--kiosk" in text and "--autoplay-policy=no-user-gesture-required" in text
    assert "/display?token=${XEPHANG_DISPLAY_TOKEN}" in text

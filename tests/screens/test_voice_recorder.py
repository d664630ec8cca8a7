"""Record a clip through Chromium's fake microphone on the admin page, publish the pack,
and hear the clip in the call the hall display plays."""

from __future__ import annotations

import math
import re
import wave
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from queue_server.settings import Settings
from xephang.devices.audio.pack import PACKS_DIR
from xephang.devices.audio.wavio import read_wav, samples

from .conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LiveServer,
    assert_accessible,
    screenshot,
    sign_in,
    start_server,
)
from .test_display import open_display

TONE_HZ = 440


def write_fake_microphone(path: Path, rate: int = 48000) -> None:
    """What the fake microphone hears, looped: a 440 Hz tone for 0.6 s, then 0.4 s quiet."""
    tone = [
        round(12000 * math.sin(2 * math.pi * TONE_HZ * i / rate)) for i in range(rate * 6 // 10)
    ]
    frames = b"".join(
        v.to_bytes(2, "little", signed=True) for v in [*tone, *[0] * (rate * 4 // 10)]
    )
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(frames)


def dominant_hz(path: Path) -> float:
    """Zero crossings in the loudest tenth of a second of a clip, as a frequency."""
    audio = read_wav(path)
    data = samples(audio.frames)
    size = audio.sample_rate // 10
    start = max(
        range(0, len(data) - size, size // 4), key=lambda i: sum(map(abs, data[i : i + size]))
    )
    part = data[start : start + size]
    crossings = sum(1 for a, b in pairwise(part) if (a < 0) != (b < 0))
    return crossings / 2 / (size / audio.sample_rate)


@pytest.fixture(scope="module")
def recorder_server(
    demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    live = start_server(demo_settings, tmp_path_factory.mktemp("voice") / "data")
    yield live
    live.close()


@pytest.fixture(scope="module")
def microphone_browser(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Browser]:
    """Chromium with a fake microphone that plays our tone, and no permission prompt
    (launched by the shared fixture's Playwright: one per process)."""
    sound = tmp_path_factory.mktemp("microphone") / "tone.wav"
    write_fake_microphone(sound)
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-audio-capture={sound}",
    ]
    own = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    yield own
    own.close()


@pytest.fixture(scope="module")
def admin_page(microphone_browser: Browser, recorder_server: LiveServer) -> Iterator[Page]:
    """One signed-in admin for the module; each test starts on the drafts page."""
    context = microphone_browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="vi-VN"
    )
    page = context.new_page()
    sign_in(page, recorder_server, recorder_server.user("voice-admin", "admin"), "/admin/voice")
    yield page
    context.close()


@pytest.fixture
def drafts_page(admin_page: Page, recorder_server: LiveServer) -> Page:
    admin_page.goto(f"{recorder_server.url}/admin/voice")
    return admin_page


def start_draft(page: Page, name: str, start: str) -> None:
    page.fill("#draft-name", name)
    page.check(f"input[name=start][value={start}]")
    page.click("#create-draft")
    page.wait_for_url(re.compile(f"/admin/voice/{name}$"))
    expect(page.locator("tr.v-clip").first).to_be_visible()


def test_an_incomplete_pack_is_not_used(drafts_page: Page, recorder_server: LiveServer) -> None:
    expect(drafts_page.locator("#active-pack")).to_have_text("vi-espeak")
    start_draft(drafts_page, "vi-chua-xong", "empty")
    expect(drafts_page.locator('tr.v-clip[data-text="hai"] .v-source')).to_have_text("còn thiếu")
    assert_accessible(drafts_page)
    drafts_page.click("#publish")
    expect(drafts_page.locator("#publish-result .error")).to_have_text(
        "Gói giọng đọc chưa đủ; chưa có gì thay đổi."
    )
    expect(drafts_page.locator(".v-problems li").first).to_contain_text("thiếu đoạn ghi âm")
    drafts_page.goto(f"{recorder_server.url}/admin/voice")
    expect(drafts_page.locator("#active-pack")).to_have_text("vi-espeak")


def test_a_clip_from_the_microphone_is_heard_on_the_display(
    drafts_page: Page, recorder_server: LiveServer, microphone_browser: Browser
) -> None:
    start_draft(drafts_page, "vi-phuong", "copy")
    row = drafts_page.locator('tr.v-clip[data-text="hai"]')
    expect(row.locator(".v-source")).to_have_text("chép từ gói đang dùng")
    row.locator(".v-record").click()
    drafts_page.wait_for_function(
        """() => Number(document.querySelector('tr.v-clip[data-text="hai"] .v-seconds')
                    .textContent) >= 1.2"""
    )
    row.locator(".v-stop").click()
    expect(drafts_page.locator("#voice-status")).to_contain_text("Đã lưu: hai", timeout=10_000)
    expect(row.locator(".v-source")).to_have_text("ghi âm tại đây")
    expect(row.locator(".v-play")).to_be_enabled()
    drawn = drafts_page.evaluate(
        """() => {
            const canvas = document.querySelector('tr.v-clip[data-text="hai"] canvas');
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
            return pixels.data.filter((v, i) => i % 4 === 3 && v > 0).length;
        }"""
    )
    assert drawn > 200  # the waveform is drawn
    screenshot(drafts_page, "admin-voice")

    drafts_page.fill("#sample-number", "B002")
    drafts_page.fill("#sample-counter", "2")
    drafts_page.click("#play-sample")
    expect(drafts_page.locator("#sample-note")).to_have_text(
        "Mọi từ của lời gọi này đã được ghi âm."
    )

    drafts_page.click("#publish")
    expect(drafts_page.locator("#publish-result .ok")).to_have_text(
        "Từ bây giờ trung tâm gọi số bằng gói giọng đọc vi-phuong."
    )
    packs = sorted((recorder_server.data_dir / "voice" / "packs").glob("vi-phuong-*"))
    assert len(packs) == 1
    clip = packs[0] / "hai.wav"
    assert abs(dominant_hz(clip) - TONE_HZ) < 40  # it is the microphone's tone ...
    assert read_wav(clip).frames != read_wav(PACKS_DIR / "vi-espeak" / "hai.wav").frames

    # ... and the hall display says it when counter 2 calls.
    page = microphone_browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    open_display(page, recorder_server, recorder_server.token("display"))
    page.evaluate("window.XP.audioRate = 8")  # keep the test short; same code path
    kiosk, officer = recorder_server.token("kiosk"), recorder_server.token("officer", counter=2)
    issued = recorder_server.api("POST", "/api/v1/tickets", kiosk, {"service": "HT"}).json()
    number = issued["number"]
    called = recorder_server.api("POST", "/api/v1/counters/2/next", officer)
    assert called.status_code == 200, called.text
    page.wait_for_function(
        f"window.XP.audioLog.some((e) => e.number === '{number}' && e.event === 'end')",
        timeout=30_000,
    )
    call = requests.get(f"{recorder_server.url}/audio/call/{number}/2.wav", timeout=10).content
    assert read_wav(clip).frames in call  # "… đến quầy số hai" in the recorded voice

"""The called number on the hall display: readable in every frame, and the line under it
names that number, whatever the voice is still saying."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from queue_server.settings import Settings

from .conftest import SIZES, LiveServer, start_server
from .test_display import open_display

SAMPLE_FRAMES = """() => {
  window.samples = [];
  const box = document.getElementById("latest");
  const ids = ["latest-number", "latest-label", "latest-counter"];
  const parts = ids.map((id) => document.getElementById(id));
  function frame() {
    const background = getComputedStyle(box).backgroundColor;
    for (const part of parts) {
      window.samples.push([part.id, getComputedStyle(part).color, background, box.className]);
    }
    if (window.samples.length < 60000) requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
}"""


def luminance(css: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"[\d.]+", css)[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_highlight_keeps_the_number_readable_in_every_frame(
    page: Page, server: LiveServer
) -> None:
    open_display(page, server, server.token("display"))
    page.evaluate(SAMPLE_FRAMES)
    kiosk, officer = server.token("kiosk"), server.token("officer", counter=2)
    server.api("POST", "/api/v1/tickets", kiosk, {"service": "HT"})
    assert server.api("POST", "/api/v1/counters/2/next", officer, {}).status_code == 200
    latest = page.locator("#latest")
    expect(latest).to_have_class(re.compile(r"\bfresh\b"))
    expect(latest).not_to_have_class(re.compile(r"\bfresh\b"), timeout=10_000)  # highlight_s 3
    ended = page.evaluate("window.samples.length")
    page.wait_for_function(f"window.samples.length > {ended} + 3 * 30")  # 30 frames after
    samples = page.evaluate("window.samples")
    highlighted = [s for s in samples if "fresh" in s[3]]
    assert highlighted and len(highlighted) < len(samples)  # both states were sampled
    worst = min(samples, key=lambda s: contrast(s[1], s[2]))
    assert contrast(worst[1], worst[2]) >= 4.5, worst


def test_the_line_under_the_number_names_the_number_shown(page: Page, server: LiveServer) -> None:
    open_display(page, server, server.token("display"))
    kiosk = server.token("kiosk")
    server.api("POST", "/api/v1/tickets", kiosk, {"service": "HT"})
    server.api("POST", "/api/v1/tickets", kiosk, {"service": "CT"})
    first = server.api("POST", "/api/v1/counters/2/next", server.token("officer", counter=2), {})
    second = server.api("POST", "/api/v1/counters/3/next", server.token("officer", counter=3), {})
    first_number = first.json()["ticket"]["number"]
    second_number = second.json()["ticket"]["number"]
    expect(page.locator("#latest-number")).to_have_text(second_number)
    # The voice speaks the first call (several seconds) while the second one is shown.
    page.wait_for_function(
        "n => window.XP.audioLog.some((e) => e.number === n && e.event === 'start')",
        arg=first_number,
        timeout=15_000,
    )
    line = page.locator("#announce-text")
    expect(line).to_contain_text(second_number, timeout=2000)
    expect(line).to_contain_text("quầy số 3")
    still_speaking_first = page.evaluate(
        "n => !window.XP.audioLog.some((e) => e.number === n && e.event === 'end')", first_number
    )
    assert still_speaking_first  # the check above ran while the voice lagged behind
    assert first_number not in line.inner_text()


BOXES = """() => {
  const box = (node) => { const r = node.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const last = (selector) => box(Array.from(document.querySelectorAll(selector)).pop());
  return {
    waiting: box(document.querySelector(".d-waiting")), lastWaiting: last("#waiting li"),
    board: box(document.querySelector(".d-board")), lastBoard: last("#board li"),
    notice: box(document.getElementById("notice-box")),
    offline: box(document.getElementById("offline")), clock: box(document.getElementById("clock")),
    date: box(document.getElementById("date")), name: box(document.querySelector(".d-center")),
  };
}"""


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def test_a_recall_and_a_paused_counter_leave_room_above_the_notice(
    browser: Browser, demo_settings: Settings, tmp_path: Path
) -> None:
    """Every waiting row and counter stays inside its part, clear of the notice ticker;
    "Mất kết nối" covers neither the clock nor the centre's name."""
    server = start_server(demo_settings, tmp_path / "data")
    try:
        kiosk = server.token("kiosk")
        for service in ("HT", "CT", "DD", "HD", "BTXH", "NCC", "CTR", "HT"):
            server.api("POST", "/api/v1/tickets", kiosk, {"service": service})
        assert server.api("POST", "/api/v1/counters/2/next", server.token("officer", 2)).ok
        assert server.api("POST", "/api/v1/counters/2/recall", server.token("officer", 2)).ok
        assert server.api("POST", "/api/v1/counters/4/pause", server.token("officer", 4)).ok
        token = server.token("display")
        for name, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            open_display(page, server, token)
            expect(page.locator("#latest-recall")).to_be_visible()
            expect(page.locator('#board [data-counter="4"]')).to_contain_text("Tạm dừng")
            page.evaluate("window.XP.sockets[0].disconnect()")
            expect(page.locator("#offline")).to_be_visible()
            boxes = page.evaluate(BOXES)
            margin = 0.015 * height - 0.5  # the main part's padding, 1.5vh
            for part, row in (("waiting", "lastWaiting"), ("board", "lastBoard")):
                assert boxes[row]["bottom"] <= boxes[part]["bottom"] + 0.5, (name, part, boxes)
                assert boxes[row]["bottom"] <= boxes["notice"]["top"] - margin, (name, part)
            for covered in ("clock", "date", "name"):
                assert not overlap(boxes["offline"], boxes[covered]), (name, covered, boxes)
            context.close()
    finally:
        server.close()

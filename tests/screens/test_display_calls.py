"""The called number on the hall display: readable in every frame, and the line under it
names that number, whatever the voice is still saying."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import LiveServer  # type: ignore[import-not-found]
from .test_display import open_display  # type: ignore[import-not-found]

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
    page.wait_for_function("window.samples.length > 3 * 30")  # frames after the highlight
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

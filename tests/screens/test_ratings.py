"""The counter's rating tablet and the public tracking page, in Chromium, on a live server.

The officer works through the real API as a signed-in user; the tablet gets the question
over Socket.IO; ratings are read back from the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlalchemy import select

from queue_server.core.models import Rating, User
from queue_server.settings import Settings

from .conftest import (
    PASSWORD,
    LiveServer,
    assert_accessible,
    screenshot,
    sign_in,
    start_server,
)

TABLET: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
QUESTION = "Quý vị có hài lòng với sự phục vụ không?"


@pytest.fixture(scope="module")
def server(
    demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """Short timeouts so that the tests see the tablet give up and the page refresh."""
    live = start_server(
        demo_settings,
        tmp_path_factory.mktemp("ratings") / "data",
        ratings={"timeout_s": 3, "thanks_s": 2, "track_refresh_s": 2},
    )
    yield live
    live.close()


class Officer:
    """A signed-in officer at a counter, driving the real API with cookies and CSRF."""

    def __init__(self, server: LiveServer, username: str, counter: int) -> None:
        self.server = server
        self.http = requests.Session()
        server.user(username, "officer")
        form = self.http.get(f"{server.url}/login", timeout=10).text
        match = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert match is not None
        signed = self.http.post(
            f"{server.url}/login",
            data={"username": username, "password": PASSWORD, "csrf_token": match.group(1)},
            allow_redirects=False,
            timeout=10,
        )
        assert signed.status_code == 303
        csrf = self.http.get(f"{server.url}/api/v1/session", timeout=10).json()["csrf_token"]
        self.http.headers["X-CSRF-Token"] = csrf
        self.post("/api/v1/session/counter", {"counter": counter})
        self.counter = counter

    def post(self, path: str, body: Any = None) -> Any:
        response = self.http.post(f"{self.server.url}{path}", json=body or {}, timeout=10)
        assert response.ok, response.text
        return response.json() if response.status_code != 204 else None

    def serve(self, kiosk: str) -> dict[str, Any]:
        """A citizen takes a number; the officer calls and finishes it."""
        ticket = self.server.api("POST", "/api/v1/tickets", kiosk, {"service": "HT"}).json()
        called = self.post(f"/api/v1/counters/{self.counter}/call", {"ticket_id": ticket["id"]})
        assert called["ticket"]["number"] == ticket["number"]
        self.post(f"/api/v1/counters/{self.counter}/finish")
        return ticket


THANKS = "Cảm ơn quý vị đã đánh giá!"
ALREADY = "Phiếu này đã được đánh giá. Xin cảm ơn quý vị."


def expect_thanks(page: Page, text: str = THANKS, timeout: float = 5000) -> None:
    """The thanks is on screen (its words are in the page, hidden, from the start)."""
    expect(page.locator("#rating-thanks")).to_be_visible(timeout=timeout)
    expect(page.locator("#thanks-text")).to_have_text(text)


def ratings_of(server: LiveServer) -> list[Any]:
    with server.queue.db.read() as conn:
        return list(conn.execute(select(Rating).order_by(Rating.id)))


def open_tablet(browser: Browser, server: LiveServer, viewport: ViewportSize) -> Page:
    """Counter 2's tablet, opened once with its token as an installer would."""
    page = browser.new_context(viewport=viewport, locale="vi-VN").new_page()
    page.goto(f"{server.url}/rate/2?token={server.token('rating', 2)}")
    return page


def test_the_citizen_rates_at_the_counter_after_the_officer_finishes(
    browser: Browser, server: LiveServer
) -> None:
    officer = Officer(server, "lan", 2)
    kiosk = server.token("kiosk")
    page = open_tablet(browser, server, TABLET)
    expect(page.locator("body")).to_have_attribute("data-step", "idle")
    expect(page.locator("#step-idle h1")).to_have_text("Cảm ơn quý vị đã đến")
    expect(page.locator("#step-idle")).to_contain_text(server.settings.center.name)
    assert page.url.endswith("/rate/2")  # the token went to local storage
    assert_accessible(page)
    screenshot(page, "rate-idle")

    ticket = officer.serve(kiosk)
    expect(page.locator("#step-rating")).to_be_visible(timeout=1000)
    expect(page.locator("#rating-question")).to_contain_text(QUESTION)
    expect(page.locator("#rating-ticket")).to_have_text(f"Phiếu {ticket['number']}")
    for score, words in ((3, "Rất hài lòng"), (2, "Hài lòng"), (1, "Chưa hài lòng")):
        button = page.locator(f"[data-score='{score}']")
        expect(button).to_contain_text(words)
        box = button.bounding_box()
        assert box is not None and box["height"] >= 120 and box["width"] >= 120
    sizes = page.eval_on_selector_all(
        "#step-rating :is(h2, .r-label, .r-label2, .r-note)",
        "nodes => nodes.map(n => parseFloat(getComputedStyle(n).fontSize))",
    )
    assert min(sizes) >= 32
    assert_accessible(page)
    screenshot(page, "rate-question")

    page.click("[data-score='1']")
    expect(page.locator("#rating-reasons")).to_be_visible()
    chip = page.locator("[data-reason='long_wait']")
    expect(chip).to_contain_text("Chờ lâu")
    chip.click()
    expect(chip).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)
    screenshot(page, "rate-reasons")
    page.click("#rating-send")
    expect_thanks(page)
    screenshot(page, "rate-thanks")

    (rating,) = ratings_of(server)
    with server.queue.db.read() as conn:
        lan = conn.execute(select(User.id).where(User.username == "lan")).scalar_one()
    assert (rating.ticket_id, rating.score, rating.reasons) == (ticket["id"], 1, ["long_wait"])
    assert rating.counter_id == server.queue.catalogue.counters[2].id
    assert (rating.officer_id, rating.channel) == (lan, "counter")
    # Back to idle by itself after the thanks.
    expect(page.locator("body")).to_have_attribute("data-step", "idle", timeout=5000)


def test_the_question_times_out_and_a_chosen_not_satisfied_is_kept(
    browser: Browser, server: LiveServer
) -> None:
    officer = Officer(server, "minh", 2)
    kiosk = server.token("kiosk")
    page = open_tablet(browser, server, TABLET)
    expect(page.locator("body")).to_have_attribute("data-step", "idle")
    before = len(ratings_of(server))

    officer.serve(kiosk)
    expect(page.locator("#step-rating")).to_be_visible(timeout=1000)
    expect(page.locator("body")).to_have_attribute("data-step", "idle", timeout=6000)
    assert len(ratings_of(server)) == before  # nobody touched it: nothing stored

    ticket = officer.serve(kiosk)
    expect(page.locator("#rating-ticket")).to_have_text(f"Phiếu {ticket['number']}")
    page.click("[data-score='1']")
    page.click("[data-reason='attitude']")
    # Walked away without "Gửi": the answer given is sent, then back to idle.
    expect_thanks(page, timeout=6000)
    expect(page.locator("body")).to_have_attribute("data-step", "idle", timeout=6000)
    last = ratings_of(server)[-1]
    assert (last.ticket_id, last.score, last.reasons) == (ticket["id"], 1, ["attitude"])


def test_a_tablet_opened_late_still_asks_and_a_phone_size_fits(
    browser: Browser, server: LiveServer
) -> None:
    officer = Officer(server, "hoa", 2)
    ticket = officer.serve(server.token("kiosk"))
    page = open_tablet(browser, server, PHONE)
    # The fresh state on connect says which ticket awaits a rating.
    expect(page.locator("#rating-ticket")).to_have_text(f"Phiếu {ticket['number']}")
    assert_accessible(page)
    screenshot(page, "rate-question")
    page.click("[data-score='3']")
    expect_thanks(page)
    assert ratings_of(server)[-1].score == 3

    wrong = browser.new_page()
    wrong.goto(f"{server.url}/rate/2?token=xp_wrong")
    expect(wrong.locator("#no-access")).to_be_visible()
    assert wrong.request.get(f"{server.url}/rate/77").status == 404


def test_the_tracking_page_follows_the_ticket_and_rates_once(
    browser: Browser, server: LiveServer
) -> None:
    officer = Officer(server, "tuan", 2)
    kiosk = server.token("kiosk")
    ticket = server.api("POST", "/api/v1/tickets", kiosk, {"service": "HT"}).json()
    url = f"{server.url}/track/{ticket['track_code']}"
    pages = [browser.new_context(viewport=v, locale="vi-VN").new_page() for v in (PHONE, TABLET)]
    for page in pages:
        page.goto(url)
        expect(page.locator("#track-number")).to_have_text(ticket["number"])
        expect(page.locator("#track-state")).to_have_text("Quý vị vui lòng chờ đến lượt được gọi.")
        expect(page.locator("#track-ahead")).to_have_text("Số người chờ trước quý vị: 0")
        assert_accessible(page)
        screenshot(page, "track-waiting")
    phone = pages[0]

    officer.post("/api/v1/counters/2/call", {"ticket_id": ticket["id"]})
    called = "Đang gọi số của quý vị: xin mời đến Quầy 2 – Hộ tịch."
    expect(phone.locator("#track-state")).to_have_text(called, timeout=6000)  # refreshed itself
    officer.post("/api/v1/counters/2/finish")
    expect(phone.locator("#rating-choose")).to_be_visible(timeout=6000)
    expect(phone.locator("#track-state")).to_have_text("Quý vị đã được phục vụ xong.")
    for page in pages:
        expect(page.locator("#rating-question")).to_contain_text(QUESTION, timeout=6000)
        assert_accessible(page)
        screenshot(page, "track-rate")

    phone.click("[data-score='2']")
    expect_thanks(phone)
    stored = ratings_of(server)[-1]
    assert (stored.ticket_id, stored.score, stored.channel) == (ticket["id"], 2, "track")

    # The other open page tries too: refused, it says it was rated already.
    pages[1].click("[data-score='1']")
    pages[1].click("#rating-send")
    expect_thanks(pages[1], ALREADY)
    phone.reload()
    expect_thanks(phone, ALREADY)
    expect(phone.locator("[data-score='3']")).to_be_hidden()
    assert [r.ticket_id for r in ratings_of(server)].count(ticket["id"]) == 1


def test_an_unknown_tracking_code_gets_a_polite_404(page: Page, server: LiveServer) -> None:
    response = page.goto(f"{server.url}/track/khong-co-ma-nay")
    assert response is not None and response.status == 404
    expect(page.locator(".t-missing")).to_have_text(
        "Không tìm thấy phiếu này. Quý vị vui lòng kiểm tra lại mã trên phiếu"
        " hoặc hỏi quầy Hướng dẫn – Hỗ trợ."
    )
    assert_accessible(page)


def test_the_officer_console_shows_only_own_counts(page: Page, server: LiveServer) -> None:
    """Lan was rated once (the first test): a count, no breakdown below the minimum."""
    sign_in(page, server, "lan", "/officer")
    page.click("[data-counter='2']")
    expect(page.locator("#ratings-today")).to_have_text(
        "Lượt đánh giá của bạn hôm nay: 1 · Chi tiết được hiển thị khi có từ 5 lượt đánh giá."
    )
    assert_accessible(page)

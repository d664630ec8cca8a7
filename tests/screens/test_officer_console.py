"""The officer console says what each command did, keeps keys pressed while a request is
in flight, asks before opening a paused counter or taking another officer's counter."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, Route, expect

from .conftest import LiveServer, sign_in


def open_console(page: Page, server: LiveServer, user: str, counter: int) -> None:
    sign_in(page, server, server.user(user, "officer"), "/officer")
    page.click(f'[data-counter="{counter}"]')
    expect(page.locator("#console")).to_be_visible()


def issue(server: LiveServer, *services: str) -> list[str]:
    kiosk = server.token("kiosk")
    return [
        server.api("POST", "/api/v1/tickets", kiosk, {"service": s}).json()["number"]
        for s in services
    ]


def test_every_command_says_what_it_did(laptop: Page, server: LiveServer) -> None:
    page = laptop
    open_console(page, server, "an", 4)
    numbers = issue(server, "CT", "CT", "CT")
    message, current = page.locator("#message"), page.locator("#current-number")

    page.click("#btn-next")
    expect(current).to_have_text(numbers[0])
    page.click("#btn-no-show")
    expect(message).to_have_text(f"Đã ghi nhận số {numbers[0]} vắng mặt.")

    page.click("#btn-next")
    expect(current).to_have_text(numbers[1])
    page.click("#btn-finish")
    expect(message).to_have_text(f"Đã hoàn thành số {numbers[1]}.")

    # The transfer dialog offers neither the ticket's own service nor this counter, but
    # the other counter of its service; the message says where the ticket went.
    page.click("#btn-next")
    expect(current).to_have_text(numbers[2])
    page.click("#btn-transfer")
    expect(page.locator('[data-transfer="CT"]')).to_be_hidden()
    expect(page.locator('[data-transfer="HT"]')).to_be_visible()
    expect(page.locator('[data-transfer-counter="4"]')).to_be_hidden()
    expect(page.locator('[data-transfer-counter="2"]')).to_be_hidden()  # no Chứng thực there
    page.click('[data-transfer-counter="3"]')
    expect(message).to_have_text(f"Đã chuyển số {numbers[2]} sang Quầy 3.")
    waiting = server.api("GET", "/api/v1/counters/3/waiting", server.token("officer", 3)).json()
    assert numbers[2] in [t["number"] for t in waiting["tickets"]]

    page.click("#btn-pause")
    expect(message).to_have_text("Đã tạm dừng quầy.")
    page.click("#btn-pause")
    expect(message).to_have_text("Quầy đã mở lại.")

    # A key for the current ticket when there is none is refused in words.
    page.locator("body").click(position={"x": 5, "y": 700})
    page.keyboard.press("/")
    expect(message).to_have_text("Quầy không có số nào đang phục vụ.")


def test_keys_pressed_during_a_request_are_kept(laptop: Page, server: LiveServer) -> None:
    page = laptop
    open_console(page, server, "binh", 5)
    numbers = issue(server, "DD", "DD")
    held: list[Route] = []
    page.route("**/api/v1/counters/5/next", lambda route: held.append(route), times=1)
    page.locator("body").click(position={"x": 5, "y": 700})
    page.keyboard.press("+")
    page.wait_for_function("document.body.dataset.queued === '1'")
    page.keyboard.press("/")  # finish the ticket being called, once it is
    expect(page.locator("body")).to_have_attribute("data-queued", "2")
    held[0].continue_()
    expect(page.locator("#message")).to_have_text(f"Đã hoàn thành số {numbers[0]}.")
    expect(page.locator("#current-number")).to_have_text("–")
    expect(page.locator("body")).to_have_attribute("data-queued", "0")


def test_call_next_on_a_paused_counter_asks_first(laptop: Page, server: LiveServer) -> None:
    page = laptop
    open_console(page, server, "chi", 6)
    (number,) = issue(server, "NCC")
    page.click("#btn-pause")
    expect(page.locator("#paused-note")).to_be_visible()
    page.click("#btn-next")
    dialog = page.locator("#ask-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#ask-text")).to_have_text("Quầy đang tạm dừng. Mở lại quầy và gọi số?")
    page.click("#ask-no")
    expect(dialog).to_be_hidden()
    expect(page.locator("#paused-note")).to_be_visible()
    assert server.queue.counter(6).status == "paused"

    page.click("#btn-next")
    page.click("#ask-yes")
    expect(page.locator("#current-number")).to_have_text(number)
    expect(page.locator("#paused-note")).to_be_hidden()


def test_taking_a_counter_another_officer_has_open_is_asked(
    browser: Browser, laptop: Page, server: LiveServer
) -> None:
    open_console(laptop, server, "dung", 2)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    other = context.new_page()
    try:
        sign_in(other, server, server.user("giang", "officer"), "/officer")
        other.click('[data-counter="2"]')
        expect(other.locator("#ask-text")).to_have_text(
            "Quầy 2 đang được mở trên máy của dung. Quý vị có nhận quầy này không?"
        )
        other.click("#ask-no")
        expect(other.locator("#pick-counter")).to_be_visible()
        expect(other.locator("#console")).to_be_hidden()
        other.click('[data-counter="2"]')
        other.click("#ask-yes")
        expect(other.locator("#console")).to_be_visible()
        expect(other.locator("#counter-name")).to_contain_text("Quầy 2")
    finally:
        context.close()

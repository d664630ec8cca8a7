"""Result slips in Chromium: the officer finishes a ticket and gives a slip, the slip
prints from its own page (code as text and QR, the print button not printed), and the
citizen enters the code on the kiosk's keypad: too early is refused politely, on the day
it gives a "receive results" number; the help desk types a code for a citizen. Every page
is checked with axe."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import update

from queue_server.core.slip_tables import ResultSlip

from .conftest import LiveServer, assert_accessible, screenshot, sign_in


def type_code(page: Page, code: str) -> None:
    for key in code.replace("-", ""):
        page.click(f'#code-keys [data-key="{key}"]')


def test_officer_gives_a_slip_it_prints_and_the_kiosk_takes_the_code(
    laptop: Page, browser: Browser, server: LiveServer
) -> None:
    page = laptop
    sign_in(page, server, server.user("lan", "officer"), "/officer")
    page.click('[data-counter="2"]')
    expect(page.locator("#console")).to_be_visible()
    kiosk = server.token("kiosk")
    number = server.api("POST", "/api/v1/tickets", kiosk, {"service": "HT"}).json()["number"]
    page.click("#btn-next")
    expect(page.locator("#current-number")).to_have_text(number)
    page.click("#btn-finish")

    # The slip panel offers a slip for the ticket just finished, its date proposed.
    form = page.locator("#slip-form")
    expect(form).to_be_visible()
    expect(page.locator("#slip-for")).to_have_text(f"Cho số {number} vừa phục vụ xong")
    proposed = page.locator("#slip-date").input_value()
    assert date.fromisoformat(proposed) > date.today()
    assert_accessible(page)
    page.click("#slip-give")
    message = page.locator("#slip-message")
    expect(message).to_contain_text("Đã cấp giấy hẹn")
    found = re.search(r"giấy hẹn ([0-9A-Z]{5}-[0-9A-Z]{5}):", message.inner_text())
    assert found is not None, message.inner_text()
    code = found.group(1)
    screenshot(page, "officer-result-slip")

    # The printable slip: its own page, opened in a new tab.
    with page.context.expect_page() as opened:
        page.click("#slip-print")
    slip = opened.value
    slip.wait_for_load_state()
    expect(slip.locator("h1")).to_contain_text("Giấy hẹn trả kết quả")
    expect(slip.locator("#slip-code")).to_have_text(code)
    expect(slip.locator("#slip-service")).to_have_text("Hộ tịch")
    ready = date.fromisoformat(proposed).strftime("%d/%m/%Y")
    expect(slip.locator("#slip-ready")).to_have_text(ready)
    expect(slip.locator(".g-qr svg")).to_be_visible()
    assert_accessible(slip)
    screenshot(slip, "result-slip")
    slip.emulate_media(media="print")
    expect(slip.locator("#slip-print")).to_be_hidden()
    slip.close()

    # The kiosk: "Nhận kết quả" asks for the code; too early, the date is said.
    kiosk_page = page.context.new_page()
    kiosk_page.goto(f"{server.url}/kiosk?token={kiosk}")
    kiosk_page.click('[data-service="NKQ"]')
    expect(kiosk_page.locator("#step-code")).to_be_visible()
    expect(kiosk_page.locator("#code-next")).to_be_disabled()
    type_code(kiosk_page, code)
    expect(kiosk_page.locator("#code-input")).to_have_value(code)
    assert_accessible(kiosk_page)
    screenshot(kiosk_page, "kiosk-result-code")
    kiosk_page.click("#code-next")
    kiosk_page.click('[data-priority=""]')
    expect(kiosk_page.locator("#error-text")).to_have_text(f"Kết quả sẽ có vào ngày {ready}.")

    # On the day (moved to today in the database), the code gives a number.
    with server.queue.db.write() as conn:
        conn.execute(update(ResultSlip).values(ready_on=date.today()))
    kiosk_page.click("#error-back")
    kiosk_page.click('[data-service="NKQ"]')
    kiosk_page.fill("#code-input", code.lower().replace("-", " "))  # a scanner, or typed
    kiosk_page.click("#code-next")
    kiosk_page.click('[data-priority="elderly"]')
    expect(kiosk_page.locator("#ticket-number")).to_have_text("N001")
    expect(kiosk_page.locator("#ticket-slip")).to_contain_text(date.today().strftime("%d/%m/%Y"))
    answer = server.api("GET", f"/api/v1/result-slips/{code}", server.token("admin")).json()
    assert answer["collected"] is True

    # The help desk does the same for a citizen: the code typed in the issue form.
    ticket = server.queue.issue("CT").value
    server.queue.call_ticket(3, ticket.id, actor="t")
    server.queue.finish(3, actor="t")
    admin = server.token("admin")
    second = server.api("POST", f"/api/v1/tickets/{ticket.id}/result-slip", admin, {}).json()
    with server.queue.db.write() as conn:
        conn.execute(update(ResultSlip).values(ready_on=date.today()))
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    desk = context.new_page()
    sign_in(desk, server, server.user("hoa", "helpdesk"), "/helpdesk")
    desk.click('button[name="service"][value="NKQ"]')
    expect(desk.locator("#message")).to_have_text("Vui lòng nhập mã trên giấy hẹn trước.")
    desk.fill("#result-code", second["result_code"])
    desk.click('button[name="service"][value="NKQ"]')
    expect(desk.locator("#message")).to_contain_text("N002")
    expect(desk.locator("#result-code")).to_have_value("")
    assert_accessible(desk)
    context.close()

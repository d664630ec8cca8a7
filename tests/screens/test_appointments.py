"""Appointments in Chromium: the kiosk's check-in by code and booking for another day,
the public booking page on a phone (from the tracking page) with its printable slip,
and the help desk's panel at 1366×768; each page checked by axe."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import insert

from queue_server.auth.tokens import create_token
from queue_server.core.appointment_models import Appointment
from queue_server.core.appointments import new_code

from .conftest import HeldScript, LiveServer, assert_accessible, screenshot, sign_in


def booked_today(server: LiveServer, service_id: int = 2) -> str:
    """An appointment of today whose slot starts in an hour (whatever the hour now)."""
    now = datetime.now(UTC).replace(microsecond=0)
    code = new_code()
    with server.queue.db.write() as conn:
        conn.execute(
            insert(Appointment).values(
                code=code,
                service_id=service_id,
                day=server.queue.today(),
                slot_start=now + timedelta(hours=1),
                slot_end=now + timedelta(hours=1, minutes=30),
                channel="helpdesk",
                status="booked",
                booked_at=now,
            )
        )
    return code


def book_first_free(page: Page, service: str, day_index: int) -> None:
    """Pick the service, the day and the first free time, and confirm."""
    page.get_by_role("button", name=service, exact=True).click()
    page.locator("[data-appt-day]").nth(day_index).click()
    page.locator("[data-appt-start]:not([disabled])").first.click()
    page.locator("#appt-confirm").click()
    expect(page.locator("#appt-slip")).to_be_visible()
    expect(page.locator("#slip-code")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))


def test_kiosk_check_in_with_the_code_and_booking_another_day(
    page: Page, server: LiveServer
) -> None:
    code = booked_today(server)
    token, _info = create_token(server.queue.db, "kiosk", name="kiosk-1")
    page.goto(f"{server.url}/kiosk?token={token}")
    page.get_by_role("button", name="Tôi có lịch hẹn").click()
    expect(page.get_by_role("heading", name="Nhập mã trên giấy hẹn của bạn")).to_be_visible()
    confirm = page.locator("#appt-check-in")
    for key in code[:7]:
        page.locator(f'#appt-keypad [data-key="{key}"]').click()
    expect(confirm).to_be_disabled()
    page.locator(f'#appt-keypad [data-key="{code[7]}"]').click()
    expect(page.locator("#appt-code-shown")).to_have_text(f"{code[:4]}-{code[4:]}")
    for button in page.locator("#appt-keypad .k-key").all():  # big keys for elderly fingers
        box = button.bounding_box()
        assert box is not None and box["height"] >= 88
    assert_accessible(page)
    confirm.click()
    expect(page.locator("#appt-ticket-number")).to_have_text(re.compile(r"^B\d{3}$"))
    expect(page.locator("#appt-ticket-when")).to_contain_text("sẽ được gọi từ")
    screenshot(page, "kiosk-appointment")
    # The same code again: refused politely, nothing issued.
    page.locator("#step-appt-ticket [data-appt-back]").click()
    page.get_by_role("button", name="Tôi có lịch hẹn").click()
    for key in code:
        page.locator(f'#appt-keypad [data-key="{key}"]').click()
    confirm.click()
    expect(page.locator("#appt-code-error")).to_have_text("Lịch hẹn này đã được xác nhận đến rồi.")

    page.locator("#step-appt-code [data-appt-back]").click()
    page.get_by_role("button", name="Đặt lịch hẹn ngày khác").click()
    book_first_free(page, "Hộ tịch", 0)
    expect(page.locator("#slip-bring")).to_contain_text("Căn cước")
    # The kiosk's (virtual) printer prints the slip; the screen says so, the slip stays.
    expect(page.locator("#slip-paper")).to_have_text("Mời nhận giấy hẹn ở khe giấy dưới màn hình.")
    expect(page.locator("#slip-code")).to_be_visible()
    assert_accessible(page)


def test_a_citizen_books_on_a_phone_from_the_tracking_page(phone: Page, server: LiveServer) -> None:
    page = phone
    ticket = server.api("POST", "/api/v1/tickets", server.token("kiosk"), {"service": "CT"})
    page.goto(f"{server.url}/track/{ticket.json()['track_code']}")
    page.get_by_role("link", name="Đặt lịch hẹn ngày khác").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đặt lịch hẹn")
    expect(page.get_by_text("Không cần họ tên hay số điện thoại.")).to_be_visible()
    assert not page.locator("input").count(), "the public page asks nothing personal"
    book_first_free(page, "Chứng thực", 1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert_accessible(page)
    screenshot(page, "appointment-phone")
    slip = page.locator("#slip-print").get_attribute("href")
    assert slip is not None
    page.goto(server.url + slip)
    expect(page.get_by_role("heading", name="Giấy hẹn")).to_be_visible()
    expect(page.locator(".ap-code")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    expect(page.locator(".ap-facts")).to_contain_text("Chứng thực")
    assert_accessible(page)


def test_the_help_desk_books_checks_in_and_cancels(laptop: Page, server: LiveServer) -> None:
    page = laptop
    arriving = booked_today(server)
    sign_in(page, server, server.user("lan", "helpdesk"), "/helpdesk")
    panel = page.locator(".ap-panel")
    expect(panel.get_by_role("heading", name="Lịch hẹn", exact=True)).to_be_visible()
    row = page.locator(f'.ap-item[data-code="{arriving}"]')
    expect(row).to_contain_text("Đã đặt")
    panel.locator("#appt-code-input").fill(f"{arriving[:4].lower()}-{arriving[4:]}")
    panel.get_by_role("button", name="Xác nhận đến").first.click()
    expect(page.locator("#message")).to_have_text(re.compile(r"^Đã xác nhận đến: số B\d{3}\.$"))
    expect(row).to_contain_text("Đến đúng hẹn")
    # A caller books by phone: the slip to read out, with its code.
    panel.locator("summary").click()
    book_first_free(page, "Hộ tịch", 1)
    expect(page.locator("#appt-message")).to_contain_text("Đã đặt lịch: mã")
    assert_accessible(page)
    screenshot(page, "helpdesk-appointments")
    # Cancel one of today's.
    cancelling = booked_today(server)
    page.reload()
    page.locator(f'.ap-item[data-code="{cancelling}"] [data-cancel]').click()
    expect(page.locator(f'.ap-item[data-code="{cancelling}"]')).to_contain_text("Đã hủy")


def test_a_tap_while_the_page_loads_is_not_lost(phone: Page, server: LiveServer) -> None:
    """On a slow phone the page's script arrives after its HTML: until then there is no
    button to tap (a service tapped before the script listened was silently lost, and
    the times never came)."""
    page = phone
    script = HeldScript(page, "appointments.js")
    page.goto(f"{server.url}/appointments/book", wait_until="commit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đặt lịch hẹn")
    expect(page.locator("#appt-picker button:enabled")).to_have_count(0)
    assert len(script.wait()) == 1, "the page script is still on its way"
    script.release()
    book_first_free(page, "Chứng thực", 0)

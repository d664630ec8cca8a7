"""The officer console's paper ticket form, by keyboard only: the day, number, service,
category and times typed as written, Enter saves and starts the next; a repeat is
refused in words; the panel passes axe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect
from sqlalchemy import select

from queue_server.core.models import Ticket
from queue_server.core.paper import PaperTickets

from .conftest import LiveServer, assert_accessible, sign_in

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def test_an_officer_enters_paper_tickets_by_keyboard(laptop: Page, server: LiveServer) -> None:
    page = laptop
    PaperTickets(server.queue).reserve("HT", 20)
    yesterday = datetime.now(UTC).astimezone(ZONE).date() - timedelta(days=1)
    sign_in(page, server, server.user("hoa", "officer"), "/officer")
    page.click('[data-counter="2"]')
    expect(page.locator("#console")).to_be_visible()

    page.focus("#paper-panel summary")
    page.keyboard.press("Enter")  # opens the panel
    expect(page.locator("#paper-counter")).to_be_disabled()  # this officer's counter
    expect(page.locator("#paper-counter")).to_have_value("2")
    keys = page.keyboard
    today = datetime.now(UTC).astimezone(ZONE).date()
    expect(page.locator("#paper-day")).to_have_value(f"{today:%d/%m/%Y}")
    keys.press("Tab")
    keys.press("Control+a")
    keys.type(f"{yesterday:%d/%m/%Y}")  # the day written on the tickets
    keys.press("Tab")
    keys.type("3")  # PB003, typed as its number alone
    keys.press("Tab")
    keys.press("ArrowDown")  # Hướng dẫn – Hỗ trợ → Hộ tịch
    expect(page.locator("#paper-service")).to_have_value("HT")
    keys.press("Tab")
    for _ in range(2):
        keys.press("ArrowDown")  # none → emergency → elderly
    expect(page.locator("#paper-category")).to_have_value("elderly")
    for time in ("8:00", "0820", "8h31"):  # as people write them
        keys.press("Tab")
        keys.type(time)
    keys.press("Enter")

    message = page.locator("#paper-message")
    expect(message).to_have_text("Đã lưu phiếu giấy PB003.")
    expect(page.locator("#paper-entered li")).to_have_text(["PB003 · Hộ tịch"])
    expect(page.locator("#paper-number")).to_be_focused()
    expect(page.locator("#paper-number")).to_have_value("")
    with server.queue.db.read() as conn:
        row = conn.execute(
            select(Ticket.channel, Ticket.issued_at, Ticket.finished_at, Ticket.seq).where(
                Ticket.number == "PB003"
            )
        ).one()
    assert row.channel == "paper" and row.seq == -3
    assert row.issued_at.astimezone(ZONE).replace(tzinfo=None) == datetime.combine(
        yesterday, datetime.min.time()
    ) + timedelta(hours=8)
    assert row.finished_at - row.issued_at == timedelta(minutes=31)

    # The same number again (the day and service stay): refused, in words.
    keys.type("PB003")
    for _ in range(2):
        keys.press("Tab")  # the service and category stay as they were
    for time in ("8:05", "8:25", "8:35"):
        keys.press("Tab")
        keys.type(time)
    keys.press("Enter")
    expect(message).to_contain_text("PB003")
    expect(message).to_contain_text("đã được nhập rồi")
    expect(message).to_have_class("s-message error")
    assert_accessible(page)

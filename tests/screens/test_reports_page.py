"""The report page and the help desk's callbacks in Chromium (1366×768): charts drawn,
accessible (axe-core), printable (an A4 PDF with its title block and page numbers), the
download is the report's file, the period picker moves from month to month."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from queue_server.auth.users import add_user
from queue_server.core.bootstrap import open_queue
from queue_server.demo.history import Staff, play_history
from queue_server.reports import compute_report
from queue_server.reports.files import report_file
from queue_server.reports.periods import Period

from .conftest import LiveServer, assert_accessible, screenshot, sign_in

OFFICERS = ("Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Mai", "Phạm Minh Tuấn")
A4_POINTS = (595.3, 841.9)  # 210 × 297 mm


@pytest.fixture(scope="module")
def days(server: LiveServer) -> Iterator[tuple[date, date]]:
    """The demo history of the two working days before today, in the server's database."""
    queue = open_queue(server.settings, migrate=False, sync=False)
    staff = [
        Staff(
            add_user(queue.db, f"cb{n}", "officer", "mat-khau-dai-123", display_name=name), f"cb{n}"
        )
        for n, name in enumerate(OFFICERS)
    ]
    officers = {number: staff[number % len(staff)] for number in queue.catalogue.counters}
    history = play_history(queue, officers, days=2, seed=1, ratings=server.settings.ratings)
    queue.db.dispose()
    yield history.days[0], history.days[-1]


def test_report_page_draws_charts_prints_and_downloads(
    laptop: Page, server: LiveServer, days: tuple[date, date]
) -> None:
    page = laptop
    first, last = days
    target = f"/admin/reports?from={first.isoformat()}&to={last.isoformat()}"
    sign_in(page, server, server.user("truongphong", "manager"), target)
    expect(page.locator("h1")).to_have_text("Báo cáo")
    report = compute_report(server.queue.db, server.settings.center.zone, first, last)
    assert report.satisfaction.total.count > 0  # the simulated citizens rated
    expect(page.locator("figure.r-chart svg[role=img]")).to_have_count(6)
    expect(page.locator("#chart-arrivals rect.bar")).to_have_count(11)  # 7h … 17h
    counters = len(report.satisfaction.by_counter)
    expect(page.locator("#chart-satisfaction rect.bar")).to_have_count(3 * counters)
    expect(page.locator(".admin-menu a[aria-current=page]")).to_have_text("Báo cáo")
    issued = page.locator("#section-summary tr", has_text="Số phiếu đã cấp").locator("td")
    expect(issued).to_have_text(str(report.total.issued))
    ratings = page.locator("tbody tr", has=page.locator("th", has_text="Số lượt đánh giá"))
    expect(ratings.locator("td")).to_have_text(str(report.satisfaction.total.count))
    assert report.satisfaction.total.count > 0 and report.priority_served > 0
    assert_accessible(page)
    screenshot(page, "admin-reports")

    with page.expect_download() as download:
        page.click("a[data-format=xlsx]")
    data = download.value.path().read_bytes()
    assert data == report_file(report, server.settings.center.name, "xlsx")
    assert download.value.suggested_filename == f"bao-cao_{first}_{last}.xlsx"

    page.emulate_media(media="print")
    for hidden in (".admin-menu", ".r-range", ".r-downloads", ".admin-header"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".r-print-head")).to_be_visible()
    expect(page.locator("#chart-vulnerable svg")).to_be_visible()
    screenshot(page, "admin-reports-print")
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(pdf.pages) >= 2
    for sheet in pdf.pages:
        size = (float(sheet.mediabox.width), float(sheet.mediabox.height))
        assert size == pytest.approx(A4_POINTS, abs=1.5)
    first_page = pdf.pages[0].extract_text()
    for line in ("ỦY BAN NHÂN DÂN PHƯỜNG HÒA BÌNH", "BÁO CÁO TÌNH HÌNH PHỤC VỤ", "Số phiếu đã cấp"):
        assert line in first_page, first_page
    assert f"1 / {len(pdf.pages)}" in first_page  # the page numbers at the foot
    last_page = pdf.pages[-1].extract_text()
    assert f"{len(pdf.pages)} / {len(pdf.pages)}" in last_page
    page.emulate_media(media="screen")

    month = Period.month(first.year, first.month)
    page.goto(f"{server.url}/admin/reports?month={month.code}")
    title = page.locator("#r-title")
    expect(title).to_have_text(f"Báo cáo tình hình phục vụ tháng {first.month}/{first.year}")
    page.click("a[rel=prev]")
    before = month.previous()
    expect(title).to_have_text(
        f"Báo cáo tình hình phục vụ tháng {before.start.month}/{before.start.year}"
    )
    expect(page.locator("input[name=month]")).to_have_value(before.code)
    page.select_option("select[name=quarter]", f"{first.year}-Q{month.quarter_number}")
    page.click("form[data-kind=quarter] button")
    expect(title).to_contain_text(re.compile(rf"quý [IV]+ năm {first.year}$"))
    expect(page.locator("a[data-by=month][aria-current]")).to_have_count(1)  # per month

    page.click("text=Hôm nay")
    expect(page.locator("#r-period")).to_contain_text("Từ ngày ")
    page.fill("input[name=from]", last.isoformat())
    page.fill("input[name=to]", first.isoformat())
    page.click(".r-range button[type=submit]")
    expect(page.locator("p[role=alert]")).to_contain_text("sau ngày kết thúc")
    assert_accessible(page)


def test_help_desk_keeps_a_callback_number_only_with_consent(
    laptop: Page, server: LiveServer
) -> None:
    page = laptop
    sign_in(page, server, server.user("hotro", "helpdesk"), "/helpdesk")
    expect(page.locator("#callbacks li")).to_have_text(["Hôm nay chưa có số điện thoại nào."])
    before = page.locator("#issued li").count()
    page.fill("#contact-phone", "0912 345 678")
    page.click('button[name="service"][value="HT"]')
    expect(page.locator("#message")).to_have_text(
        "Hãy đánh dấu ô đồng ý, hoặc để trống số điện thoại."
    )
    expect(page.locator("#issued li")).to_have_count(before)

    page.select_option("#contact-purpose", "home_visit")
    page.check("#contact-consent")
    page.click('button[name="service"][value="HT"]')
    number = page.locator("#issued li .w-number").first.inner_text()
    expect(page.locator("#message")).to_have_text(
        f"Đã cấp số {number}; số điện thoại đã được lưu để gọi lại."
    )
    callback = page.locator("#callbacks li").first
    expect(callback).to_contain_text(number)
    expect(callback.locator("a")).to_have_text("0912 345 678")
    expect(callback.locator("a")).to_have_attribute("href", "tel:0912345678")
    expect(callback).to_contain_text("Hỗ trợ tại nhà")
    expect(page.locator("#contact-phone")).to_have_value("")
    expect(page.locator("#contact-consent")).not_to_be_checked()
    assert "0912345678" not in page.evaluate("JSON.stringify(window.sessionStorage)")
    assert_accessible(page)
    screenshot(page, "helpdesk-callbacks")

    callback.get_by_role("button", name=f"Xóa số {number}").click()
    expect(page.locator("#message")).to_have_text(f"Đã xóa số điện thoại của phiếu {number}.")
    expect(page.locator("#callbacks li")).to_have_text(["Hôm nay chưa có số điện thoại nào."])


LABELS_OUTSIDE_VIEWBOX = """() => {
  const outside = [];
  for (const svg of document.querySelectorAll("figure.r-chart svg")) {
    const box = svg.viewBox.baseVal;
    for (const text of svg.querySelectorAll("text")) {
      const b = text.getBBox();
      if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5) {
        const span = `${b.x.toFixed(0)}…${(b.x + b.width).toFixed(0)}`;
        outside.push(`${svg.parentElement.id}: ${text.textContent} (${span})`);
      }
    }
  }
  return outside;
}"""


def test_report_page_fits_a_phone_and_its_labels_fit_the_charts(
    browser: Browser, server: LiveServer, days: tuple[date, date]
) -> None:
    """Issue 13.11: no sideways scrolling at 390×844, no chart label cut at the edge."""
    first, last = days
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    try:
        target = f"/admin/reports?from={first.isoformat()}&to={last.isoformat()}"
        sign_in(page, server, server.user("phophong", "manager"), target)
        expect(page.locator("figure.r-chart svg[role=img]")).to_have_count(6)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        assert page.evaluate(LABELS_OUTSIDE_VIEWBOX) == []
        labels = page.locator("#chart-vulnerable text").all_text_contents()
        assert any("Đồng bào dân tộc thiểu số" in label for label in labels), labels
        screenshot(page, "admin-reports")
    finally:
        context.close()

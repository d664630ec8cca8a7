"""Ticket printer figures: render time and ESC/POS bytes per ticket, per paper width.

Run: ``.venv/bin/python bench/printer.py``. Targets: render ≤ 50 ms, ≤ 25 KB at 576 dots.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from xephang.devices.printer import (
    NetworkPrinterConfig,
    RenderOptions,
    TicketPrintout,
    open_printer,
    render_ticket,
)
from xephang.devices.printer.encode import encode_ticket
from xephang.devices.printer.fake_network import FakeNetworkPrinter

HANOI = timezone(timedelta(hours=7))
WORST = TicketPrintout(
    center_name="Trung tâm Phục vụ hành chính công phường Hoàn Kiếm",
    number="A007",
    service_name="Bảo trợ xã hội – Trợ cấp cho người cao tuổi và người khuyết tật nặng",
    service_name_alt="Social protection – allowances for the elderly and the severely disabled",
    priority_label="Người cao tuổi",
    issued_at=datetime(2026, 11, 23, 9, 15, tzinfo=HANOI),
    ahead=5,
    estimated_wait_s=900,
    track_url="http://192.168.1.10:8000/t/2026-11-23/A007?k=8f3a9c",
    footer="Dịch vụ miễn phí",
)
TYPICAL = replace(WORST, service_name="Hộ tịch", service_name_alt=None, priority_label=None)


def _variant(base: TicketPrintout, i: int) -> TicketPrintout:
    return replace(
        base,
        number=f"A{i:03d}",
        ahead=i % 40,
        estimated_wait_s=60 * (i % 50),
        issued_at=base.issued_at + timedelta(minutes=i),
        track_url=f"http://192.168.1.10:8000/t/2026-11-23/A{i:03d}?k={i * 7919:06x}",
    )


def measure(base: TicketPrintout, width: int, count: int = 100) -> dict[str, float]:
    options = RenderOptions(width=width)
    timings, sizes = [], []
    first = 0.0
    for i in range(1, count + 1):
        started = time.perf_counter()
        ticket = render_ticket(_variant(base, i), options)
        rendered = time.perf_counter()
        payload = encode_ticket(ticket)
        if i == 1:
            first = rendered - started
        timings.append(rendered - started)
        sizes.append(len(payload))
    whole = width // 8 * ticket.preview().height
    return {
        "first_ms": first * 1000,
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": sorted(timings)[int(0.95 * len(timings)) - 1] * 1000,
        "max_bytes": max(sizes),
        "one_raster_bytes": whole,
    }


def round_trip() -> float:
    """Median seconds to print and confirm one ticket on the fake network printer."""
    with FakeNetworkPrinter(576) as fake:
        printer = open_printer(NetworkPrinterConfig(host=fake.host, port=fake.port))
        times = []
        for i in range(1, 21):
            started = time.perf_counter()
            assert printer.print_ticket(_variant(WORST, i)).confirmed
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    print(
        f"{'ticket':8} {'dots':>4} {'first':>8} {'median':>8} {'p95':>8} {'max bytes':>10} "
        f"{'one raster':>10}"
    )
    for name, base in (("worst", WORST), ("typical", TYPICAL)):
        for width in (384, 512, 576):
            m = measure(base, width)
            print(
                f"{name:8} {width:4d} {m['first_ms']:6.1f}ms {m['median_ms']:6.1f}ms "
                f"{m['p95_ms']:6.1f}ms {m['max_bytes']:10.0f} {m['one_raster_bytes']:10.0f}"
            )
    print(f"print + confirm on fake TCP printer (576 dots, worst): {round_trip() * 1000:.1f} ms")


if __name__ == "__main__":
    main()

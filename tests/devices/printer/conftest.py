"""Fixtures for the printer tests: sample tickets and a fake network printer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone

import pytest

from xephang.devices.printer import NetworkPrinterConfig, RetryPolicy, TicketPrintout
from xephang.devices.printer.fake_network import FakeNetworkPrinter

HANOI = timezone(timedelta(hours=7))
LONG_SERVICE = "Bảo trợ xã hội – Trợ cấp cho người cao tuổi và người khuyết tật nặng"


@pytest.fixture
def printout() -> TicketPrintout:
    return TicketPrintout(
        center_name="Trung tâm Phục vụ hành chính công phường Hoàn Kiếm",
        number="A007",
        service_name=LONG_SERVICE,
        service_name_alt="Social protection – allowances for the elderly and the severely disabled",
        priority_label="Người cao tuổi",
        issued_at=datetime(2026, 11, 23, 9, 15, tzinfo=HANOI),
        ahead=5,
        estimated_wait_s=900,
        track_url="http://192.168.1.10:8000/t/2026-11-23/A007?k=8f3a9c",
        footer="Dịch vụ miễn phí",
    )


@pytest.fixture
def short_printout(printout: TicketPrintout) -> TicketPrintout:
    from dataclasses import replace

    return replace(
        printout, service_name="Hộ tịch", service_name_alt=None, priority_label=None, track_url=None
    )


@pytest.fixture
def fake() -> Iterator[FakeNetworkPrinter]:
    with FakeNetworkPrinter(width=576) as printer:
        yield printer


def _network_config(fake: FakeNetworkPrinter, **extra: object) -> NetworkPrinterConfig:
    values: dict[str, object] = {
        "host": fake.host,
        "port": fake.port,
        "dot_width": fake.width,
        "profile": "TM-T20II" if fake.width > 384 else "POS-5890",
        "timeout_s": 1.0,
        "status_timeout_s": 0.3,
        "confirm_timeout_s": 0.3,
        "retry": RetryPolicy(attempts=2, backoff_initial_s=0.01, recovery_poll_s=0.02),
    }
    values.update(extra)
    return NetworkPrinterConfig.model_validate(values)


MakeConfig = Callable[..., NetworkPrinterConfig]


@pytest.fixture
def make_config() -> MakeConfig:
    """``make_config(fake, **overrides)``: a config for a fake, short timeouts, quick retries."""
    return _network_config

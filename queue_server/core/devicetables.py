"""Tables of the device workers: who drives which device, and what each device reported.

Imported by :mod:`queue_server.core.models` (the same metadata), kept apart so that
module stays small.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.core.models import Base, UTCDateTime


class DeviceLease(Base):
    """The one device worker that may drive a device (:mod:`queue_server.core.leases`).

    ``key`` names the device itself (``tcp:10.0.0.5:9100``, ``serial:host:/dev/ttyUSB0``);
    ``holder`` is a worker's id, or null when released; ``version`` grows at every claim
    and renewal, so a claimant sees whether the holder is still renewing.
    """

    __tablename__ = "device_leases"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(BigInteger)
    ttl_s: Mapped[float] = mapped_column(Float)
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the holder's clock


class DeviceReport(Base):
    """The latest status one device worker reported for a device (``printer:kiosk-1``,
    ``led:rs485``, ``speaker``), so every server process can show it."""

    __tablename__ = "device_reports"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    reporter: Mapped[str] = mapped_column(String(120))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    interval_s: Mapped[float] = mapped_column(Float)  # the reporter's period
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the server's clock

"""How this installation runs: ``[database]``, ``[api]``, ``[server]``, ``[cluster]``,
``[devices]`` and ``[[kiosks]]`` of the center's TOML (the center itself is
:mod:`queue_server.core.center_config`)."""

from __future__ import annotations

from ipaddress import ip_network
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from xephang.devices.printer.config import PrinterConfig

MIN_CLUSTER_SECRET = 32  # characters of [api] secret_key in cluster mode


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseConfig(_Model):
    """Where tickets are kept. Empty URL: a SQLite file in the data directory.

    ``busy_timeout_ms``: how long a write waits for SQLite's write lock (held by another
    process) before the request is answered 503 with ``Retry-After``.
    """

    url: str = ""
    busy_timeout_ms: int = Field(5000, ge=50, le=60_000)


class ApiConfig(_Model):
    """The HTTP API: abuse limits and the session secret."""

    issue_rate_per_minute: int = Field(30, ge=1, le=100_000)
    max_body_bytes: int = Field(64 * 1024, ge=1024, le=16 * 1024 * 1024)
    secret_key: str = ""  # empty: a random key kept in <data_dir>/secret_key
    session_hours: int = Field(12, ge=1, le=24 * 30)
    token_cache_s: float = Field(5.0, ge=0, le=300)  # a CLI revocation takes this long
    # How often open sockets' tokens and sessions are checked again (CLI revocations).
    socket_check_s: float = Field(5.0, gt=0, le=300)


class ServerConfig(_Model):
    """Connection limits of the production server (docs/deployment.md)."""

    max_connections: int = Field(4000, ge=10, le=100_000)  # open at once, in all
    max_connections_per_address: int = Field(64, ge=0, le=100_000)  # 0: no cap
    header_timeout_s: float = Field(5.0, gt=0, le=300)  # a request's headers, in full
    socket_join_timeout_s: float = Field(5.0, gt=0, le=300)  # upgrade → namespace + token
    # Reverse proxies (addresses or networks) whose X-Forwarded-For/-Proto are believed
    # and whose connections the per-address cap leaves alone (queue_server/web/proxies.py).
    trusted_proxies: tuple[str, ...] = Field(default=(), max_length=64)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            try:
                ip_network(value)
            except ValueError:
                raise ValueError(
                    f"{value!r} is not an IP address or a network such as 10.0.0.0/24 "
                    f"(host bits must be zero)"
                ) from None
        return values


class ClusterConfig(_Model):
    """Cluster mode: several server processes (and machines) on one PostgreSQL database,
    joined through Redis. An empty ``redis_url`` is the single-machine center."""

    redis_url: Annotated[str, Field(pattern=r"^(|rediss?://\S+|unix://\S+)$")] = ""


class KioskConfig(_Model):
    """A ticket kiosk and the printer attached to it."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
    label: str = ""
    printer: PrinterConfig | None = None


class DevicesConfig(_Model):
    """Where the device worker runs: inside the server, or as ``xephang devices``."""

    worker: Literal["embedded", "external"] = "embedded"
    # "none": the hall display plays the server's audio itself (the usual setup);
    # "command": the worker plays each call with ``speaker_command`` (a PC with speakers),
    # one at a time; the hall displays then stay silent (``Settings.speaker_plays``);
    # "virtual": the worker renders each call and only records it (demo, tests).
    speaker: Literal["none", "command", "virtual"] = "none"
    speaker_command: tuple[Annotated[str, Field(min_length=1)], ...] = Field(
        default=("aplay", "-q"), min_length=1
    )
    # A device is driven by the one worker holding its lease, renewed every third of
    # this; a worker that dies loses it after this many seconds (docs/printers.md).
    lease_s: float = Field(default=15.0, ge=0.3, le=600)

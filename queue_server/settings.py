"""Center configuration: TOML on disk, validated by pydantic.

Errors name the file, the key and the problem, e.g.::

    config/demo.toml: services[2].prefix: must be one or two capital letters (got 'a1')
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from queue_server.core.appointment_config import AppointmentsConfig
from queue_server.core.assist_config import AssistsConfig
from queue_server.core.assistance_config import AssistanceConfig
from queue_server.core.clock_config import ClockConfig
from queue_server.core.feedback_config import FeedbackConfig
from queue_server.core.options import NumberingConfig, PolicyConfig
from queue_server.core.paper_config import PaperConfig, colliding_prefixes
from queue_server.core.prefix_shapes import digit_like_problem, look_alike_problem
from queue_server.core.rating_config import RatingsConfig
from queue_server.core.result_config import MAX_DAYS, ResultsConfig
from queue_server.core.retention import ArchiveConfig, MaintenanceConfig, PrivacyConfig
from queue_server.core.text import NOT_ALLOWED, Line, Lines, bad_strings
from xephang.devices.audio.config import VoiceConfig
from xephang.devices.led.config import LedConfig
from xephang.devices.printer.config import PrinterConfig
from xephang.display.config import ScreensConfig
from xephang.i18n import available_languages
from xephang.langpack import LanguagePackError, set_center_dir

__all__ = ["ConfigError", "NumberingConfig", "PolicyConfig", "Settings", "load_settings"]


Text = Annotated[Line, Field(min_length=1, max_length=200)]
Icon = Annotated[str, Field(max_length=40)]


class ConfigError(ValueError):
    """The configuration cannot be used; the message is meant for a person.

    ``problems`` lists ``(location, message)`` pairs, e.g.
    ``("services[2].prefix", "'B' is used twice")``.
    """

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CenterConfig(_Model):
    """The service center itself."""

    name: Text
    short_name: Text | None = None
    ward: Text | None = None  # the People's Committee it reports to (report title block)
    timezone: str = "Asia/Ho_Chi_Minh"
    language: str = "vi"
    second_language: str | None = None
    notice: Annotated[Lines, Field(max_length=2000)] = ""
    # The address citizens' phones reach (QR codes); unset: the address the kiosk used.
    public_url: str | None = None

    @field_validator("language", "second_language")
    @classmethod
    def _known_language(cls, value: str | None) -> str | None:
        """A language with a catalogue or a language pack (docs/languages.md)."""
        if value is None:
            return None
        try:
            known = available_languages()
        except LanguagePackError as exc:
            raise ValueError(str(exc)) from None
        if value not in known:
            raise ValueError(
                f"no language pack {value!r} (known: {', '.join(known)}; docs/languages.md)"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class ServiceConfig(_Model):
    """A field of procedures (lĩnh vực) with its own ticket prefix."""

    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,20}$")]
    prefix: str
    name: Text
    labels: dict[str, Text] = Field(default_factory=dict)
    icon: Icon | None = None
    helpdesk: bool = False
    default_service_s: int = Field(300, ge=10, le=7200)
    active: bool = True  # inactive: kept for history, no new tickets
    results: bool = False  # the "receive results" service (Nhận kết quả): at most one
    result_days: int | None = Field(None, ge=0, le=MAX_DAYS)  # None: [results] default_days

    @field_validator("prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if not (1 <= len(value) <= 2 and value.isascii() and value.isalpha() and value.isupper()):
            raise ValueError(f"must be one or two capital letters (got {value!r})")
        if problem := digit_like_problem(value):
            raise ValueError(problem)
        return value


class CounterConfig(_Model):
    """A counter (quầy) and the services it serves, in order of preference."""

    number: int = Field(ge=1, le=999)
    name: Text
    services: list[str] = Field(min_length=1)
    active: bool = True


class PriorityConfig(_Model):
    """A priority category; ``emergency`` ones always go first."""

    code: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,30}$")]
    name: Text
    labels: dict[str, Text] = Field(default_factory=dict)
    weight: float = Field(ge=0, le=100)
    emergency: bool = False
    icon: Icon | None = None
    kiosk: bool = True
    active: bool = True


class DatabaseConfig(_Model):
    """Where tickets are kept. Empty URL: a SQLite file in the data directory.

    ``busy_timeout_ms``: how long a write waits for SQLite's write lock (held by another
    process) before the request is answered 503 with ``Retry-After``.
    """

    url: str = ""
    busy_timeout_ms: int = Field(5000, ge=50, le=60_000)


MIN_CLUSTER_SECRET = 32  # characters of [api] secret_key in cluster mode


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


class Settings(_Model):
    """Everything read from one TOML file."""

    center: CenterConfig
    database: DatabaseConfig = DatabaseConfig()
    data_dir: str = "var"
    numbering: NumberingConfig = NumberingConfig()
    policy: PolicyConfig = PolicyConfig()
    services: list[ServiceConfig] = Field(min_length=1)
    counters: list[CounterConfig] = Field(min_length=1)
    priorities: list[PriorityConfig] = Field(default_factory=list)
    api: ApiConfig = ApiConfig()
    server: ServerConfig = Field(default_factory=ServerConfig)
    cluster: ClusterConfig = Field(default_factory=ClusterConfig)
    kiosks: list[KioskConfig] = Field(default_factory=list)
    led: LedConfig = Field(default_factory=LedConfig)
    voice: VoiceConfig = Field(default_factory=VoiceConfig)
    devices: DevicesConfig = Field(default_factory=DevicesConfig)
    screens: ScreensConfig = Field(default_factory=ScreensConfig)
    ratings: RatingsConfig = Field(default_factory=RatingsConfig)
    assists: AssistsConfig = Field(default_factory=AssistsConfig)
    feedback: FeedbackConfig = Field(default_factory=FeedbackConfig)
    results: ResultsConfig = Field(default_factory=ResultsConfig)
    assistance: AssistanceConfig = Field(default_factory=AssistanceConfig)
    appointments: AppointmentsConfig = Field(default_factory=AppointmentsConfig)
    archive: ArchiveConfig = Field(default_factory=ArchiveConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    maintenance: MaintenanceConfig = Field(default_factory=MaintenanceConfig)
    paper: PaperConfig = Field(default_factory=PaperConfig)
    clock: ClockConfig = Field(default_factory=ClockConfig)
    source: str = Field("", exclude=True)

    @model_validator(mode="after")
    def _references(self) -> Settings:
        _unique("services", "code", [s.code for s in self.services])
        _unique("services", "prefix", [s.prefix for s in self.services])
        if clash := look_alike_problem([s.prefix for s in self.services]):
            raise ValueError(clash)
        _unique("counters", "number", [c.number for c in self.counters])
        _unique("priorities", "code", [p.code for p in self.priorities])
        _unique("kiosks", "name", [k.name for k in self.kiosks])
        flagged = [index for index, s in enumerate(self.services) if s.results]
        if len(flagged) > 1:
            raise ValueError(f"services[{flagged[1]}].results: only one service receives results")
        if self.archive.keep_days < self.ratings.track_window_days:
            raise ValueError(
                f"archive.keep_days: must be at least ratings.track_window_days "
                f"({self.ratings.track_window_days}): a citizen may rate from the tracking "
                f"page until then"
            )
        if self.cluster.redis_url and not self.database_url().startswith("postgresql"):
            raise ValueError(
                "cluster.redis_url: cluster mode needs a PostgreSQL database "
                '([database] url = "postgresql://…"); SQLite serves one machine only'
            )
        if self.cluster.redis_url and len(self.api.secret_key) < MIN_CLUSTER_SECRET:
            raise ValueError(
                f"api.secret_key: cluster mode needs the same secret key, at least "
                f"{MIN_CLUSTER_SECRET} characters, in every server's configuration (each "
                f"data directory would keep a key of its own, and a sign-in made on one "
                f"server would not be accepted by the others)"
            )
        numbers = {c.number for c in self.counters}
        for index, board in enumerate(self.led.boards):
            if board.counter not in numbers:
                raise ValueError(f"led.boards[{index}].counter: no counter {board.counter}")
        known = {s.code for s in self.services}
        for index, counter in enumerate(self.counters):
            for code in counter.services:
                if code not in known:
                    raise ValueError(
                        f"counters[{index}].services: unknown service {code!r} "
                        f"(known: {', '.join(sorted(known))})"
                    )
        for index, entry in enumerate(self.appointments.services):
            if entry.service not in known:
                raise ValueError(
                    f"appointments.services[{index}].service: unknown service {entry.service!r}"
                )
        return self

    @model_validator(mode="after")
    def _paper_numbers(self) -> Settings:
        """No normal ticket number may look like a paper one (docs/outages.md)."""
        clash = colliding_prefixes(self.paper.marker, [s.prefix for s in self.services])
        if clash:
            raise ValueError(
                f"paper.marker: {self.paper.marker!r} + a service prefix gives the prefix "
                f"{clash[0]!r} of another service; paper and printed numbers would collide"
            )
        return self

    @model_validator(mode="after")
    def _assistance_kinds(self) -> Settings:
        """Each reason for help given in the file leads to a kind of help that exists
        (with the default reasons, a kind not configured falls back at closing time)."""
        if "assistance" not in self.model_fields_set:
            return self
        kinds = {kind.code for kind in self.assists.kinds}
        for index, reason in enumerate(self.assistance.reasons):
            if reason.help_kind not in kinds:
                raise ValueError(
                    f"assistance.reasons[{index}].help_kind: no kind {reason.help_kind!r} "
                    f"in [assists] (known: {', '.join(sorted(kinds))})"
                )
        return self

    def section(self, key: str) -> Any:
        """One section as plain JSON data, e.g. ``"services"`` or ``"led.boards"``."""
        data: Any = self.model_dump(mode="json")
        for part in key.split("."):
            data = data[part]
        return data

    def with_sections(self, changes: Mapping[str, Any]) -> Settings:
        """These settings with whole sections replaced, validated as a whole.

        Raises :class:`ConfigError` naming the field as a file error would.
        """
        data: Any = self.model_dump(mode="json")
        for key, value in changes.items():
            *parents, last = key.split(".")
            target = data
            for part in parents:
                target = target[part]
            target[last] = value
        new = parse_settings(data, ADMIN_SOURCE)
        return new.model_copy(update={"data_dir": self.data_dir, "source": self.source})

    @property
    def speaker_plays(self) -> bool:
        """This machine's loudspeaker plays the calls (``[devices] speaker = "command"``):
        the hall displays then stay silent, so exactly one of them plays (docs/voice.md)."""
        return self.voice.enabled and self.devices.speaker == "command"

    @property
    def cluster_mode(self) -> bool:
        """Several processes share the database and meet through Redis."""
        return bool(self.cluster.redis_url)

    def database_url(self) -> str:
        """The SQLAlchemy URL, defaulting to ``<data_dir>/xephang.db``."""
        if self.database.url:
            return self.database.url
        return f"sqlite:///{Path(self.data_dir) / 'xephang.db'}"


def _unique(section: str, key: str, values: list[Any]) -> None:
    seen: set[Any] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise ValueError(f"{section}[{index}].{key}: {value!r} is used twice")
        seen.add(value)


ADMIN_SOURCE = "<admin>"
_LOCATED = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*): (.+)$", re.S)


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _problem(loc: tuple[int | str, ...], message: str) -> tuple[str, str]:
    """``(location, message)``; a check of the whole file names its own location."""
    where = _location(loc)
    message = message.removeprefix("Value error, ")
    if found := _LOCATED.match(message):
        inner, message = found.groups()
        where = inner if not loc else f"{where}.{inner}"
    return where, message


LANGUAGES_FOLDER = "languages"


def _absolute(folder: Path, base: Path) -> Path:
    return folder if folder.is_absolute() else (base / folder).resolve()


def parse_settings(data: dict[str, Any], source: str = "<config>") -> Settings:
    """Validate ``data``; raise :class:`ConfigError` naming file, key and problem."""
    refused = [(where, NOT_ALLOWED) for where in bad_strings(data)]
    if refused:
        lines = [f"{source}: {where}: {message}" for where, message in refused]
        raise ConfigError("\n".join(lines), refused)
    base = Path(source).parent if source and not source.startswith("<") else Path.cwd()
    raw_dir = data.get("data_dir", "var") if isinstance(data, dict) else "var"
    if isinstance(raw_dir, str):  # the center's own language packs (docs/languages.md)
        set_center_dir(_absolute(Path(raw_dir), base) / LANGUAGES_FOLDER)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(tuple(error["loc"]), error["msg"]) for error in exc.errors()]
        lines = [f"{source}: {where}: {message}" for where, message in problems]
        raise ConfigError("\n".join(lines), problems) from None
    data_dir = _absolute(Path(settings.data_dir), base)
    return settings.model_copy(update={"data_dir": str(data_dir), "source": source})


def load_settings(path: str | Path) -> Settings:
    """Read and validate a TOML configuration file."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read the configuration file ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{file}: the file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from None
    return parse_settings(data, str(file))

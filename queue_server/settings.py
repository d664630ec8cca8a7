"""Center configuration: TOML on disk, validated by pydantic as a whole.

The sections are models of their own (the center and its services, counters and
priorities in :mod:`queue_server.core.center_config`; the database, API, server,
cluster, devices and kiosks in :mod:`queue_server.installation_config`; the others
beside the parts they configure); here they are put together, checked against each
other, and read from a file. Errors name the file, the key and the problem, e.g.::

    config/demo.toml: services[2].prefix: must be one or two capital letters (got 'a1')
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from queue_server.core.appointment_config import AppointmentsConfig
from queue_server.core.assist_config import AssistsConfig
from queue_server.core.assistance_config import AssistanceConfig
from queue_server.core.center_config import (
    LANGUAGES_CONTEXT,
    CenterConfig,
    CounterConfig,
    PriorityConfig,
    ServiceConfig,
)
from queue_server.core.clock_config import ClockConfig
from queue_server.core.feedback_config import FeedbackConfig
from queue_server.core.options import NumberingConfig, PolicyConfig
from queue_server.core.paper_config import PaperConfig, colliding_prefixes
from queue_server.core.prefix_shapes import look_alike_problem
from queue_server.core.rating_config import RatingsConfig
from queue_server.core.result_config import ResultsConfig
from queue_server.core.retention import ArchiveConfig, MaintenanceConfig, PrivacyConfig
from queue_server.core.text import NOT_ALLOWED, bad_strings
from queue_server.installation_config import (
    MIN_CLUSTER_SECRET,
    ApiConfig,
    ClusterConfig,
    DatabaseConfig,
    DevicesConfig,
    KioskConfig,
    ServerConfig,
)
from xephang.devices.audio.config import VoiceConfig
from xephang.devices.led.config import LedConfig
from xephang.display.config import ScreensConfig
from xephang.langpack import set_center_dir

__all__ = ["ConfigError", "NumberingConfig", "PolicyConfig", "Settings", "load_settings"]


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
    # The center's own language packs (docs/languages.md): the file's languages are
    # checked against them, and they are put in use only once the whole file is valid.
    folder = _absolute(Path(raw_dir), base) / LANGUAGES_FOLDER if isinstance(raw_dir, str) else None
    try:
        settings = Settings.model_validate(
            data, context={LANGUAGES_CONTEXT: folder} if folder is not None else None
        )
    except ValidationError as exc:
        problems = [_problem(tuple(error["loc"]), error["msg"]) for error in exc.errors()]
        lines = [f"{source}: {where}: {message}" for where, message in problems]
        raise ConfigError("\n".join(lines), problems) from None
    if folder is not None:
        set_center_dir(folder)
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

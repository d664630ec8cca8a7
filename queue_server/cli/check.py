"""``xephang check``: the mode a configuration runs in, and whether its servers answer.

Embedded mode is one server process on SQLite (or PostgreSQL); cluster mode
(``[cluster] redis_url``) is several processes on PostgreSQL that meet through Redis.
The command reads the file, names the mode and who plays the calls aloud (the hall
displays or this machine's loudspeaker: never both), and asks the database (and Redis,
in cluster mode) for its version, waiting ``--timeout`` seconds for each. It exits 1 when
one does not answer, 2 when the file is not valid. It changes nothing: a missing SQLite
file is reported, not created. It warns (without failing) when two services' prefixes
sound alike in the configured voice packs.
"""

from __future__ import annotations

import math
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import click

from queue_server.cli.context import DEMO_CONFIG, config_option, fail, handles_errors, load
from queue_server.i18n import _
from queue_server.settings import Settings

DEFAULT_TIMEOUT_S = 2.0


@dataclass(frozen=True, slots=True)
class Answer:
    """What one server said: a line for the person, and whether it answered."""

    name: str
    ok: bool
    line: str


def mode_words(settings: Settings) -> str:
    """The mode the settings run in, in words."""
    if settings.cluster_mode:
        return _("cluster: PostgreSQL + Redis")
    if settings.database_url().startswith("postgresql"):
        return _("embedded: PostgreSQL, one process")
    return _("embedded: SQLite, one process")


def speaker_words(settings: Settings) -> tuple[str, bool]:
    """Who plays the calls aloud, in words, and whether that is a problem."""
    if not settings.voice.enabled:
        return _("Calls: not spoken (voice turned off)."), True
    if settings.speaker_plays:
        program = settings.devices.speaker_command[0]
        if shutil.which(program) is None:
            return _("Calls: {program} is not installed: nobody plays them.").format(
                program=program
            ), False
        return _(
            "Calls: played here with {program}, one at a time; the hall displays stay silent."
        ).format(program=program), True
    if not settings.screens.announce:
        return _(
            "Calls: nobody plays them ([screens] announce = false, "
            '[devices] speaker = "{speaker}").'
        ).format(speaker=settings.devices.speaker), False
    return _("Calls: played by the hall displays."), True


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _no_answer(name: str, where: str, timeout_s: float, exc: BaseException) -> Answer:
    line = _("{name} {where}: no answer within {seconds} s ({reason}).").format(
        name=name, where=where, seconds=f"{timeout_s:g}", reason=_first_line(exc)
    )
    return Answer(name, False, line)


def _answers(name: str, where: str, version: str) -> Answer:
    line = _("{name} {where}: answers (version {version}).").format(
        name=name, where=where, version=version
    )
    return Answer(name, True, line)


def ask_postgresql(url: str, timeout_s: float) -> Answer:
    """Connect to the PostgreSQL server of ``url`` and ask its version."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    where = parsed.render_as_string(hide_password=True)
    dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(dsn, connect_timeout=math.ceil(timeout_s)) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except psycopg.Error as exc:
        return _no_answer("PostgreSQL", where, timeout_s, exc)
    return _answers("PostgreSQL", where, str(row[0] if row else "?"))


def ask_sqlite(path: Path) -> Answer:
    """Open the SQLite file read-only (never creating it) and read its schema."""
    if not path.exists():
        line = _("SQLite {where}: missing; `xephang init` creates it.").format(where=path)
        return Answer("SQLite", False, line)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        line = _("SQLite {where}: cannot be read ({reason}).").format(
            where=path, reason=_first_line(exc)
        )
        return Answer("SQLite", False, line)
    return _answers("SQLite", str(path), sqlite3.sqlite_version)


def ask_redis(url: str, timeout_s: float) -> Answer:
    """Ask the Redis server of ``url`` its version."""
    from queue_server.cluster.redis_link import FAILURES, hide_password, redis_version

    where = hide_password(url)
    try:
        version = redis_version(url, timeout_s)
    except FAILURES as exc:
        return _no_answer("Redis", where, timeout_s, exc)
    return _answers("Redis", where, version)


def alike_prefix_warnings(settings: Settings) -> list[str]:
    """Warnings for service prefixes that the configured voice packs say alike."""
    from xephang.devices.audio.alike import alike_prefixes

    if not settings.voice.enabled:
        return []
    spoken = settings.voice.announcement
    packs = [settings.voice.pack]
    if spoken.second_language:
        packs.append(settings.voice.second_pack or f"{spoken.second_language}-espeak")
    prefixes = [s.prefix for s in settings.services if s.active]
    return [
        _(
            "Warning: prefixes {first} and {second} sound alike in voice pack {pack} "
            "({distance} apart): citizens may mishear the calls; change one prefix."
        ).format(first=pair.first, second=pair.second, pack=pack, distance=pair.distance)
        for pack in packs
        for pair in alike_prefixes(pack, prefixes)
    ]


def ask_servers(settings: Settings, timeout_s: float) -> list[Answer]:
    """The database's answer, and Redis' in cluster mode."""
    from queue_server.core.db import sqlite_path

    url = settings.database_url()
    path = sqlite_path(url)
    answers = [ask_sqlite(path) if path is not None else ask_postgresql(url, timeout_s)]
    if settings.cluster_mode:
        answers.append(ask_redis(settings.cluster.redis_url, timeout_s))
    return answers


@click.command("check")
@click.option(
    "--timeout",
    "timeout_s",
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    type=click.FloatRange(0.1, 60),
    help="Seconds to wait for each server.",
)
@config_option
@handles_errors
def check(timeout_s: float, config_path: Path | None) -> None:
    """Check the configuration: its mode, who plays the calls, database, Redis, and
    prefixes that sound alike."""
    settings = load(config_path)
    click.echo(_("Configuration {path}: valid.").format(path=config_path or DEMO_CONFIG))
    for warning in alike_prefix_warnings(settings):
        click.secho(warning, fg="yellow")
    click.echo(_("Mode: {mode}.").format(mode=mode_words(settings)))
    speaker_line, speaker_ok = speaker_words(settings)
    click.secho(speaker_line, fg=None if speaker_ok else "yellow")
    answers = ask_servers(settings, timeout_s)
    for answer in answers:
        click.secho(answer.line, fg=None if answer.ok else "red")
    silent = [answer.name for answer in answers if not answer.ok]
    if silent:
        fail(_("Not ready: {names}.").format(names=", ".join(silent)))

"""The defaults and the limits docs/configuration.md gives, read from a real file.

A file with only the required keys must give every default the tables list, and each
documented limit must be refused, with a message naming the file and the key, just past
its edge (and accepted on it).
"""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from queue_server.settings import ConfigError, load_settings

from .test_settings import VALID, write

MINIMAL = VALID  # the required keys only


def test_a_file_with_only_the_required_keys_gets_the_documented_defaults(
    tmp_path: Path,
) -> None:
    s = load_settings(write(tmp_path, MINIMAL))
    assert Path(s.data_dir) == tmp_path / "var"  # relative to the file
    center = s.center
    assert (center.timezone, center.language, center.second_language) == (
        "Asia/Ho_Chi_Minh",
        "vi",
        None,
    )
    assert (center.notice, center.public_url, center.ward) == ("", None, None)
    assert (s.database.url, s.database.busy_timeout_ms) == ("", 5000)
    assert s.database_url() == f"sqlite:///{tmp_path / 'var' / 'xephang.db'}"
    numbering = s.numbering
    assert (numbering.width, numbering.first, numbering.last, numbering.site) == (3, 1, 999, None)
    paper = s.paper
    assert (paper.marker, paper.width, paper.max_print, paper.max_age_days) == ("P", 3, 500, 31)
    assert s.policy.max_consecutive_priority == 3
    service = s.services[0]
    assert (service.labels, service.icon, service.helpdesk, service.default_service_s) == (
        {},
        None,
        False,
        300,
    )
    assert (service.active, service.results, service.result_days) == (True, False, None)
    assert s.counters[0].active is True
    assert s.priorities == []
    results = s.results
    assert (results.default_days, results.holidays) == (3, ())
    assert results.bring == "Giấy hẹn này và căn cước (CCCD) của người nộp hồ sơ"
    assert [r.code for r in results.reasons] == [
        "verification",
        "other_agency",
        "supplement",
        "overload",
        "other",
    ]
    assert [k.code for k in s.assists.kinds] == [
        "guidance",
        "forms",
        "online_account",
        "online_submit",
        "online_payment",
        "read_write",
        "interpreting",
        "carry_dossier",
        "other",
    ]
    feedback = s.feedback
    assert (feedback.due_days, feedback.working_weekdays, feedback.max_chars) == (
        15,
        (0, 1, 2, 3, 4),
        1000,
    )
    assert (feedback.per_ticket, feedback.phone_keep_days, feedback.rating_kind) == (
        3,
        30,
        "feedback",
    )
    assert [k.code for k in feedback.kinds] == ["feedback", "complaint", "suggestion"]
    assistance = s.assistance
    assert assistance.kiosk_reason == "general"
    assert [(r.code, r.help_kind, r.manager) for r in assistance.reasons] == [
        ("general", "guidance", False),
        ("wheelchair", "other", False),
        ("sign_language", "read_write", False),
        ("interpreter", "interpreting", False),
        ("forms", "forms", False),
        ("upset", "guidance", True),
    ]
    slots = s.appointments
    assert slots.enabled is True
    assert (slots.opens, slots.lunch_start, slots.lunch_end, slots.closes) == (
        time(7, 30),
        time(11, 30),
        time(13, 30),
        time(17, 0),
    )
    assert (slots.slot_minutes, slots.capacity, slots.grace_minutes, slots.days_ahead) == (
        30,
        2,
        15,
        30,
    )
    assert (slots.closed_weekdays, slots.holidays, slots.public_rate_per_minute) == ((7,), (), 5)
    assert slots.default_bring == "Căn cước công dân và giấy tờ liên quan đến thủ tục."
    ratings = s.ratings
    assert (ratings.timeout_s, ratings.thanks_s, ratings.counter_window_s) == (30, 5, 600)
    assert (ratings.track_window_days, ratings.officer_min_count) == (7, 5)
    assert (ratings.track_rate_per_minute, ratings.track_refresh_s) == (10, 15)
    assert ratings.reason_codes() == (
        "long_wait",
        "attitude",
        "unclear_guidance",
        "complex_procedure",
        "come_back",
        "facilities",
    )
    server = s.server
    assert (server.max_connections, server.max_connections_per_address) == (4000, 64)
    assert (server.header_timeout_s, server.socket_join_timeout_s) == (5, 5)
    assert server.trusted_proxies == ()
    assert s.cluster.redis_url == "" and not s.cluster_mode
    devices = s.devices
    assert (devices.worker, devices.speaker, devices.lease_s) == ("embedded", "none", 15)
    assert devices.speaker_command == ("aplay", "-q")
    assert s.archive.keep_days == 7
    assert (s.privacy.contact_days, s.privacy.visit_days) == (30, 30)
    assert (s.maintenance.enabled, s.maintenance.hour) == (True, 2)
    clock = s.clock
    assert (clock.enabled, clock.back_tolerance_s, clock.forward_days) == (True, 120, 10)
    api = s.api
    assert (api.issue_rate_per_minute, api.max_body_bytes, api.secret_key) == (30, 65536, "")
    assert (api.session_hours, api.token_cache_s, api.socket_check_s) == (12, 5, 5)


# (section and key, the documented edge that is accepted, the value just past it)
LIMITS = [
    ("database", "busy_timeout_ms", 50, 49),
    ("database", "busy_timeout_ms", 60000, 60001),
    ("results", "default_days", 90, 91),
    ("feedback", "due_days", 90, 91),
    ("feedback", "due_days", 1, 0),
    ("feedback", "max_chars", 50, 49),
    ("feedback", "max_chars", 5000, 5001),
    ("feedback", "per_ticket", 20, 21),
    ("feedback", "phone_keep_days", 365, 366),
    ("appointments", "slot_minutes", 5, 4),
    ("appointments", "slot_minutes", 240, 241),
    ("ratings", "timeout_s", 3, 2),
    ("ratings", "timeout_s", 600, 601),
    ("ratings", "thanks_s", 60, 61),
    ("ratings", "counter_window_s", 30, 29),
    ("ratings", "counter_window_s", 86400, 86401),
    ("server", "max_connections", 10, 9),
    ("server", "max_connections", 100000, 100001),
    ("devices", "lease_s", 0.3, 0.2),
    ("devices", "lease_s", 600, 601),
    ("archive", "keep_days", 3650, 3651),
    ("privacy", "contact_days", 365, 366),
    ("privacy", "visit_days", 1, 0),
    ("maintenance", "hour", 23, 24),
    ("maintenance", "hour", 0, -1),
    ("clock", "back_tolerance_s", 86400, 86401),
    ("clock", "forward_days", 1, 0),
    ("clock", "forward_days", 3650, 3651),
]


@pytest.mark.parametrize(
    ("section", "key", "edge", "past"), LIMITS, ids=[f"{s}.{k}={p}" for s, k, _e, p in LIMITS]
)
def test_documented_limits(
    tmp_path: Path, section: str, key: str, edge: float, past: float
) -> None:
    on_edge = load_settings(write(tmp_path, f"{MINIMAL}\n[{section}]\n{key} = {edge}\n"))
    assert getattr(getattr(on_edge, section), key) == edge
    path = write(tmp_path, f"{MINIMAL}\n[{section}]\n{key} = {past}\n")
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    assert str(refused.value).startswith(f"{path}: {section}.{key}: ")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('[feedback]\nrating_kind = "praise"\n', "feedback.rating_kind: 'praise' is not one"),
        (
            '[[appointments.services]]\nservice = "XX"\ncapacity = 1\n',
            "appointments.services[0].service: unknown service 'XX'",
        ),
        (
            "[appointments]\nopens = 07:30:00\nlunch_start = 13:30:00\nlunch_end = 11:30:00\n",
            "appointments: opens, lunch_start, lunch_end, closes: must be in this order",
        ),
        ('[numbering]\nsite = "l1"\n', "numbering.site: "),
        ('[numbering]\nsite = "L123"\n', "numbering.site: "),
        ('[paper]\nmarker = "P1"\n', "paper.marker: must be one or two capital letters"),
        (
            '[paper]\nmarker = "P"\n\n[[services]]\ncode = "X"\nprefix = "PB"\nname = "X"\n',
            "paper.marker: 'P' + a service prefix gives the prefix 'PB' of another service",
        ),
        ('[cluster]\nredis_url = "http://db.lan:6379"\n', "cluster.redis_url: "),
        (
            '[cluster]\nredis_url = "redis://db.lan:6379/0"\n',
            "cluster.redis_url: cluster mode needs a PostgreSQL database",
        ),
        ('[devices]\nworker = "remote"\n', "devices.worker: "),
        ('[devices]\nspeaker = "alsa"\n', "devices.speaker: "),
    ],
)
def test_documented_refusals(tmp_path: Path, extra: str, expected: str) -> None:
    path = write(tmp_path, f"{MINIMAL}\n{extra}")
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    assert f"{path}: {expected}" in str(refused.value)


def test_line_breaks_only_in_the_notice(tmp_path: Path) -> None:
    notice = MINIMAL.replace(
        'name = "Trung tâm thử"', 'name = "Trung tâm thử"\nnotice = "Một\\nHai"'
    )
    assert load_settings(write(tmp_path, notice)).center.notice == "Một\nHai"
    path = write(tmp_path, MINIMAL.replace('"Trung tâm thử"', '"Trung tâm\\nthử"'))
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    assert f"{path}: center.name: " in str(refused.value)


def test_the_services_prefix_combination_in_the_demo_passes(tmp_path: Path) -> None:
    """'The demo's prefixes A B C D E G H K N pass' (E and G, C and G are kept)."""
    services = "".join(
        f'\n[[services]]\ncode = "S{p}"\nprefix = "{p}"\nname = "Lĩnh vực {p}"\n'
        for p in "ACDEGHKN"
    )
    assert len(load_settings(write(tmp_path, MINIMAL + services)).services) == 9

"""Configuration errors name the file, the key and the problem."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from queue_server.settings import (
    LANGUAGES_FOLDER,
    ConfigError,
    Settings,
    load_settings,
    parse_settings,
)
from xephang.langpack import search_dirs

VALID = """
[center]
name = "Trung tâm thử"

[[services]]
code = "HT"
prefix = "B"
name = "Hộ tịch"

[[counters]]
number = 1
name = "Quầy 1"
services = ["HT"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "center.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_config_is_valid(demo_settings) -> None:
    assert len(demo_settings.services) >= 8
    assert len(demo_settings.counters) == 6
    assert demo_settings.center.timezone == "Asia/Ho_Chi_Minh"
    assert any(p.emergency for p in demo_settings.priorities)
    helpdesk = [s.code for s in demo_settings.services if s.helpdesk]
    assert demo_settings.counters[0].services[0] in helpdesk


def test_minimal_config_and_defaults(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, VALID))
    assert settings.numbering.width == 3
    assert settings.database_url().endswith("/var/xephang.db")
    assert Path(settings.data_dir) == tmp_path / "var"


def test_text_is_nfc_normalised(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Hộ tịch")
    assert decomposed != "Hộ tịch"
    settings = load_settings(write(tmp_path, VALID.replace("Hộ tịch", decomposed)))
    assert settings.services[0].name == "Hộ tịch"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('prefix = "B"', 'prefix = "b1"'), "services[0].prefix: must be one or two capital"),
        (('services = ["HT"]', 'services = ["XX"]'), "counters[0].services: unknown service 'XX'"),
        (('name = "Trung tâm thử"', 'name = "T"\ntimezone = "Mars/Base"'), "center.timezone"),
        (("number = 1", 'number = "một"'), "counters[0].number"),
        (("[center]", "[centre]"), "center: Field required"),
        (('code = "HT"', 'code = "HT"\ncolour = "red"'), "services[0].colour: Extra inputs"),
    ],
)
def test_errors_name_file_key_and_problem(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    path = write(tmp_path, VALID.replace(*change))
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert str(path) in message
    assert expected in message


def test_duplicate_codes_are_refused(tmp_path: Path) -> None:
    text = VALID + '\n[[services]]\ncode = "HT"\nprefix = "C"\nname = "Khác"\n'
    with pytest.raises(ConfigError, match=r"services\[1\]\.code: 'HT' is used twice"):
        load_settings(write(tmp_path, text))


def test_unreadable_and_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[center\nname="))


def test_numbering_must_fit_width(tmp_path: Path) -> None:
    text = VALID + "\n[numbering]\nwidth = 2\nlast = 999\n"
    with pytest.raises(ConfigError, match=r"numbering: .*does not fit in width 2"):
        load_settings(write(tmp_path, text))


def test_archive_keeps_tickets_as_long_as_they_can_be_rated(tmp_path: Path) -> None:
    text = VALID + "\n[archive]\nkeep_days = 3\n\n[ratings]\ntrack_window_days = 5\n"
    with pytest.raises(ConfigError, match=r"archive.keep_days: must be at least .*\(5\)"):
        load_settings(write(tmp_path, text))
    fits = VALID + "\n[archive]\nkeep_days = 5\n\n[ratings]\ntrack_window_days = 5\n"
    assert load_settings(write(tmp_path, fits)).archive.keep_days == 5


def test_kinds_of_help_default_to_the_plans_and_can_be_replaced(tmp_path: Path) -> None:
    default = load_settings(write(tmp_path, VALID)).assists
    assert [k.code for k in default.kinds][:3] == ["guidance", "forms", "online_account"]
    assert default.kinds[0].name == "Hướng dẫn thủ tục"
    assert default.kinds[0].label("en") == "Guidance on a procedure"
    assert default.kinds[0].label("fr") == "Hướng dẫn thủ tục"
    own = """
[[assists.kinds]]
code = "home"
name = "Hỗ trợ tại nhà"

[[assists.kinds]]
code = "old"
name = "Cũ"
active = false
"""
    settings = load_settings(write(tmp_path, VALID + own))
    assert [k.code for k in settings.assists.kinds] == ["home", "old"]
    assert [k.code for k in settings.assists.active_kinds()] == ["home"]


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (
            '[[assists.kinds]]\ncode = "a"\nname = "A"\n' * 2,
            r"assists.kinds\[1\].code: 'a' is used",
        ),
        ('[[assists.kinds]]\ncode = "Có dấu"\nname = "A"\n', r"assists.kinds\[0\].code"),
        ('[[assists.kinds]]\ncode = "a"\nname = ""\n', r"assists.kinds\[0\].name"),
        ("[assists]\nkinds = []\n", r"assists.kinds: .*at least 1 item"),
    ],
)
def test_bad_kinds_of_help_are_refused(tmp_path: Path, kinds: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_settings(write(tmp_path, VALID + "\n" + kinds))


def test_result_slips_configuration(tmp_path: Path, demo_settings: Settings) -> None:
    assert [s.code for s in demo_settings.services if s.results] == ["NKQ"]
    own = """
[results]
default_days = 5
holidays = ["2027-01-01"]
bring = "Giấy hẹn"

[[results.reasons]]
code = "late"
name = "Chậm"
"""
    settings = load_settings(write(tmp_path, VALID + own))
    assert settings.results.default_days == 5 and settings.results.reason("late") is not None
    assert not settings.results.is_working_day(date(2027, 1, 1))


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("[results]\ndefault_days = 91\n", r"results.default_days"),
        ('[results]\nholidays = ["1/1/2027"]\n', r"results.holidays\[0\]"),
        ("[results]\nreasons = []\n", r"results.reasons: .*at least 1 item"),
        (
            '[[results.reasons]]\ncode = "a"\nname = "A"\n' * 2,
            r"results.reasons\[1\].code: 'a' is used",
        ),
    ],
)
def test_bad_result_settings_are_refused(tmp_path: Path, extra: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_settings(write(tmp_path, VALID + "\n" + extra))


def test_a_refused_file_leaves_the_language_packs_folder_alone(tmp_path: Path) -> None:
    """The center's language-pack folder is put in use only once the whole file is valid:
    a file with an unknown second language changes nothing."""
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    load_settings(write(good, VALID))
    before = search_dirs()
    assert before[0] == (good / "var" / LANGUAGES_FOLDER).resolve()
    unknown = VALID.replace('name = "Trung tâm thử"', 'name = "Thử"\nsecond_language = "xx"')
    with pytest.raises(ConfigError, match=r"center.second_language: no language pack 'xx'"):
        load_settings(write(bad, unknown))
    assert search_dirs() == before


def test_only_one_service_receives_results(demo_settings: Settings) -> None:
    data = demo_settings.model_dump(mode="json")
    for service in data["services"][:2]:
        service["results"] = True
    with pytest.raises(ConfigError, match=r"services\[1\].results: only one service"):
        parse_settings(data)


def test_reasons_for_help_default_to_the_plans_and_can_be_replaced(tmp_path: Path) -> None:
    default = load_settings(write(tmp_path, VALID)).assistance
    assert [r.code for r in default.reasons] == [
        "general",
        "wheelchair",
        "sign_language",
        "interpreter",
        "forms",
        "upset",
    ]
    upset = default.reason("upset")
    assert upset is not None and upset.manager and upset.help_kind == "guidance"
    assert default.kiosk_reason == "general"
    own = """
[assistance]
kiosk_reason = "any"

[[assistance.reasons]]
code = "any"
name = "Cần hỗ trợ"
help_kind = "forms"
"""
    settings = load_settings(write(tmp_path, VALID + own))
    assert [(r.code, r.help_kind) for r in settings.assistance.reasons] == [("any", "forms")]


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        (
            '[[assistance.reasons]]\ncode = "general"\nname = "A"\nhelp_kind = "nap"\n',
            r"assistance.reasons\[0\].help_kind: no kind 'nap'",
        ),
        (
            '[[assistance.reasons]]\ncode = "a"\nname = "A"\n' * 2,
            r"assistance.reasons\[1\].code: 'a' is used",
        ),
        ('[assistance]\nkiosk_reason = "nap"\n', r"kiosk_reason: no reason 'nap'"),
    ],
)
def test_bad_reasons_for_help_are_refused(tmp_path: Path, section: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_settings(write(tmp_path, VALID + "\n" + section))

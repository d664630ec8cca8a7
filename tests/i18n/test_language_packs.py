"""Language packs (docs/languages.md): the template, complete English, the example pack,
and a center adding a language of its own with ``xephang language …`` only."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner, Result

from queue_server.cli import main
from queue_server.i18n import set_language, translate
from queue_server.languages import check_language
from queue_server.settings import ConfigError, Settings, load_settings
from xephang import langpack
from xephang.display.public_texts import public_messages

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "config" / "demo.toml"


def test_the_shipped_template_lists_every_public_text() -> None:
    with langpack.TEMPLATE.open("rb") as handle:
        template = {m.id: m.auto_comments for m in read_po(handle) if m.id}
    wanted = public_messages()
    assert template == wanted, "run: xephang language template"
    assert "kiosk:choose_service" in wanted["Please choose a service"]
    assert wanted["YOUR NUMBER"] == ["ticket"]
    assert not any(where.startswith("officer:") for places in wanted.values() for where in places)


@pytest.mark.parametrize("code", ["en", "vi"])
def test_english_and_vietnamese_are_complete(code: str) -> None:
    report = check_language(code)
    assert report.complete, (report.missing, report.problems)
    assert report.total == len(public_messages()) > 100


def test_the_english_pack_holds_every_text_as_itself() -> None:
    pack = langpack.find_pack("en")
    assert pack is not None and pack.shipped and pack.info.name == "English"
    assert pack.messages() == {message: message for message in public_messages()}


def test_the_example_pack_is_labelled_and_falls_back_to_vietnamese() -> None:
    pack = langpack.find_pack("hmn")
    assert pack is not None and pack.info.status == "example"
    assert "native speaker" in pack.info.note
    assert langpack.language_name("hmn") == "Lus Hmoob"
    assert translate("Please choose a service", "hmn") == "Thov xaiv ib qho kev pab cuam"
    assert translate("Recent calls", "hmn") == translate("Recent calls", "vi") == "Số vừa gọi"
    report = check_language("hmn")
    assert 0 < report.translated < report.total and not report.problems
    assert "Recent calls" in report.missing


@pytest.fixture
def center(tmp_path: Path) -> Iterator[Path]:
    """A center's configuration with its data folder in ``tmp_path``."""
    text = DEMO.read_text(encoding="utf-8")
    text = text.replace('data_dir = "../var/demo"', f'data_dir = "{tmp_path / "data"}"')
    config = tmp_path / "center.toml"
    config.write_text(text, encoding="utf-8")
    yield config
    load_settings(DEMO)  # the demo's packs folder again
    set_language("vi")  # the commands set the process's language


def _run(config: Path, *args: str) -> Result:
    env = {"XEPHANG_LANG": "en", "XEPHANG_CONFIG": str(config)}
    return CliRunner().invoke(main, ["language", *args], env=env)


def _translate_all(po_file: Path, skip: str = "") -> None:
    with po_file.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and message.id != skip:
            message.string = f"«{message.id}»"  # stand-ins: placeholders kept
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    po_file.write_bytes(buffer.getvalue())


def test_a_center_adds_a_language_without_code(center: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no language pack 'sed'"):
        _with_second_language(center, "sed")
    made = _run(center, "new", "sed", "--name", "Xơ Đăng (thử)", "--name-vi", "Tiếng Xơ Đăng")
    assert made.exit_code == 0, made.output
    folder = tmp_path / "data" / "languages" / "sed"
    assert (folder / "language.toml").is_file() and (folder / "messages.po").is_file()

    untranslated = _run(center, "check", "sed")
    assert untranslated.exit_code == 1
    assert "kiosk:choose_service: Please choose a service" in untranslated.output
    assert f"sed: 0 of {len(public_messages())} texts translated" in untranslated.output

    _translate_all(folder / "messages.po", skip="Take a number")
    one_left = _run(center, "check", "sed")
    assert one_left.exit_code == 1
    assert one_left.output.splitlines()[0] == "kiosk:title: Take a number"
    _translate_all(folder / "messages.po")
    done = _run(center, "check", "sed")
    assert done.exit_code == 0, done.output

    listed = _run(center, "list")
    row = next(line for line in listed.output.splitlines() if line.startswith("sed "))
    assert "Xơ Đăng (thử)" in row and "draft" in row and str(folder) in row

    settings = _with_second_language(center, "sed")
    assert settings.center.second_language == "sed"
    assert translate("Please choose a service", "sed") == "«Please choose a service»"


def test_check_finds_a_lost_placeholder_and_update_adds_new_texts(center: Path) -> None:
    assert _run(center, "new", "tyz", "--name", "Tày").exit_code == 0
    po_file = langpack.find_pack("tyz").messages_file  # type: ignore[union-attr]
    _translate_all(po_file)
    text = po_file.read_text(encoding="utf-8")
    text = text.replace('"«People ahead of you: {count}»"', '"«People ahead of you»"')
    po_file.write_text(text, encoding="utf-8")
    lost = _run(center, "check", "tyz")
    assert lost.exit_code == 1 and "must keep {'count'}" in lost.output

    with po_file.open("rb") as handle:  # an older pack: one text the template has since added
        catalog = read_po(handle)
    del catalog["Scan to follow your turn"]
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    po_file.write_bytes(buffer.getvalue())
    updated = _run(center, "update", "tyz")
    assert updated.exit_code == 0 and "1 texts added" in updated.output
    assert "ticket: Scan to follow your turn" in _run(center, "check", "tyz").output


def test_bad_packs_and_codes_are_refused_readably(center: Path, tmp_path: Path) -> None:
    unknown = _run(center, "check", "xyz")
    assert unknown.exit_code == 2 and "no language pack xyz" in unknown.output
    assert _run(center, "new", "Not a code", "--name", "x").exit_code == 2
    broken = tmp_path / "data" / "languages" / "kdh"
    broken.mkdir(parents=True)
    (broken / "language.toml").write_text('code = "kdh"\nname = ""\n', encoding="utf-8")
    refused = _run(center, "check", "kdh")
    assert refused.exit_code == 2 and "language.toml: name" in refused.output
    with pytest.raises(ConfigError, match=r"language\.toml: name"):
        _with_second_language(center, "en")


def _with_second_language(config: Path, code: str) -> Settings:
    text = config.read_text(encoding="utf-8")
    changed = config.with_name("second.toml")
    changed.write_text(
        text.replace('second_language = "en"', f'second_language = "{code}"', 1), encoding="utf-8"
    )
    return load_settings(changed)

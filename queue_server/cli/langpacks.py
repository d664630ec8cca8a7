"""``xephang language …``: the language packs a center adds without code
(docs/languages.md)."""

from __future__ import annotations

from pathlib import Path

import click

from queue_server.cli.context import config_option, fail, handles_errors, load
from queue_server.cli.tables import render_table
from queue_server.i18n import LOCALE_DIR, _

CENTER_FOLDER = "languages"


def _center_folder(config_path: Path | None) -> Path:
    """``<data_dir>/languages`` of the configured center (also registers it); the packs
    are read afresh."""
    from xephang.langpack import forget

    forget()
    return Path(load(config_path).data_dir) / CENTER_FOLDER


@click.group()
def language() -> None:
    """Language packs: the public screens' and the ticket's texts in another language."""


@language.command("list")
@config_option
@handles_errors
def language_list(config_path: Path | None) -> None:
    """Every language the screens can show, with how much of it is translated."""
    from queue_server.languages import check_language
    from xephang.display.texts import LANGUAGE_NAMES
    from xephang.langpack import LanguagePackError, language_name, packs

    _center_folder(config_path)
    try:
        found = packs()
    except LanguagePackError as exc:
        fail(str(exc), code=2)
    codes = sorted({p.name for p in LOCALE_DIR.iterdir() if p.is_dir()} | set(found))
    rows = []
    for code in codes:
        pack = found.get(code)
        report = check_language(code)
        rows.append(
            [
                code,
                language_name(code, LANGUAGE_NAMES),
                pack.info.status if pack else _("built in"),
                f"{report.translated}/{report.total}",
                _("yes") if pack and pack.voice_dir else _("no"),
                str(pack.folder) if pack else str(LOCALE_DIR / code),
            ]
        )
    headers = [_("code"), _("name"), _("status"), _("translated"), _("voice"), _("folder")]
    click.echo(render_table(headers, rows))


@language.command("check")
@click.argument("code")
@config_option
@handles_errors
def language_check(code: str, config_path: Path | None) -> None:
    """List the public texts CODE does not translate yet; exit 1 if there is any."""
    from queue_server.languages import check_language
    from xephang.i18n import available_languages
    from xephang.langpack import LanguagePackError, find_pack

    _center_folder(config_path)
    try:
        find_pack(code)
    except LanguagePackError as exc:
        fail(str(exc), code=2)
    if code not in available_languages():
        fail(_("no language pack {code} (see: xephang language list)").format(code=code), code=2)
    report = check_language(code)
    for message, where in report.missing.items():
        click.echo(f"{', '.join(where)}: {message}")
    for problem in report.problems:
        click.echo(problem)
    click.echo(
        _("{code}: {translated} of {total} texts translated").format(
            code=code, translated=report.translated, total=report.total
        )
    )
    if not report.complete:
        raise SystemExit(1)


@language.command("template")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the template to this file instead.",
)
def language_template(out: Path | None) -> None:
    """Write the template of the public texts (default: the shipped messages.pot)."""
    from queue_server.languages import write_template
    from xephang.langpack import TEMPLATE

    click.echo(str(write_template(out or TEMPLATE)))


@language.command("new")
@click.argument("code")
@click.option("--name", required=True, help="The language's own name, as its speakers write it.")
@click.option("--name-vi", default="", help="Its name in Vietnamese, for the staff.")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of language packs. Default: <data_dir>/languages.",
)
@config_option
@handles_errors
def language_new(
    code: str, name: str, name_vi: str, folder: Path | None, config_path: Path | None
) -> None:
    """Start a pack for CODE in the center's data folder (or --dir) from the template."""
    from pydantic import ValidationError

    from queue_server.languages import new_pack
    from xephang.langpack import LanguagePackError, PackInfo

    target = folder or _center_folder(config_path)
    try:
        PackInfo(code=code, name=name, name_vi=name_vi)
        pack = new_pack(target, code, name, name_vi=name_vi)
    except ValidationError:
        fail(_("{code} is not a language code (2 or 3 small letters)").format(code=code), code=2)
    except LanguagePackError as exc:
        fail(str(exc), code=2)
    click.echo(
        _("Translate {file}, then: xephang language check {code}").format(
            file=pack.messages_file, code=code
        )
    )


@language.command("update")
@click.argument("code")
@config_option
@handles_errors
def language_update(code: str, config_path: Path | None) -> None:
    """Add the template's new texts to CODE's messages.po (translations are kept)."""
    from queue_server.languages import update_pack
    from xephang.langpack import LanguagePackError, find_pack

    _center_folder(config_path)
    try:
        pack = find_pack(code)
    except LanguagePackError as exc:
        fail(str(exc), code=2)
    if pack is None:
        fail(_("no language pack {code} (see: xephang language list)").format(code=code), code=2)
        return
    added, obsolete = update_pack(pack)
    click.echo(
        _("{file}: {added} texts added, {obsolete} no longer used").format(
            file=pack.messages_file, added=added, obsolete=obsolete
        )
    )

"""``xephang paper print``: an A4 PDF of paper tickets with cut lines, eight a page,
numbers that continue from one print to the next and that the PDF can be searched for;
the tickets' Vietnamese drawn with every diacritic."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from pypdf import PdfReader

from queue_server.cli.paper import paper
from queue_server.cli.paper_sheets import SheetTexts, _font, render_pages
from queue_server.i18n import use_language

from .test_cli import config, xephang  # noqa: F401

A4_POINTS = (595, 842)


def printed(runner: CliRunner, center: Path, out: Path, *options: str) -> Result:
    """``xephang paper print OPTIONS --out OUT`` with the center's file."""
    return runner.invoke(paper, ["print", *options, "--out", str(out), "--config", str(center)])


def test_paper_print_writes_numbered_a4_sheets_and_continues(
    config: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    first = tmp_path / "ht.pdf"
    done = xephang("paper", "print", "--service", "HT", "--count", "20", "--out", str(first),
                   config=config)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        f"Đã ghi 20 phiếu giấy PB001–PB020 lĩnh vực Hộ tịch vào {first}."
    )
    reader = PdfReader(first)
    assert len(reader.pages) == 3  # 8 + 8 + 4
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert [f"PB{n:03d}" for n in range(1, 21)] == sorted(text.split())
    assert reader.metadata is not None and reader.metadata.title == "Hộ tịch: PB001–PB020"

    second = tmp_path / "more.pdf"
    runner = CliRunner()
    with use_language("en"):
        more = printed(runner, config, second, "--service", "HT", "--count", "3")
        assert more.exit_code == 0, more.output
        assert "PB021–PB023" in more.output
        assert PdfReader(second).pages[0].extract_text().split() == ["PB021", "PB022", "PB023"]
        again = printed(runner, config, second, "--service", "HT", "--count", "1", "--start", "5")
        assert "PB005–PB005" in again.output
        unknown = printed(runner, config, second, "--service", "XX")
        assert unknown.exit_code == 1 and "XX" in unknown.output


def test_tickets_are_drawn_with_vietnamese_diacritics() -> None:
    with use_language("vi"):
        page = render_pages(["PB001"], SheetTexts("Phường Hòa Bình", "Hộ tịch"))[0]
    assert page.size == (1240, 1754)
    top_left = page.crop((40, 40, 620, 478))
    assert top_left.getextrema() == (0, 255)  # something printed in the first ticket
    assert page.crop((700, 200, 1100, 400)).getextrema() == (255, 255)  # no 2nd ticket
    # The font draws each accented letter with its marks (taller than the bare letter).
    font = _font("Bold", 40)
    for accented, bare in (("ộ", "o"), ("ị", "i"), ("ằ", "a"), ("Ỹ", "Y")):
        high = font.getbbox(accented)
        low = font.getbbox(bare)
        assert high[3] - high[1] > low[3] - low[1], accented
    assert font.getbbox("ư")[2] > font.getbbox("u")[2]  # the horn


def test_more_than_max_print_tickets_are_refused_and_nothing_is_written(
    config: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """docs/configuration.md, ``[paper] max_print`` (default 500): tickets in one print."""
    out = tmp_path / "many.pdf"
    runner = CliRunner()
    with use_language("vi"):
        refused = printed(runner, config, out, "--service", "HT", "--count", "501")
        assert refused.exit_code == 1, refused.output
        assert "Mỗi lần in từ 1 đến 500 phiếu giấy." in refused.output
        assert not out.exists()
        with config.open("a", encoding="utf-8") as file:
            file.write("\n[paper]\nmax_print = 4\n")
        fewer = printed(runner, config, out, "--service", "HT", "--count", "5")
        assert "Mỗi lần in từ 1 đến 4 phiếu giấy." in fewer.output and not out.exists()
        most = printed(runner, config, out, "--service", "HT", "--count", "4")
        assert most.exit_code == 0, most.output
        assert "PB001–PB004" in most.output

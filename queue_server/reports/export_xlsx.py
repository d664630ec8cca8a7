"""Excel export (openpyxl): one sheet per section, bold frozen header row.

The file is reproducible: the same report gives the same bytes (the document's dates
and the zip entries' times are the report's last day, or the nearest day a zip file
can hold), so the file downloaded from the web page and the one written by
``xephang report`` are identical, and a checksum shows that a report sent to the
chairman was not altered.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path

from queue_server.reports.export_csv import cell_text
from queue_server.reports.tables import Month, Table

SHEET_NAME_MAX = 31
FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})
CORE_PROPERTIES = "docProps/core.xml"
DOCUMENT_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
ZIP_FIRST, ZIP_LAST = datetime(1980, 1, 1), datetime(2107, 12, 31)  # times a zip entry holds


def sheet_name(title: str) -> str:
    """A valid Excel sheet name for ``title`` (no []:*?/\\, at most 31 characters)."""
    return title.translate(FORBIDDEN_IN_SHEET_NAMES)[:SHEET_NAME_MAX].strip()


def xlsx_bytes(tables: Sequence[Table], *, made_on: date) -> bytes:
    """The workbook of ``tables``, dated ``made_on`` (for the same tables, the same bytes)."""
    # Imported here: openpyxl would slow down every other ``xephang`` command.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(sheet_name(table.title))
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = bold
        rows = [[cell_text(c) if isinstance(c, date | Month) else c for c in r] for r in table.rows]
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(table.headers, start=1):
            widest = max([len(header), *(len(str(r[index - 1] or "")) for r in rows)])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, widest + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = min(max(datetime.combine(made_on, time()), ZIP_FIRST), ZIP_LAST)
    return _fixed_dates(buffer.getvalue(), stamp)


def _fixed_dates(data: bytes, stamp: datetime) -> bytes:
    """Rewrite the zip with ``stamp`` as every entry's time and the document's dates."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == CORE_PROPERTIES:
                content = DOCUMENT_DATES.sub(rb"\g<1>" + iso + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()


def write_xlsx(tables: Sequence[Table], path: Path, *, made_on: date | None = None) -> None:
    """Write ``tables`` to the workbook at ``path``, one sheet each."""
    path.write_bytes(xlsx_bytes(tables, made_on=made_on or date.today()))

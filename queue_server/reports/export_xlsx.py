"""Excel export (openpyxl): one sheet per section, bold frozen header row."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from queue_server.reports.tables import Table

SHEET_NAME_MAX = 31
FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(title: str) -> str:
    """A valid Excel sheet name for ``title`` (no []:*?/\\, at most 31 characters)."""
    return title.translate(FORBIDDEN_IN_SHEET_NAMES)[:SHEET_NAME_MAX].strip()


def write_xlsx(tables: Sequence[Table], path: Path) -> None:
    """Write ``tables`` to the workbook at ``path``, one sheet each."""
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
        for row in table.rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(table.headers, start=1):
            widest = max([len(header), *(len(str(r[index - 1] or "")) for r in table.rows)])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, widest + 2)
    workbook.save(path)

"""CSV export: one UTF-8 file with a byte-order mark (so Excel reads Vietnamese).

Layout: for each section a title row, a header row and the data rows; sections are
separated by one empty line. Numbers use a dot as decimal separator; empty cells are
durations that have no value (nobody called or served).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import TextIO

from queue_server.reports.tables import Cell, Table

BOM = "\ufeff"


def cell_text(value: Cell) -> str:
    """How a cell is written: whole floats without ``.0``, ``None`` as empty, days and
    months as ``2026-11-23`` and ``2026-11``."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(tables: Sequence[Table], stream: TextIO) -> None:
    """Write ``tables`` to ``stream`` (opened with ``newline=""``), BOM first."""
    stream.write(BOM)
    writer = csv.writer(stream, lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows([cell_text(cell) for cell in row] for row in table.rows)


def csv_bytes(tables: Sequence[Table]) -> bytes:
    """The CSV file's bytes (UTF-8 with BOM)."""
    buffer = io.StringIO(newline="")
    write_csv(tables, buffer)
    return buffer.getvalue().encode("utf-8")

"""A report as a file to download or write: the same bytes for the web page and the CLI."""

from __future__ import annotations

from collections.abc import Sequence

from queue_server.core.rating_config import DEFAULT_REASONS, ReasonConfig
from queue_server.reports.compute import Report
from queue_server.reports.export_csv import csv_bytes
from queue_server.reports.export_json import json_bytes
from queue_server.reports.export_xlsx import xlsx_bytes
from queue_server.reports.tables import report_tables

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FORMATS = tuple(MEDIA_TYPES)


def report_file(
    report: Report,
    center: str,
    fmt: str,
    reasons: Sequence[ReasonConfig] = DEFAULT_REASONS,
    *,
    ward: str | None = None,
) -> bytes:
    """The report's file in ``fmt`` (``csv``, ``xlsx`` or ``json``), headers and labels in
    the current language."""
    if fmt == "json":
        return json_bytes(report, center, ward)
    tables = report_tables(report, center, reasons)
    if fmt == "csv":
        return csv_bytes(tables)
    if fmt == "xlsx":
        return xlsx_bytes(tables, made_on=report.end)
    raise ValueError(f"unknown report format {fmt!r}")


def file_name(report: Report, fmt: str) -> str:
    """``bao-cao_2026-11-01_2026-11-30.xlsx`` (ASCII: every browser and USB stick; the
    same name whether the days were asked for as a month or as a range)."""
    return f"bao-cao_{report.start.isoformat()}_{report.end.isoformat()}.{fmt}"

"""Reports for the ward chairman: counts, waits, service times, vulnerable citizens served.

``compute_report`` reads the database once; ``report_tables`` turns the result into
translated tables; ``write_csv`` and ``write_xlsx`` export them. ``backup`` holds the
SQLite backup and restore used by ``xephang backup`` / ``xephang restore``.
"""

from queue_server.reports.compute import Report, compute_report
from queue_server.reports.export_csv import csv_bytes, write_csv
from queue_server.reports.export_xlsx import write_xlsx
from queue_server.reports.stats import Durations, nearest_rank, summarize
from queue_server.reports.tables import Table, report_tables
from queue_server.reports.tally import Tally

__all__ = [
    "Durations",
    "Report",
    "Table",
    "Tally",
    "compute_report",
    "csv_bytes",
    "nearest_rank",
    "report_tables",
    "summarize",
    "write_csv",
    "write_xlsx",
]

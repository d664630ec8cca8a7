"""The demo center's history: realistic past working days for ``xephang demo``.

Core-only (no Flask, no hardware): :mod:`.arrivals` plans who comes when,
:mod:`.history` plays it through the real queue operations under a frozen clock.
"""

DEFAULT_DAYS = 10  # working days of history in a new demo database
DEFAULT_SEED = 2026  # the same seed and days play the same history

"""The demo center's history: realistic past working days for ``xephang demo``.

Core-only (no Flask, no hardware): :mod:`.arrivals` plans who comes when,
:mod:`.history` plays it through the real queue operations under a frozen clock.
"""

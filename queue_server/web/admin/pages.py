"""Admin pages for the catalogue, devices, users and tokens (filled in by the admin work)."""

from __future__ import annotations

"""Printer configuration: profiles checked against python-escpos without loading it."""

from __future__ import annotations

import pytest
from escpos.capabilities import CAPABILITIES
from pydantic import TypeAdapter, ValidationError

import xephang.devices.printer
from xephang.devices.lazy import exported_names
from xephang.devices.printer.config import PrinterConfig, escpos_profiles


def test_profiles_are_python_escpos_own() -> None:
    assert escpos_profiles() == CAPABILITIES["profiles"]


def test_unknown_profile_and_too_wide_paper_are_refused() -> None:
    adapter = TypeAdapter(PrinterConfig)
    assert adapter.validate_python({"kind": "virtual", "profile": "TM-T88V", "dot_width": 512})
    with pytest.raises(ValidationError, match="unknown python-escpos profile 'TM-X'"):
        adapter.validate_python({"kind": "virtual", "profile": "TM-X"})
    with pytest.raises(ValidationError, match="dot_width 576 exceeds profile width 512"):
        adapter.validate_python({"kind": "virtual", "profile": "TM-T88V", "dot_width": 576})


def test_the_package_serves_every_name_it_lists() -> None:
    assert sorted(exported_names("xephang.devices.printer")) == sorted(
        xephang.devices.printer.__all__
    )
    for name in xephang.devices.printer.__all__:
        assert getattr(xephang.devices.printer, name) is not None
    with pytest.raises(AttributeError):
        _ = xephang.devices.printer.NoSuchName

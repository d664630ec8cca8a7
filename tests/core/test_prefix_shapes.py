"""No two prefixes look alike on the hall display (issue #18): O, Q, I refused; E/F, P/R,
U/V look-alikes refused; the demo's prefixes pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from queue_server.core.prefix_shapes import digit_like_letters, look_alike_prefixes, shape
from queue_server.settings import ConfigError, load_settings
from tests.core.test_settings import VALID, write


def _with_second_service(prefix: str, first: str = "B") -> str:
    text = VALID.replace('prefix = "B"', f'prefix = "{first}"')
    return text + f'\n[[services]]\ncode = "KH"\nprefix = "{prefix}"\nname = "Khác"\n'


@pytest.mark.parametrize("prefix", ["O", "Q", "I", "AO", "QA", "AI"])
def test_letters_that_look_like_digits_are_refused(tmp_path: Path, prefix: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, _with_second_service(prefix)))
    assert caught.value.problems == [
        (
            "services[1].prefix",
            f"O, Q and I are not used in prefixes: on the hall display they look like the "
            f"digits 0 and 1 (got {prefix!r})",
        )
    ]


@pytest.mark.parametrize(
    ("first", "second"), [("P", "R"), ("E", "F"), ("U", "V"), ("PA", "RA"), ("EU", "FV")]
)
def test_prefixes_one_stroke_apart_are_refused(tmp_path: Path, first: str, second: str) -> None:
    with pytest.raises(ConfigError, match=rf"services\[1\]\.prefix: '{second}' looks like"):
        load_settings(write(tmp_path, _with_second_service(second, first)))


@pytest.mark.parametrize(("first", "second"), [("C", "G"), ("P", "PR"), ("PA", "RB"), ("D", "B")])
def test_prefixes_that_differ_enough_are_kept(tmp_path: Path, first: str, second: str) -> None:
    settings = load_settings(write(tmp_path, _with_second_service(second, first)))
    assert [s.prefix for s in settings.services] == [first, second]


def test_rules_on_their_own(demo_settings) -> None:
    prefixes = [s.prefix for s in demo_settings.services]
    assert look_alike_prefixes(prefixes) == []
    assert not any(digit_like_letters(p) for p in prefixes)
    assert shape("FRV") == "EPU"
    assert look_alike_prefixes(["A", "F", "B", "E", "F"]) == [("F", "E"), ("E", "F")]

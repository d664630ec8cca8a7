"""Which letters, and which ticket prefixes, sound alike in a voice pack.

Both compare the pack's clips by their sound (:mod:`xephang.devices.audio.likeness`), never
by their file names: two letters with different names that the voice says the same way (the
old "dê" and "giê") are found, and so are two letters sharing one clip.
"""

from __future__ import annotations

import functools
import itertools
import wave
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from xephang.devices.audio.languages import LANGUAGES
from xephang.devices.audio.likeness import (
    CONFUSABLE_BELOW,
    AlikePair,
    Frames,
    alike_pairs,
    distance,
    features,
    join,
)
from xephang.devices.audio.pack import PackError, VoicePack
from xephang.devices.audio.wavio import read_wav


@dataclass(frozen=True, slots=True)
class AlikeLetters:
    """Two letters whose clips sound alike: the letters, their names, how far apart."""

    first: str
    second: str
    first_name: str
    second_name: str
    distance: float


@functools.lru_cache(maxsize=512)
def clip_frames(wav: bytes) -> Frames | None:
    """Frames of a WAV file's bytes (cached by content, so copies of a pack share them);
    None if they are not a readable PCM WAV."""
    try:
        return features(read_wav(wav))
    except (wave.Error, EOFError, ValueError):
        return None


def _frames(pack: VoicePack, name: str) -> Frames | None:
    path = pack.clip_path(name)
    try:
        return clip_frames(path.read_bytes()) if path is not None else None
    except OSError:
        return None


def _letters(
    pack_path: str | Path, only: set[str] | None = None
) -> tuple[dict[str, str], dict[str, Frames]]:
    """The pack's letter names (letter → name) and the frames of each letter it can say
    (of the letters in ``only``, when given)."""
    try:
        pack = VoicePack.load(pack_path)
    except PackError:
        return {}, {}
    lang = LANGUAGES.get(pack.language)
    if lang is None:
        return {}, {}
    names = dict(lang.letter_names)
    wanted = names if only is None else {k: v for k, v in names.items() if k in only}
    spoken = {letter: _frames(pack, name) for letter, name in wanted.items()}
    return names, {letter: frames for letter, frames in spoken.items() if frames}


def alike_letters(pack: str | Path, threshold: float = CONFUSABLE_BELOW) -> list[AlikeLetters]:
    """Every pair of letters whose clips in ``pack`` sound alike, closest first.

    Letters whose clip is missing or unreadable are left out (the pack check reports them).
    """
    names, spoken = _letters(pack)
    return [
        AlikeLetters(pair.first, pair.second, names[pair.first], names[pair.second], pair.distance)
        for pair in alike_pairs(spoken, threshold)
    ]


def alike_prefixes(
    pack: str | Path, prefixes: Iterable[str], threshold: float = CONFUSABLE_BELOW
) -> list[AlikePair]:
    """Every pair of ``prefixes`` that sound alike when ``pack`` says them, closest first.

    A prefix is said letter by letter. Two prefixes of as many letters are as far apart as
    their most different position ("DA" and "GA" as D and G); prefixes of different lengths
    are compared as their letters' clips said one after the other. Prefixes with a letter
    the pack cannot say are left out.
    """
    wanted = list(dict.fromkeys(p.upper() for p in prefixes))
    _, spoken = _letters(pack, {letter for prefix in wanted for letter in prefix})
    said = [prefix for prefix in wanted if prefix and all(letter in spoken for letter in prefix)]
    letter_gap: dict[tuple[str, str], float] = {}

    def gap(first: str, second: str) -> float:
        if first == second:
            return 0.0
        key = (min(first, second), max(first, second))
        if key not in letter_gap:
            letter_gap[key] = distance(spoken[first], spoken[second], threshold)
        return letter_gap[key]

    found = []
    for first, second in itertools.combinations(said, 2):
        if len(first) == len(second):
            apart = max(gap(a, b) for a, b in zip(first, second, strict=True))
        else:
            apart = distance(
                join([spoken[c] for c in first]), join([spoken[c] for c in second]), threshold
            )
        if apart < threshold:
            found.append(AlikePair(first, second, round(apart, 2)))
    return sorted(found, key=lambda pair: pair.distance)

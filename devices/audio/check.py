"""``check_pack``: everything wrong with a voice pack, as sentences for a person.

python -m xephang.devices.audio.check devices/audio/packs/vi-espeak [--prefix D --prefix G]

Besides completeness and format, letters (and configured prefixes) whose clips sound alike
are problems: compared by their sound (:mod:`xephang.devices.audio.likeness`).
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
import wave
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from xephang.devices.audio.alike import alike_letters, alike_prefixes
from xephang.devices.audio.languages import LANGUAGES
from xephang.devices.audio.likeness import CONFUSABLE_BELOW
from xephang.devices.audio.pack import MANIFEST, PackError, clip_filename, read_manifest
from xephang.devices.audio.recording import required_clips
from xephang.devices.audio.wavio import SAMPLE_WIDTH, SILENCE_THRESHOLD, read_wav, silent_edges
from xephang.i18n import _

DEFAULT_TRIM_TOLERANCE_MS = 50


def _check_clip(path: Path, sample_rate: int, tolerance_ms: int) -> list[str]:
    try:
        audio = read_wav(path)
    except (wave.Error, EOFError, OSError) as exc:
        return [
            _("{file}: not a readable PCM WAV file ({error})").format(file=path.name, error=exc)
        ]
    problems: list[str] = []
    if audio.channels != 1:
        problems.append(
            _("{file}: {channels} channels, clips must be mono").format(
                file=path.name, channels=audio.channels
            )
        )
    if audio.sample_width != SAMPLE_WIDTH:
        problems.append(
            _("{file}: {bits}-bit samples, clips must be 16-bit").format(
                file=path.name, bits=8 * audio.sample_width
            )
        )
    if audio.sample_rate != sample_rate:
        problems.append(
            _("{file}: sample rate {rate} Hz, the pack is {expected} Hz").format(
                file=path.name, rate=audio.sample_rate, expected=sample_rate
            )
        )
    if problems:
        return problems
    if audio.frame_count == 0:
        return [_("{file}: the clip is empty").format(file=path.name)]
    head, tail = silent_edges(audio, SILENCE_THRESHOLD)
    if head >= audio.frame_count:
        return [_("{file}: the clip is silent").format(file=path.name)]
    limit = sample_rate * tolerance_ms / 1000
    for frames, edge in ((head, _("start")), (tail, _("end"))):
        if frames > limit:
            problems.append(
                _("{file}: {ms} ms of silence at the {edge} (trim to at most {limit} ms)").format(
                    file=path.name,
                    ms=round(frames * 1000 / sample_rate),
                    edge=edge,
                    limit=tolerance_ms,
                )
            )
    return problems


def check_pack(
    path: str | Path,
    *,
    templates: Iterable[str] = (),
    trim_tolerance_ms: int = DEFAULT_TRIM_TOLERANCE_MS,
    prefixes: Iterable[str] = (),
) -> list[str]:
    """Problems of the pack at ``path`` (empty list: the pack is complete and usable).

    Checks the manifest, that every clip needed for 0–9999, the letters A–Z and the template
    phrases (default template plus ``templates``) is listed and present, one sample rate,
    mono 16-bit, silence trimmed at both ends within ``trim_tolerance_ms``, that every
    WAV file in the folder is listed, that no two letters sound alike, and that no two of
    ``prefixes`` (the configured ticket prefixes) sound alike.
    """
    folder = Path(path)
    if not folder.is_dir():
        return [_("{path}: no such folder").format(path=folder)]
    try:
        manifest = read_manifest(folder)
    except PackError as exc:
        return [str(exc)]
    problems: list[str] = []
    texts = [clip.text for clip in manifest.clips]
    for text, count in Counter(texts).items():
        if count > 1:
            problems.append(
                _("{manifest}: {text!r} is listed {count} times").format(
                    manifest=MANIFEST, text=text, count=count
                )
            )
    if manifest.language not in LANGUAGES:
        known = ", ".join(sorted(LANGUAGES))
        problems.append(
            _("{manifest}: no reading rules for language {language!r} (known: {known})").format(
                manifest=MANIFEST, language=manifest.language, known=known
            )
        )
        required: list[str] = []
    else:
        required = required_clips(manifest.language, templates)
    listed = set(texts)
    for text in required:
        if text not in listed:
            problems.append(
                _("missing clip {file} (says {text!r})").format(file=clip_filename(text), text=text)
            )
    files_on_disk = {p.name: p for p in folder.glob("*.wav")}
    for name in files_on_disk:
        if unicodedata.normalize("NFC", name) != name:
            problems.append(_("{file}: file name is not NFC-normalised").format(file=name))
    listed_files: set[str] = set()
    for clip in manifest.clips:
        listed_files.add(clip.file)
        if clip.file != clip_filename(clip.text):
            problems.append(
                _("{file}: a clip saying {text!r} must be named {expected}").format(
                    file=clip.file, text=clip.text, expected=clip_filename(clip.text)
                )
            )
        clip_path = folder / clip.file
        if clip.file not in files_on_disk or not clip_path.is_file():
            problems.append(
                _("missing clip {file} (says {text!r})").format(file=clip.file, text=clip.text)
            )
            continue
        problems += _check_clip(clip_path, manifest.sample_rate, trim_tolerance_ms)
    for name in sorted(set(files_on_disk) - listed_files):
        problems.append(_("{file}: not listed in {manifest}").format(file=name, manifest=MANIFEST))
    problems += _alike_problems(folder, prefixes)
    return problems


def _alike_problems(folder: Path, prefixes: Iterable[str]) -> list[str]:
    problems = [
        _(
            "letters {first} and {second} sound alike ({first_clip} and {second_clip} are "
            "{distance} apart, under {threshold}): give them names that sound different"
        ).format(
            first=pair.first,
            second=pair.second,
            first_clip=clip_filename(pair.first_name),
            second_clip=clip_filename(pair.second_name),
            distance=pair.distance,
            threshold=CONFUSABLE_BELOW,
        )
        for pair in alike_letters(folder)
    ]
    problems += [
        _(
            "prefixes {first} and {second} sound alike in this pack ({distance} apart, "
            "under {threshold}): change one of them"
        ).format(
            first=pair.first, second=pair.second, distance=pair.distance, threshold=CONFUSABLE_BELOW
        )
        for pair in alike_prefixes(folder, prefixes)
    ]
    return problems


def check_message(path: str | Path, problems: list[str]) -> str:
    """A summary line plus the problems, for the CLI."""
    if not problems:
        return _("Voice pack {path} is complete.").format(path=path)
    header = _("Voice pack {path} has {count} problem(s):").format(path=path, count=len(problems))
    return "\n".join([header, *(f"  - {p}" for p in problems)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check a xephang voice pack.")
    parser.add_argument("pack", type=Path)
    parser.add_argument("--template", action="append", default=[])
    parser.add_argument("--prefix", action="append", default=[], help="a configured prefix")
    args = parser.parse_args(argv)
    problems = check_pack(args.pack, templates=args.template, prefixes=args.prefix)
    sys.stdout.write(check_message(args.pack, problems) + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

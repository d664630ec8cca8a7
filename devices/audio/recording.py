"""What a pack must contain, and tools for a center recording its own human voice pack.

python -m xephang.devices.audio.recording list vi            # the phrases to read, with file names
python -m xephang.devices.audio.recording prepare RAW PACK --language vi --name vi-hoa-binh
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from xephang.devices.audio.announcement import CHIME
from xephang.devices.audio.chime import synth_chime
from xephang.devices.audio.languages import language
from xephang.devices.audio.pack import MANIFEST, clip_filename
from xephang.devices.audio.template import template_phrases
from xephang.devices.audio.wavio import (
    SILENCE_THRESHOLD,
    read_wav,
    resample,
    to_mono16,
    trim_silence,
)
from xephang.devices.audio.wavio import write_wav as write_audio


def phrases_to_record(lang_code: str = "vi", templates: Iterable[str] = ()) -> list[str]:
    """Every text a pack of ``lang_code`` needs, in reading order: template phrases, number
    words, letter names. ``templates`` adds phrases of configured templates."""
    lang = language(lang_code)
    phrases = template_phrases(lang.default_template)
    for template in templates:
        phrases += template_phrases(template)
    return list(dict.fromkeys([*phrases, *lang.vocabulary()]))


def required_clips(lang_code: str = "vi", templates: Iterable[str] = ()) -> list[str]:
    """Clip keys a complete pack holds: the chime and :func:`phrases_to_record`."""
    return [CHIME, *phrases_to_record(lang_code, templates)]


def recording_sheet(lang_code: str = "vi", templates: Iterable[str] = ()) -> str:
    """A printable list: one line per clip, file name then the text to read."""
    rows = [f"{clip_filename(text):<34} {text}" for text in phrases_to_record(lang_code, templates)]
    return "\n".join(rows) + "\n"


def prepare_pack(
    raw: Path,
    out: Path,
    *,
    name: str,
    lang_code: str,
    sample_rate: int = 22050,
    threshold: int = SILENCE_THRESHOLD,
    description: str = "",
    source: str = "",
) -> list[str]:
    """Turn recorded WAVs in ``raw`` (named ``<text>.wav``) into a pack in ``out``: mono,
    16-bit, ``sample_rate``, silence trimmed, chime added if absent, manifest written.
    Returns the clip texts written."""
    out.mkdir(parents=True, exist_ok=True)
    texts: list[str] = []
    for file in sorted(raw.glob("*.wav")):
        text = unicodedata.normalize("NFC", file.stem)
        audio = trim_silence(resample(to_mono16(read_wav(file)), sample_rate), threshold)
        write_audio(out / clip_filename(text), audio)
        texts.append(text)
    if CHIME not in texts:
        write_audio(out / clip_filename(CHIME), synth_chime(sample_rate))
        texts.append(CHIME)
    write_manifest(
        out,
        name=name,
        lang_code=lang_code,
        sample_rate=sample_rate,
        texts=texts,
        description=description,
        source=source,
    )
    return texts


def write_manifest(
    folder: Path,
    *,
    name: str,
    lang_code: str,
    sample_rate: int,
    texts: Iterable[str],
    description: str = "",
    source: str = "",
) -> None:
    """Write ``folder/manifest.json`` listing ``texts`` (sorted, NFC file names)."""
    clips = [{"text": t, "file": clip_filename(t)} for t in sorted(set(texts))]
    manifest = {
        "name": name,
        "language": lang_code,
        "sample_rate": sample_rate,
        "description": description,
        "source": source,
        "clips": clips,
    }
    (folder / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Record a human voice pack for xephang.")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="print the phrases to record")
    listing.add_argument("language", nargs="?", default="vi")
    listing.add_argument("--template", action="append", default=[])
    prepare = sub.add_parser("prepare", help="convert raw recordings into a pack")
    prepare.add_argument("raw", type=Path)
    prepare.add_argument("out", type=Path)
    prepare.add_argument("--name", required=True)
    prepare.add_argument("--language", default="vi")
    prepare.add_argument("--rate", type=int, default=22050)
    prepare.add_argument("--threshold", type=int, default=SILENCE_THRESHOLD)
    args = parser.parse_args(argv)
    if args.command == "list":
        sys.stdout.write(recording_sheet(args.language, args.template))
        return 0
    texts = prepare_pack(
        args.raw,
        args.out,
        name=args.name,
        lang_code=args.language,
        sample_rate=args.rate,
        threshold=args.threshold,
    )
    print(f"{len(texts)} clips written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""This machine's loudspeaker (``[devices] speaker = "command"``): calls go through a
real player command one at a time, in order, never overlapping; a speaker that falls
behind drops the oldest waiting call; the hall displays then stay silent."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections import deque
from pathlib import Path

import pytest

from queue_server.cli.check import speaker_words
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.i18n import use_language
from queue_server.relay import Relay
from queue_server.runtime import start_app
from queue_server.settings import Settings
from queue_server.workers.devices import DeviceWorker, build_devices
from queue_server.workers.speech import SPEECH_QUEUE_LIMIT, Call, SpeechQueue
from tests.workers.test_device_worker import _announced
from xephang.devices.audio.speaker import Played

# A player that takes time like a real one: ALSA's aplay decodes the WAV to its null
# device, then the call "sounds" for 0.15 s more; it writes when it starts and ends.
PLAYER = """#!/bin/sh
printf 'start %s %s\\n' "$(date +%s.%N)" "$(basename "$1")" >> "{log}"
aplay -q -D null "$1" || exit 1
sleep 0.15
printf 'end %s %s\\n' "$(date +%s.%N)" "$(basename "$1")" >> "{log}"
"""


def with_speaker(settings: Settings, **devices: object) -> Settings:
    update = settings.devices.model_copy(update=devices)
    return settings.model_copy(update={"devices": update})


def test_calls_play_one_at_a_time_through_a_real_player(
    settings: Settings, clock: FrozenClock, tmp_path: Path
) -> None:
    assert shutil.which("aplay"), "aplay is needed: apt-get install alsa-utils"
    log = tmp_path / "played.log"
    player = tmp_path / "player.sh"
    player.write_text(PLAYER.format(log=log))
    settings = with_speaker(settings, speaker="command", speaker_command=("sh", str(player)))
    worker = DeviceWorker(settings, build_devices(settings)).start()
    queue = open_queue(settings, clock=clock, db=Database(f"sqlite:///{tmp_path / 'q.db'}"))
    try:
        bus = Relay()
        bus.subscribe(worker.handle)
        for service in ("HT", "HT", "DD"):
            bus.publish(queue.issue(service).envelopes)
        for counter in (2, 4, 5):  # three calls in quick succession
            bus.publish(queue.call_next(counter).envelopes)
        assert _announced(worker, 3)
        assert all(played.ok for played in worker.spoken), [p.problem for p in worker.spoken]
        assert [p.text.split("quầy số ")[1][:1] for p in worker.spoken] == ["2", "4", "5"]
        lines = [line.split() for line in log.read_text().splitlines()]
        assert [kind for kind, _at, _name in lines] == ["start", "end"] * 3  # never overlapping
        times = [float(at) for _kind, at, _name in lines]
        assert times == sorted(times)
        assert [name for _k, _a, name in lines[::2]] == [p.wav_path.name for p in worker.spoken]
    finally:
        worker.stop()
        queue.db.dispose()


def played(call: Call) -> Played:
    return Played(text=str(call), spoken_text="", wav_path=Path(), duration_s=0.1, ok=True)


def test_a_speaker_behind_drops_the_oldest_waiting_call() -> None:
    started, gate, heard = threading.Event(), threading.Event(), []

    def play(call: Call) -> Played:
        heard.append(call)
        started.set()
        assert gate.wait(5)
        return played(call)

    spoken: deque[Played] = deque(maxlen=10)
    speech = SpeechQueue(play, spoken, limit=2).start()
    try:
        speech.put(("A001", 1))
        assert started.wait(5)  # A001 is playing: the rest wait
        for number in ("A002", "A003", "A004", "A005"):
            speech.put((number, 1))
        assert speech.waiting() == 2 and speech.dropped == 2
        gate.set()
        deadline, pause = time.monotonic() + 5, threading.Event()
        while len(spoken) < 3 and time.monotonic() < deadline:
            pause.wait(0.02)
        assert [call[0] for call in heard] == ["A001", "A004", "A005"]
        assert len(spoken) == 3
    finally:
        gate.set()
        speech.stop()


def test_by_default_ten_calls_wait_for_the_speaker() -> None:
    started, gate = threading.Event(), threading.Event()

    def play(call: Call) -> Played:
        started.set()
        assert gate.wait(5)
        return played(call)

    speech = SpeechQueue(play, deque(maxlen=20)).start()
    try:
        speech.put(("A001", 1))
        assert started.wait(5)  # A001 is playing: the rest wait
        for n in range(2, 14):
            speech.put((f"A{n:03}", 1))
        assert SPEECH_QUEUE_LIMIT == 10
        assert (speech.waiting(), speech.dropped) == (10, 2)  # A002 and A003 dropped
    finally:
        gate.set()
        speech.stop()


@pytest.mark.parametrize(("speaker", "announce"), [("none", True), ("command", False)])
def test_exactly_one_plays_the_calls(
    settings: Settings, clock: FrozenClock, tmp_path: Path, speaker: str, announce: bool
) -> None:
    """The hall display speaks unless this machine's loudspeaker does."""
    settings = with_speaker(settings, speaker=speaker)
    queue = open_queue(settings, clock=clock, db=Database(f"sqlite:///{tmp_path / 'q.db'}"))
    try:
        app = start_app(settings, queue=queue, relay=Relay(), testing=True)
        page = app.test_client().get("/display").get_data(as_text=True)
        found = re.search(r'id="page-data">(.*?)</script>', page, re.S)
        assert found is not None
        assert json.loads(found[1])["config"]["announce"] is announce
    finally:
        queue.db.dispose()


def test_check_says_who_plays_the_calls(settings: Settings) -> None:
    silent_screens = settings.screens.model_copy(update={"announce": False})
    cases = [
        (settings, "Calls: played by the hall displays.", True),
        (with_speaker(settings, speaker="command", speaker_command=("sh",)), "stay silent", True),
        (
            with_speaker(settings, speaker="command", speaker_command=("no-such-player",)),
            "no-such-player is not installed",
            False,
        ),
        (settings.model_copy(update={"screens": silent_screens}), "nobody plays them", False),
    ]
    with use_language("en"):
        for case, words, fine in cases:
            line, ok = speaker_words(case)
            assert words in line and ok is fine, line
    with use_language("vi"):
        assert speaker_words(settings)[0] == "Lời gọi số: màn hình sảnh phát."

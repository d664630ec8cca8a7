"""Real serial ports for LED bus tests: socat pty pairs with stable link names."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from xephang.devices.led import BoardStatus, VirtualBoard, VirtualBus
from xephang.devices.led.bus import Opener, SerialLike


class PtyReader:
    """The boards' end of a pty, opened without flushing what already arrived."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)

    def read(self, timeout: float) -> bytes:
        """What arrives within ``timeout`` (waits on the fd, returns at the first bytes)."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        return os.read(self.fd, 4096) if ready else b""

    def read_exactly(self, count: int, timeout: float = 5.0) -> bytes:
        deadline = time.monotonic() + timeout
        data = b""
        while len(data) < count and (left := deadline - time.monotonic()) > 0:
            data += self.read(left)
        return data

    def feed_until(
        self,
        twin: VirtualBus,
        predicate: Callable[[dict[int, VirtualBoard]], bool],
        timeout: float = 5.0,
    ) -> bool:
        """Decode arriving bytes with ``twin`` until ``predicate(twin.boards)`` holds."""
        deadline = time.monotonic() + timeout
        while not predicate(twin.boards) and (left := deadline - time.monotonic()) > 0:
            twin.feed(self.read(left))
        return predicate(twin.boards)

    def close(self) -> None:
        os.close(self.fd)


@dataclass
class PtyPair:
    """Two connected ptys; ``bus_end``/``board_end`` are stable symlinks to them."""

    process: subprocess.Popen[str]
    bus_end: Path
    board_end: Path
    ptys: tuple[str, str]
    readers: list[PtyReader]

    def board_reader(self) -> PtyReader:
        reader = PtyReader(self.board_end)
        self.readers.append(reader)
        return reader

    def unplug(self) -> None:
        """Kill socat: the ptys vanish and the next I/O on them fails."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=5)
        if self.process.stderr:
            self.process.stderr.close()
        while self.readers:
            self.readers.pop().close()


def _start_socat(directory: Path) -> PtyPair:
    bus_end, board_end = directory / "ttyBus", directory / "ttyBoards"
    process = subprocess.Popen(
        [
            "socat",
            "-d",
            "-d",
            f"pty,raw,echo=0,link={bus_end}",
            f"pty,raw,echo=0,link={board_end}",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    ptys: list[str] = []
    for line in process.stderr:  # socat reports each pty, then starts its loop
        if "PTY is " in line:
            ptys.append(line.rsplit("PTY is ", 1)[1].strip())
        if "starting data transfer loop" in line:
            break
    assert len(ptys) == 2, f"socat did not start (exit code {process.poll()})"
    assert bus_end.resolve() == Path(ptys[0]) and board_end.resolve() == Path(ptys[1])
    return PtyPair(process, bus_end, board_end, (ptys[0], ptys[1]), [])


@pytest.fixture
def socat(tmp_path: Path) -> Iterator[Callable[[], PtyPair]]:
    """Start pty pairs (same link paths each time, like a re-plugged adapter)."""
    if shutil.which("socat") is None:
        pytest.skip("socat is not installed")
    started: list[PtyPair] = []

    def start() -> PtyPair:
        pair = _start_socat(tmp_path)
        started.append(pair)
        return pair

    yield start
    for pair in started:
        pair.unplug()


class CountingOpener:
    """Wraps a real opener and records when each open attempt happened."""

    def __init__(self, inner: Opener) -> None:
        self.inner = inner
        self.times: list[float] = []
        self._cond = threading.Condition()

    def __call__(self) -> SerialLike:
        with self._cond:
            self.times.append(time.monotonic())
            self._cond.notify_all()
        return self.inner()

    def wait_for_attempts(self, count: int, timeout: float = 5.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: len(self.times) >= count, timeout)


class StatusRecorder:
    """An ``on_status`` callback that remembers every status and can wait for one."""

    def __init__(self) -> None:
        self.seen: list[BoardStatus] = []
        self.latest: dict[tuple[str, int], BoardStatus] = {}
        self._cond = threading.Condition()

    def __call__(self, status: BoardStatus) -> None:
        with self._cond:
            self.seen.append(status)
            self.latest[(status.bus, status.address)] = status
            self._cond.notify_all()

    def wait(self, predicate: Callable[[dict[tuple[str, int], BoardStatus]], bool]) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self.latest), 5.0)


@pytest.fixture
def counting_opener() -> type[CountingOpener]:
    return CountingOpener


@pytest.fixture
def recorder() -> StatusRecorder:
    return StatusRecorder()

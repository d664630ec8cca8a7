"""One RS-485 line with its boards: one writer thread, self-healing.

The thread opens the port, writes each board's *current* number (newer shows replace
older ones that were not written yet), checks an idle port every ``health_check_s``
and, on any I/O error, closes the port, waits 1, 2, 4 … ``max_s`` seconds and reopens
it. After each (re)connection every board is sent its current number again. Each
distinct error is logged once per outage.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from xephang.devices.led.backoff import Backoff
from xephang.devices.led.config import BackoffConfig
from xephang.devices.led.protocols import FrameError, LedProtocol
from xephang.devices.led.status import BoardStatus

log = logging.getLogger(__name__)


class SerialLike(Protocol):
    """The part of ``serial.Serial`` a bus uses."""

    @property
    def in_waiting(self) -> int: ...

    def write(self, data: bytes, /) -> int | None: ...

    def flush(self) -> None: ...

    def read(self, size: int = 1, /) -> bytes: ...

    def close(self) -> None: ...


Opener = Callable[[], SerialLike]
StatusCallback = Callable[[BoardStatus], None]


@dataclass
class _Board:
    address: int
    counter: int | None
    wanted: str | None = None
    blink: bool = False
    frame: bytes = b""
    showing: str | None = None
    online: bool = False
    error: str | None = None
    retry_at: float | None = None  # a board that did not answer is retried then
    backoff: Backoff | None = None
    reported: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Job:
    address: int
    number: str | None
    frame: bytes


def error_text(exc: BaseException) -> str:
    """A one-line description of an I/O error."""
    return str(exc) or type(exc).__name__


class LedBus:
    """Boards sharing one port; ``show``/``clear`` never block on I/O.

    ``on_status`` is called (in order, from whichever thread made the change) with a
    :class:`BoardStatus` each time a board's status changes; keep it quick.
    """

    def __init__(
        self,
        name: str,
        protocol: LedProtocol,
        opener: Opener,
        *,
        backoff: BackoffConfig | None = None,
        health_check_s: float = 1.0,
        frame_gap_s: float = 0.0,
        on_status: StatusCallback | None = None,
    ) -> None:
        self.name = name
        self.protocol = protocol
        self._opener = opener
        self._backoff_config = backoff or BackoffConfig()
        self._backoff = self._new_backoff()
        self._health_check_s = health_check_s
        self._frame_gap_s = frame_gap_s
        self._on_status = on_status
        self._boards: dict[int, _Board] = {}
        self._dirty: dict[int, None] = {}  # ordered set of addresses to (re)write
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._port: SerialLike | None = None
        self._reported: set[str] = set()
        self._notified: dict[int, BoardStatus] = {}
        self._notify_lock = threading.RLock()  # keeps callbacks in order

    # -- called by the server (any thread) -------------------------------------------

    def add_board(self, address: int, counter: int | None = None) -> None:
        """Register board ``address``; it starts blank (cleared on first connection)."""
        self.protocol.check_address(address)
        with self._cond:
            if address in self._boards:
                raise ValueError(f"address {address} is already on bus {self.name!r}")
            self._boards[address] = _Board(
                address,
                counter,
                frame=self.protocol.encode(address, None),
                backoff=self._new_backoff(),
            )
            self._dirty[address] = None
            self._cond.notify()

    def show(self, address: int, number: str, blink: bool = False) -> None:
        """Make board ``address`` show ``number``; raises ``LedNumberError`` at once."""
        frame = self.protocol.encode(address, number, blink)
        self._want(address, number, blink, frame)

    def clear(self, address: int) -> None:
        """Blank board ``address``."""
        self._want(address, None, False, self.protocol.encode(address, None))

    def status(self, address: int) -> BoardStatus:
        with self._cond:
            return self._status(self._boards[address])

    def statuses(self) -> list[BoardStatus]:
        with self._cond:
            return [self._status(board) for _, board in sorted(self._boards.items())]

    @property
    def connected(self) -> bool:
        return self._port is not None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the writer thread (once)."""
        if self._thread is not None:
            raise RuntimeError(f"bus {self.name!r} already started")
        self._thread = threading.Thread(target=self._run, name=f"led-bus-{self.name}", daemon=True)
        self._thread.start()

    def request_stop(self) -> None:
        """Ask the thread to stop without waiting for it."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and close the port; returns within about one write timeout."""
        self.request_stop()
        if self._thread is not None:
            self._thread.join(timeout)

    # -- writer thread ---------------------------------------------------------------

    def _new_backoff(self) -> Backoff:
        return Backoff(self._backoff_config.initial_s, self._backoff_config.max_s)

    def _want(self, address: int, number: str | None, blink: bool, frame: bytes) -> None:
        with self._cond:
            board = self._boards.get(address)
            if board is None:
                raise KeyError(f"no board with address {address} on bus {self.name!r}")
            board.wanted, board.blink, board.frame = number, blink, frame
            self._dirty[address] = None
            self._cond.notify()
        self._notify_changes()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if self._port is None and not self._connect():
                    self._stop.wait(self._backoff.next())
                    continue
                job = self._next_job()
                if self._stop.is_set():
                    break
                try:
                    self._drain()
                    if job is not None:
                        self._write(job)
                except Exception as exc:  # any I/O failure: reconnect later
                    self._lost(exc, job)
                    self._stop.wait(self._backoff.next())
        finally:
            self._close()

    def _connect(self) -> bool:
        try:
            port = self._opener()
        except Exception as exc:
            self._failed(exc)
            return False
        with self._cond:
            self._port = port
            for address in sorted(self._boards):
                self._dirty[address] = None
                self._boards[address].retry_at = None
        log.debug("LED bus %s: port open", self.name)
        return True

    def _next_job(self) -> _Job | None:
        with self._cond:
            if not self._dirty and not self._stop.is_set():
                self._cond.wait(self._idle_wait())
            now = time.monotonic()
            for board in self._boards.values():
                if board.retry_at is not None and board.retry_at <= now:
                    board.retry_at = None
                    self._dirty[board.address] = None
            if not self._dirty:
                return None
            address = next(iter(self._dirty))
            del self._dirty[address]
            board = self._boards[address]
            return _Job(address, board.wanted, board.frame)

    def _idle_wait(self) -> float:
        """Until the next health check or board retry, whichever comes first."""
        retries = [b.retry_at for b in self._boards.values() if b.retry_at is not None]
        if not retries:
            return self._health_check_s
        return max(0.0, min(self._health_check_s, min(retries) - time.monotonic()))

    def _drain(self) -> None:
        """Discard replies and echoes; on a vanished device this raises."""
        assert self._port is not None
        if waiting := self._port.in_waiting:
            self._port.read(waiting)

    def _write(self, job: _Job) -> None:
        assert self._port is not None
        self._port.write(job.frame)
        self._port.flush()
        expected = self.protocol.expected_reply(job.frame)
        reply = self._port.read(len(expected)) if expected else b""
        self._backoff.reset()
        if self._reported:
            log.info("LED bus %s: working again", self.name)
            self._reported.clear()
        try:
            self.protocol.check_reply(job.frame, reply)
        except FrameError as exc:
            self._board_failed(job.address, exc)
        else:
            self._board_written(job)
        self._notify_changes()
        if self._frame_gap_s:
            self._stop.wait(self._frame_gap_s)

    def _board_written(self, job: _Job) -> None:
        with self._cond:
            board = self._boards[job.address]
            board.showing, board.online, board.error = job.number, True, None
            board.retry_at = None
            if board.backoff:
                board.backoff.reset()
            if board.reported:
                log.info("LED bus %s: board %d answers again", self.name, board.address)
                board.reported.clear()

    def _board_failed(self, address: int, exc: FrameError) -> None:
        """The port works but this board did not confirm: retry it later."""
        text = error_text(exc)
        with self._cond:
            board = self._boards[address]
            board.online, board.error = False, text
            delay = board.backoff.next() if board.backoff else self._health_check_s
            board.retry_at = time.monotonic() + delay
            first_time = text not in board.reported
            board.reported.add(text)
        if first_time:
            log.warning("LED bus %s: board %d: %s (will retry)", self.name, address, text)

    def _lost(self, exc: BaseException, job: _Job | None) -> None:
        self._close()
        with self._cond:
            if job is not None:
                self._dirty[job.address] = None
        self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        text = error_text(exc)
        if text not in self._reported:
            self._reported.add(text)
            log.warning("LED bus %s: %s (will retry)", self.name, text)
        with self._cond:
            for board in self._boards.values():
                board.online, board.error = False, text
        self._notify_changes()

    def _close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except Exception as exc:
                log.debug("LED bus %s: closing failed: %s", self.name, exc)

    # -- status ----------------------------------------------------------------------

    def _status(self, board: _Board) -> BoardStatus:
        return BoardStatus(
            bus=self.name,
            address=board.address,
            counter=board.counter,
            online=board.online,
            showing=board.showing,
            pending=board.address in self._dirty or board.wanted != board.showing,
            error=board.error,
        )

    def _notify_changes(self) -> None:
        if self._on_status is None:
            return
        with self._notify_lock:
            with self._cond:
                changed = [
                    status
                    for status in (self._status(board) for board in self._boards.values())
                    if self._notified.get(status.address) != status
                ]
                for status in changed:
                    self._notified[status.address] = status
            for status in changed:
                try:
                    self._on_status(status)
                except Exception:
                    log.exception("LED bus %s: status callback failed", self.name)

"""A fake ESC/POS network printer on 127.0.0.1 for tests and demos.

It records every byte, turns ``GS v 0`` images back into paper (one image per cut) and
answers ``DLE EOT`` like a real printer, with fault modes::

    with FakeNetworkPrinter(width=576) as fake:
        config = NetworkPrinterConfig(host=fake.host, port=fake.port)
        fake.set_mode(FakeMode.PAPER_OUT)
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from enum import Enum
from types import TracebackType

from .paper import EscPosReader, PrintedTicket


class FakeMode(Enum):
    OK = "ok"
    OFF = "off"
    """Nothing listens: connections are refused."""
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    """Answers "paper end"; bytes received are held and printed when paper is back."""
    COVER_OPEN = "cover_open"
    HANG_UP = "hang_up"
    """Closes the connection (reset) in the middle of a job."""
    SILENT = "silent"
    """Accepts and reads everything but never answers a status query."""


# Answers to DLE EOT 1, 2, 4 per mode.
_ANSWERS: dict[FakeMode, dict[int, int]] = {
    FakeMode.OK: {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12},
    FakeMode.HANG_UP: {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12},
    FakeMode.PAPER_NEAR_END: {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E},
    FakeMode.PAPER_OUT: {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72},
    FakeMode.COVER_OPEN: {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12},
}
_HOLDING = (FakeMode.PAPER_OUT, FakeMode.COVER_OPEN)


class FakeNetworkPrinter:
    """A raw-TCP (JetDirect) printer living in background threads."""

    def __init__(
        self, width: int = 576, host: str = "127.0.0.1", port: int = 0, hang_up_after: int = 2048
    ) -> None:
        self.width = width
        self.host = host
        self.port = port
        self.hang_up_after = hang_up_after
        self.answers_left: int | None = None
        """When set, the printer goes silent after this many more status answers."""
        self.mode = FakeMode.OK
        self.received = bytearray()
        self.status_queries: list[int] = []
        self.connections = 0
        self._reader = EscPosReader(width)
        self._held = bytearray()
        self._job_bytes = 0
        self._lock = threading.Condition()
        self._listener: socket.socket | None = None
        self._clients: set[socket.socket] = set()
        self._running = False

    # lifecycle
    def start(self) -> FakeNetworkPrinter:
        self._running = True
        self._listen()
        return self

    def stop(self) -> None:
        self._running = False
        self._close_listener()
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            _reset(client)

    def __enter__(self) -> FakeNetworkPrinter:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # state
    @property
    def tickets(self) -> list[PrintedTicket]:
        with self._lock:
            return list(self._reader.tickets)

    def set_mode(self, mode: FakeMode) -> None:
        """Switch fault mode; leaving OFF listens again on the same port."""
        with self._lock:
            previous, self.mode = self.mode, mode
            if previous in _HOLDING and mode not in _HOLDING and self._held:
                self._reader.feed(bytes(self._held))
                self._held.clear()
                self._lock.notify_all()
        if mode is FakeMode.OFF:
            self._close_listener()
        elif previous is FakeMode.OFF:
            self._listen()

    def wait_for_tickets(self, count: int, timeout: float = 5.0) -> bool:
        """Block until ``count`` tickets have been cut (or ``timeout``)."""
        with self._lock:
            return self._lock.wait_for(lambda: len(self._reader.tickets) >= count, timeout)

    def wait_for_queries(self, count: int, timeout: float = 5.0) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: len(self.status_queries) >= count, timeout)

    # networking
    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(8)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._clients.add(client)
                self._job_bytes = 0
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            while True:
                try:
                    data = client.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                if not self._handle(client, data):
                    _reset(client)
                    return
        finally:
            with self._lock:
                self._clients.discard(client)
            client.close()

    def _handle(self, client: socket.socket, data: bytes) -> bool:
        """Process bytes; False when the fake decides to hang up."""
        with self._lock:
            mode = self.mode
            self.received += data
            if mode is FakeMode.HANG_UP:
                self._job_bytes += len(data)
                if self._job_bytes > self.hang_up_after:
                    return False
            if mode in _HOLDING:
                queries = [n for n in EscPosReader(self.width).feed(data)]
                self._held += _without_status(data)
            else:
                queries = self._reader.feed(data)
            self.status_queries += queries
            self._lock.notify_all()
        with self._lock:
            if self.answers_left is not None:
                queries = queries[: self.answers_left]
                self.answers_left -= len(queries)
        if mode is FakeMode.SILENT:
            return True
        answers = _ANSWERS.get(mode, _ANSWERS[FakeMode.OK])
        reply = bytes(answers.get(n, 0x12) for n in queries)
        if reply:
            try:
                client.sendall(reply)
            except OSError:
                return False
        return True


def _without_status(data: bytes) -> bytes:
    """Job bytes without ``DLE EOT n`` queries (those are answered at once, never held)."""
    return (
        data.replace(b"\x10\x04\x01", b"")
        .replace(b"\x10\x04\x02", b"")
        .replace(b"\x10\x04\x04", b"")
    )


def _reset(client: socket.socket) -> None:
    """Close with a TCP reset, like a printer that is switched off."""
    try:
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
    except OSError:
        pass

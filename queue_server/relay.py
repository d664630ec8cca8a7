"""The relay: committed events from the outbox to this process's screens and workers.

Every operation writes its events to the outbox in its own transaction
(``core/outbox.py``), numbered by one global ``seq``. The relay hands them to its
subscribers (the Socket.IO bridges, the device worker, metrics) exactly once each and
in ``seq`` order, whichever process or command wrote them:

- **Fast path.** The request that committed an operation passes its envelopes to
  :meth:`Relay.publish` at once, with no database read. Once the relay is started (the
  server), publishing only queues them and wakes the relay's sender thread, so the
  request answers at once and the fan-out to the screens happens off its thread; the
  sender delivers whatever queued meanwhile as one batch (in order), so under load the
  screens get fewer, larger frames. Not started (tests, tools), they go out from the
  publishing thread.
- **Catching up.** Anything else (the CLI, another server process, the devices
  process, or an operation of this process that has not reached :meth:`publish` yet)
  is read back from the outbox by :meth:`Relay.catch_up`: when a gap shows, when the
  follower thread is nudged (the Redis doorbell in cluster mode), and every
  ``poll_s`` seconds in any case.

A recent window of envelopes is kept (:meth:`since`) so that a screen that reconnects
gets what it missed instead of a full snapshot. Subscribers must be quick (device
workers only enqueue; a Socket.IO emit only queues a frame per client); a failing one
is logged and never stops the others.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from queue_server.core import outbox
from queue_server.core.db import Database
from queue_server.core.envelope import Envelope

log = logging.getLogger(__name__)

Handler = Callable[[Envelope], None]
BatchHandler = Callable[[list[Envelope]], None]
HeldEnvelopes = list[tuple["Relay", list[Envelope]]]

WINDOW = 2000  # recent envelopes kept for reconnecting screens
PAGE = 500  # envelopes read from the outbox at a time
POLL_S = 0.25  # the follower reads the outbox at least this often when idle
GAP_GRACE_S = 0.02  # how long a gap may be filled by this process's own publishing
RETRY_S = 2.0  # after the database failed to answer

_held: ContextVar[HeldEnvelopes | None] = ContextVar("xephang_held_envelopes", default=None)


@contextmanager
def holding_events() -> Iterator[HeldEnvelopes]:
    """Envelopes published inside are kept back (this thread only): the caller publishes
    them with :func:`publish_held` once the enclosing transaction has committed."""
    held: HeldEnvelopes = []
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)


def publish_held(held: HeldEnvelopes) -> None:
    """Publish envelopes kept back by :func:`holding_events`, in order."""
    for relay, envelopes in held:
        relay.publish(envelopes)


class Relay:
    """Delivers the outbox to this process's subscribers, in order, each event once."""

    def __init__(self, db: Database | None = None, *, poll_s: float = POLL_S) -> None:
        self.poll_s = poll_s
        self._db: Database | None = None
        self._handlers: list[Handler] = []
        self._batch_handlers: list[BatchHandler] = []
        self._lock = threading.RLock()
        self._last: int | None = None  # None: start at the first envelope seen
        self._pending: dict[int, list[Envelope]] = {}  # first seq → an operation's envelopes
        self._window: deque[Envelope] = deque(maxlen=WINDOW)
        self._wake = threading.Event()
        self._gap = False  # the follower is asked to fill a gap
        self._nudged = False  # ... or to read everything new
        self._published_at = 0.0  # when this process last published (monotonic)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._sender: threading.Thread | None = None
        self._outgoing: list[list[Envelope]] = []  # published, for the sender thread
        self._outgoing_lock = threading.Lock()
        self._send = threading.Event()
        # Called with the last seq after this process published its own envelopes (the
        # cluster's doorbell, so that the other processes read them at once).
        self.on_published: Callable[[int], None] | None = None
        if db is not None:
            self.follow(db)

    # ------------------------------------------------------------------ position
    def follow(self, db: Database) -> None:
        """Read the outbox of ``db`` from its current end (and keep its recent window)."""
        if self._db is db:
            return
        with db.read() as conn:
            recent = outbox.read_last(conn, WINDOW)
            last = outbox.last_seq(conn)
        with self._lock:
            self._db = db
            self._last = last
            self._window.extend(recent)

    @property
    def last_seq(self) -> int:
        """The number of the latest event delivered here (0 before any)."""
        return self._last or 0

    # --------------------------------------------------------------- subscribers
    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Call ``handler`` for every event; returns a function that unsubscribes."""
        return self._add(self._handlers, handler)

    def subscribe_batches(
        self, handler: BatchHandler, *, first: bool = False
    ) -> Callable[[], None]:
        """Call ``handler`` with each batch of envelopes (one operation's, or what one
        catch-up read). Batch handlers run before the others, in the order subscribed
        (``first``: before those already there): screens are the most urgent."""
        return self._add(self._batch_handlers, handler, first=first)

    def _add(self, handlers: list[Any], handler: Any, *, first: bool = False) -> Callable[[], None]:
        with self._lock:
            handlers.insert(0 if first else len(handlers), handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in handlers:
                    handlers.remove(handler)

        return unsubscribe

    # ---------------------------------------------------------------- delivering
    def publish(self, envelopes: Iterable[Envelope]) -> None:
        """Deliver a committed operation's envelopes (kept back inside
        :func:`holding_events`). Out of order, they wait for the ones before them."""
        batch = list(envelopes)
        if not batch:
            return
        held = _held.get()
        if held is not None:
            held.append((self, batch))
            return
        self._published_at = time.monotonic()
        if self._sender is not None:
            with self._outgoing_lock:
                self._outgoing.append(batch)
            self._send.set()
            return
        self._publish_now(batch)

    def _publish_now(self, batch: list[Envelope]) -> None:
        """Deliver ``batch`` (one operation's, or several in a row) from this thread."""
        with self._lock:
            if self._last is None:
                self._last = batch[0].seq - 1
            if batch[0].seq > self._last + 1:
                self._pending[batch[0].seq] = batch
                gap = True
            else:
                self._deliver(batch)
                gap = False
        if gap:
            self._fill_gap()
        if self.on_published is not None:
            self.on_published(batch[-1].seq)

    def catch_up(self, upto: int | None = None) -> int:
        """Deliver what the outbox holds beyond the last delivered event (up to ``upto``
        only: a gap's missing events); returns how many were delivered."""
        db = self._db
        if db is None:
            return 0
        delivered = 0
        while True:
            with db.read() as conn:
                rows = outbox.read_after(conn, self.last_seq, PAGE)
            with self._lock:
                limit = upto if upto is not None else rows[-1].seq if rows else 0
                fresh = [row for row in rows if self.last_seq < row.seq <= limit]
                if fresh and fresh[0].seq > self.last_seq + 1:
                    log.warning("events %d to %d were purged", self.last_seq + 1, fresh[0].seq - 1)
                self._deliver(fresh)
                delivered += len(fresh)
            if len(rows) < PAGE:
                return delivered

    def _deliver(self, batch: list[Envelope]) -> None:
        """Under the lock: hand the part of ``batch`` not yet delivered to every
        subscriber, then whatever waited for it."""
        assert self._last is not None
        batch = [envelope for envelope in batch if envelope.seq > self._last]
        if batch:
            self._last = batch[-1].seq
            self._window.extend(batch)
            for batch_handler in list(self._batch_handlers):
                self._call(batch_handler, batch, batch[0].name)
            handlers = list(self._handlers)
            for envelope in batch:
                for handler in handlers:
                    self._call(handler, envelope, envelope.name)
        for first in sorted(self._pending):
            if first > self._last + 1:
                break
            self._deliver(self._pending.pop(first))
            return

    def _fill_gap(self) -> None:
        """Events before a published batch are missing: most often another request of
        this process that committed first but has not published yet, so the follower
        gives it :data:`GAP_GRACE_S`, then reads only the missing ones (each operation
        stays one batch, one frame per screen)."""
        if self._thread is not None:
            self._gap = True
            self._wake.set()
        else:  # no follower (tests, tools): read the missing events now
            self._read_missing()

    def _read_missing(self) -> None:
        with self._lock:
            waiting = min(self._pending, default=None)
        if waiting is not None and waiting > self.last_seq + 1:
            self.catch_up(upto=waiting - 1)

    @staticmethod
    def _call(handler: Callable[[Any], None], argument: Any, name: str) -> None:
        try:
            handler(argument)
        except Exception:
            log.exception("event handler %r failed on %s", handler, name)

    # ------------------------------------------------------------------- resume
    @contextmanager
    def holding_still(self) -> Iterator[None]:
        """Nothing is delivered inside: a reconnecting screen reads :meth:`since` and
        joins its room without an event slipping between the two."""
        with self._lock:
            yield

    def recent(self) -> list[Envelope]:
        """The envelopes kept for reconnecting clients, oldest first."""
        with self._lock:
            return list(self._window)

    def since(self, seq: int) -> list[Envelope] | None:
        """The delivered envelopes after ``seq``, or None if they are no longer all kept."""
        with self._lock:
            if seq >= self.last_seq:
                return []
            if not self._window or self._window[0].seq > seq + 1:
                return None
            return [envelope for envelope in self._window if envelope.seq > seq]

    # ----------------------------------------------------------------- follower
    def nudge(self) -> None:
        """Have the follower read the outbox now (new events were committed elsewhere)."""
        self._nudged = True
        self._wake.set()

    def start(self) -> None:
        """Start the follower thread (catches up at once, then every ``poll_s``) and the
        sender thread (delivers what requests publish)."""
        if self._thread is not None or self._db is None:
            return
        self._stopping.clear()
        self._sender = threading.Thread(target=self._send_out, name="xephang-relay-send")
        self._sender.daemon = True
        self._sender.start()
        self._thread = threading.Thread(target=self._follow, name="xephang-relay", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        sender, self._sender = self._sender, None
        self._stopping.set()
        self._wake.set()
        self._send.set()
        for running in (sender, thread):
            if running is not None:
                running.join(timeout=10)
        self._send_queued()  # anything published while stopping

    def _send_out(self) -> None:
        """The sender thread: deliver what was published, as it comes."""
        while not self._stopping.is_set():
            self._send.wait()
            self._send.clear()
            self._send_queued()

    def _send_queued(self) -> None:
        """Deliver the queued batches; consecutive ones (by ``seq``) as one batch, so a
        screen gets one frame for what piled up while the last frames went out."""
        with self._outgoing_lock:
            queued, self._outgoing = self._outgoing, []
        runs: list[list[Envelope]] = []
        for batch in sorted(queued, key=lambda b: b[0].seq):
            if runs and runs[-1][-1].seq + 1 == batch[0].seq:
                runs[-1].extend(batch)
            else:
                runs.append(list(batch))
        for run in runs:
            try:
                self._publish_now(run)
            except Exception:  # the gap's read failed: the follower reads it later
                log.warning("the relay could not fill a gap; the follower will")

    def _follow(self) -> None:
        """Read the outbox: when nudged (the doorbell), to fill a gap, and when this
        process published nothing for a poll interval (a command or another process
        wrote and no doorbell rang); not while it publishes its own operations, so
        that they keep their one frame each."""
        wait = 0.0
        while not self._stopping.is_set():
            self._wake.wait(wait)
            self._wake.clear()
            if self._stopping.is_set():
                return
            gap, nudged, self._gap, self._nudged = self._gap, self._nudged, False, False
            try:
                if gap:
                    self._stopping.wait(GAP_GRACE_S)
                    self._read_missing()
                idle = time.monotonic() - self._published_at >= self.poll_s
                if nudged or idle or wait == 0.0:
                    self.catch_up()
                wait = self.poll_s
            except Exception:
                log.warning(
                    "the relay could not read the outbox; again in %.0f s", RETRY_S, exc_info=True
                )
                wait = RETRY_S

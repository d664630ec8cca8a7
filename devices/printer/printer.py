"""The ``Printer`` interface and its ESC/POS implementation (network, USB, serial, file, CUPS)."""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod

from .blocks import RenderedTicket
from .config import PrinterBase
from .encode import DLE, EOT, encode_ticket
from .links import ConnectionLost, DriverUnavailable, Link, PrinterUnreachable, open_link
from .printout import Printout
from .render import RenderOptions, render_ticket
from .status import (
    NO_ANSWER,
    NO_DRIVER,
    NO_STATUS,
    NOT_CONFIRMED,
    OFFLINE,
    FailureReason,
    Outcome,
    PrinterState,
    PrinterStatus,
    PrintOutcome,
    decode_status,
    valid_answer,
)

log = logging.getLogger(__name__)


class Printer(ABC):
    """A ticket printer. Both methods may block for a few seconds (timeouts from config)."""

    config: PrinterBase

    @abstractmethod
    def print_ticket(self, printout: Printout) -> PrintOutcome:
        """Print one ticket; never raises for device problems."""

    @abstractmethod
    def status(self) -> PrinterStatus:
        """Ask the printer how it is."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (nothing is kept open between tickets by default)."""

    def render(self, printout: Printout) -> RenderedTicket:
        """The ticket laid out for this printer's paper."""
        config = self.config
        options = RenderOptions(
            width=config.dot_width,
            trim=config.center_with_justify,
            quadruple=config.quadruple,
            native_text=config.native_text is not None,
        )
        return render_ticket(printout, options)

    def encode(self, ticket: RenderedTicket) -> bytes:
        """ESC/POS bytes of a rendered ticket for this printer."""
        config = self.config
        return encode_ticket(
            ticket,
            center_with_justify=config.center_with_justify,
            feed_units_per_dot=config.feed_units_per_dot,
            cut=config.cut,
            code_page=config.native_text.code_page if config.native_text else None,
        )


def query_status(link: Link, timeout: float) -> PrinterStatus:
    """Ask ``DLE EOT 1``, ``2`` and ``4`` within ``timeout`` seconds in total.

    No answer to the first question gives UNKNOWN ("does not answer"): it is never
    taken for "paper OK". A closed connection gives OFFLINE.
    """
    deadline = time.monotonic() + timeout
    answers: dict[int, int] = {}
    try:
        link.drain()
        for n in (1, 2, 4):
            link.write(DLE + EOT + bytes((n,)))
            while True:
                byte = link.read_byte(deadline - time.monotonic())
                if byte is None or valid_answer(byte):
                    break
            if byte is None:
                break
            answers[n] = byte
    except (ConnectionLost, OSError) as exc:
        return PrinterStatus(PrinterState.OFFLINE, OFFLINE, str(exc))
    if 1 not in answers:
        return PrinterStatus(PrinterState.UNKNOWN, NO_ANSWER, "no answer to DLE EOT 1")
    return decode_status(answers[1], answers.get(2), answers.get(4))


def _failed(
    reason: FailureReason, status: PrinterStatus | None, detail: str, sent: int = 0
) -> PrintOutcome:
    return PrintOutcome(Outcome.FAILED, reason, status, sent, detail)


class EscposPrinter(Printer):
    """A real printer reached through python-escpos; a new connection for every ticket."""

    def __init__(self, config: PrinterBase) -> None:
        self.config = config

    def _open(self) -> Link:
        return open_link(self.config)

    def status(self) -> PrinterStatus:
        try:
            link = self._open()
        except DriverUnavailable as exc:
            return PrinterStatus(PrinterState.UNKNOWN, NO_DRIVER, str(exc))
        except PrinterUnreachable as exc:
            return PrinterStatus(PrinterState.OFFLINE, OFFLINE, str(exc))
        try:
            if not (self.config.status_query and link.can_read):
                return PrinterStatus(PrinterState.UNKNOWN, NO_STATUS)
            return query_status(link, self.config.status_timeout_s)
        finally:
            link.close()

    def print_ticket(self, printout: Printout) -> PrintOutcome:
        try:
            payload = self.encode(self.render(printout))
        except Exception as exc:  # a rendering bug must not kill the spooler
            log.exception("cannot render ticket %s", printout.number)
            return _failed(FailureReason.ERROR, None, f"render: {exc}")
        return self.send(payload)

    def send(self, payload: bytes) -> PrintOutcome:
        """Send a ready ESC/POS job, checking status before and after."""
        config = self.config
        try:
            link = self._open()
        except DriverUnavailable as exc:
            status = PrinterStatus(PrinterState.UNKNOWN, NO_DRIVER, str(exc))
            return _failed(FailureReason.ERROR, status, str(exc))
        except PrinterUnreachable as exc:
            status = PrinterStatus(PrinterState.OFFLINE, OFFLINE, str(exc))
            return _failed(FailureReason.OFFLINE, status, str(exc))
        checks = config.status_query and link.can_read
        try:
            if checks:
                before = query_status(link, config.status_timeout_s)
                if not before.can_print:
                    return _failed(before.failure_reason(), before, before.detail)
            try:
                link.write(payload)
            except TimeoutError as exc:
                return _failed(FailureReason.TIMEOUT, None, f"send: {exc}")
            except ConnectionLost as exc:
                status = PrinterStatus(PrinterState.OFFLINE, OFFLINE, str(exc))
                return _failed(FailureReason.OFFLINE, status, str(exc))
            if not checks:
                link.close()  # CUPS submits the job on close
                return PrintOutcome(Outcome.SENT, None, None, len(payload), NO_STATUS)
            after = query_status(link, config.confirm_timeout_s)
            if after.state is PrinterState.UNKNOWN:
                return _failed(FailureReason.TIMEOUT, after, NOT_CONFIRMED, len(payload))
            if not after.can_print:
                return _failed(after.failure_reason(), after, after.detail, len(payload))
            return PrintOutcome(Outcome.CONFIRMED, None, after, len(payload))
        except ConnectionLost as exc:
            status = PrinterStatus(PrinterState.OFFLINE, OFFLINE, str(exc))
            return _failed(FailureReason.OFFLINE, status, str(exc), len(payload) if checks else 0)
        finally:
            link.close()

"""Prometheus text exposition (format 0.0.4), written by hand to stay dependency-free."""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from collections.abc import Iterable

from queue_server.bus import Envelope

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


def _escape(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(pairs: Iterable[tuple[str, object]]) -> str:
    inner = ",".join(f'{key}="{_escape(value)}"' for key, value in pairs)
    return "{" + inner + "}" if inner else ""


class Metrics:
    """Counters fed by the bus and a request-latency histogram."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.issued: dict[str, int] = defaultdict(int)
        self.calls: dict[tuple[int, bool], int] = defaultdict(int)
        self._latency: dict[tuple[str, str], list[int]] = {}
        self._latency_sum: dict[tuple[str, str], float] = defaultdict(float)

    def on_event(self, envelope: Envelope) -> None:
        """Bus handler: count issued tickets and calls."""
        with self._lock:
            if envelope.name == "ticket_issued":
                self.issued[envelope.payload["ticket"]["service"]] += 1
            elif envelope.name == "ticket_called":
                key = (int(envelope.payload["counter"]), bool(envelope.payload["recall"]))
                self.calls[key] += 1

    def observe(self, method: str, route: str, seconds: float) -> None:
        """Record one request's duration."""
        key = (method, route)
        with self._lock:
            buckets = self._latency.setdefault(key, [0] * (len(LATENCY_BUCKETS) + 1))
            buckets[bisect.bisect_left(LATENCY_BUCKETS, seconds)] += 1
            self._latency_sum[key] += seconds

    def render(self, waiting: dict[str, int]) -> str:
        """The exposition text; ``waiting`` is people waiting per service now."""
        lines = [
            "# HELP xephang_tickets_issued_total Tickets issued since the server started.",
            "# TYPE xephang_tickets_issued_total counter",
        ]
        with self._lock:
            services = sorted(set(self.issued) | set(waiting))
            for service in services:
                lines.append(
                    f"xephang_tickets_issued_total{_labels([('service', service)])} "
                    f"{self.issued.get(service, 0)}"
                )
            lines += [
                "# HELP xephang_tickets_waiting People waiting per service now.",
                "# TYPE xephang_tickets_waiting gauge",
            ]
            for service in services:
                lines.append(
                    f"xephang_tickets_waiting{_labels([('service', service)])} "
                    f"{waiting.get(service, 0)}"
                )
            lines += [
                "# HELP xephang_calls_total Calls (and recalls) to counters since start.",
                "# TYPE xephang_calls_total counter",
            ]
            for (counter, recall), count in sorted(self.calls.items()):
                labels = _labels([("counter", counter), ("recall", str(recall).lower())])
                lines.append(f"xephang_calls_total{labels} {count}")
            lines += [
                "# HELP xephang_http_request_duration_seconds HTTP request latency.",
                "# TYPE xephang_http_request_duration_seconds histogram",
            ]
            for (method, route), buckets in sorted(self._latency.items()):
                base = [("method", method), ("route", route)]
                total = 0
                for bound, count in zip((*LATENCY_BUCKETS, float("inf")), buckets, strict=True):
                    total += count
                    le = "+Inf" if bound == float("inf") else repr(bound)
                    lines.append(
                        f"xephang_http_request_duration_seconds_bucket"
                        f"{_labels([*base, ('le', le)])} {total}"
                    )
                lines.append(
                    f"xephang_http_request_duration_seconds_sum{_labels(base)} "
                    f"{self._latency_sum[(method, route)]:.6f}"
                )
                lines.append(f"xephang_http_request_duration_seconds_count{_labels(base)} {total}")
        return "\n".join(lines) + "\n"

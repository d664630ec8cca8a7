"""Prometheus metrics with prometheus_client, in a registry of their own per app.

Each app has its own ``CollectorRegistry`` (not the library's global one): tests build
many apps in one process, and two apps must not count into the same metrics.

In cluster mode each server process counts for itself and is scraped on its own: every
series then carries a ``process`` label (``<host>:<pid>``), and
``xephang_redis_failures_total`` counts the shared-state calls that went without Redis.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from queue_server.core.envelope import Envelope

# No ``*_created`` series (a process-wide switch of the library): Prometheus sees a
# counter's reset itself, and the exposition stays the one documented before.
disable_created_metrics()

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    """Counters fed by the relay, people waiting per service and a request-latency histogram."""

    def __init__(self, process: str | None = None) -> None:
        """``process``: this process's name in a cluster (adds the ``process`` label and
        the Redis failure counter); None on a single-machine center."""
        self.registry = CollectorRegistry(auto_describe=False)
        self._issued = Counter(
            "xephang_tickets_issued",
            "Tickets issued since the server started.",
            ["service"],
            registry=self.registry,
        )
        self._waiting = Gauge(
            "xephang_tickets_waiting",
            "People waiting per service now.",
            ["service"],
            registry=self.registry,
        )
        self._calls = Counter(
            "xephang_calls",
            "Calls (and recalls) to counters since start.",
            ["counter", "recall"],
            registry=self.registry,
        )
        self._latency = Histogram(
            "xephang_http_request_duration_seconds",
            "HTTP request latency.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._scrape = threading.Lock()  # one scrape sets the waiting gauges at a time
        self._redis_failures: Counter | None = None
        self._exposed = self.registry
        if process is not None:
            self._redis_failures = Counter(
                "xephang_redis_failures",
                "Shared-state calls that went without Redis (failed, or skipped while it "
                "was down): rate limits allowed, counter holders of this process only.",
                ["part"],
                registry=self.registry,
            )
            self._exposed = CollectorRegistry(auto_describe=False)
            self._exposed.register(ProcessLabel(self.registry, process))

    def on_event(self, envelope: Envelope) -> None:
        """Bus handler: count issued tickets and calls."""
        if envelope.name == "ticket_issued":
            self._issued.labels(envelope.payload["ticket"]["service"]).inc()
        elif envelope.name == "ticket_called":
            recall = str(bool(envelope.payload["recall"])).lower()
            self._calls.labels(int(envelope.payload["counter"]), recall).inc()

    def observe(self, method: str, route: str, seconds: float) -> None:
        """Record one request's duration."""
        self._latency.labels(method, route).observe(seconds)

    def count_redis_failure(self, part: str) -> None:
        """One shared-state call of ``part`` went without Redis (cluster mode)."""
        if self._redis_failures is not None:
            self._redis_failures.labels(part).inc()

    def render(self, waiting: dict[str, int]) -> str:
        """The exposition text; ``waiting`` is people waiting per service now."""
        with self._scrape:
            self._waiting.clear()  # a service removed since the last scrape is not listed
            for service, count in waiting.items():
                self._issued.labels(service)  # listed at 0 until its first ticket
                self._waiting.labels(service).set(count)
            return generate_latest(self._exposed).decode()


class ProcessLabel(Collector):
    """Another registry's metrics, every sample with ``process="<name>"`` added."""

    def __init__(self, registry: CollectorRegistry, process: str) -> None:
        self._registry = registry
        self._process = process

    def collect(self) -> Iterable[Metric]:
        for family in self._registry.collect():
            family.samples = [
                sample._replace(labels={**sample.labels, "process": self._process})
                for sample in family.samples
            ]
            yield family

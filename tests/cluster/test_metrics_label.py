"""Metrics per process: the ``process`` label and the Redis failure count in cluster mode
only; a single-machine center's exposition is unchanged."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from queue_server.web.metrics import Metrics


def _families(metrics: Metrics) -> dict[str, list[dict[str, str]]]:
    text = metrics.render({"HT": 2})
    return {
        family.name: [sample.labels for sample in family.samples]
        for family in text_string_to_metric_families(text)
    }


def test_a_single_machine_has_no_process_label_and_no_redis_count() -> None:
    metrics = Metrics()
    metrics.count_redis_failure("issue_limiter")  # no Redis here: nothing to count
    families = _families(metrics)
    assert "xephang_redis_failures" not in families
    assert families["xephang_tickets_waiting"] == [{"service": "HT"}]


def test_in_a_cluster_every_sample_names_the_process() -> None:
    metrics = Metrics("host-a:41")
    metrics.observe("POST", "/api/v1/tickets", 0.003)
    metrics.count_redis_failure("issue_limiter")
    metrics.count_redis_failure("issue_limiter")
    families = _families(metrics)
    assert families["xephang_redis_failures"] == [{"part": "issue_limiter", "process": "host-a:41"}]
    assert families["xephang_tickets_waiting"] == [{"service": "HT", "process": "host-a:41"}]
    latency = families["xephang_http_request_duration_seconds"]
    assert latency and all(labels["process"] == "host-a:41" for labels in latency)
    assert "process" not in _families(Metrics())["xephang_tickets_waiting"][0]

"""Cluster mode with every server process running its own device worker: each kiosk
ticket prints once, and every process shows the printer as its driver reported it."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from queue_server.auth.tokens import create_token
from tests.cluster.cluster_rig import Cluster
from tests.cluster.conftest import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_two_servers_driving_one_printer_print_each_ticket_once(cluster: Cluster) -> None:
    cluster.config.write_text(
        cluster.config.read_text(encoding="utf-8") + "\n[devices]\nlease_s = 1.5\n", "utf-8"
    )
    first, second = cluster.add(2)
    queue = cluster.queue()
    kiosk, _info = create_token(queue.db, "kiosk", name="kiosk-1")  # its tickets print
    queue.db.dispose()
    admin = cluster.token("admin")
    headers = {"Authorization": f"Bearer {kiosk}"}
    issued = [
        requests.post(f"{server.url}/api/v1/tickets", json={"service": "HT"}, headers=headers,
                      timeout=10).json()["id"]
        for server in (first, second, first, second)
    ]  # fmt: skip

    def states() -> list[str]:
        found = []
        for ticket in issued:
            jobs = requests.get(
                f"{first.url}/api/v1/tickets/{ticket}/print-jobs",
                headers={"Authorization": f"Bearer {admin}"}, timeout=10,
            ).json()["jobs"]  # fmt: skip
            found += [job["state"] for job in jobs]
        return found

    wait_for(lambda: states() == ["confirmed"] * 4, within_s=30)
    folder = Path(cluster.folder / "data" / "tickets" / "kiosk-1")
    assert len(list(folder.glob("*.png"))) == 4
    reports = [
        requests.get(f"{server.url}/api/v1/readyz", timeout=10).json()["devices"]["printer:kiosk-1"]
        for server in (first, second)
    ]
    assert {r["ok"] for r in reports} == {True}
    # One process drives it and checks it now; the other shows its stored report.
    assert len([r for r in reports if "reported_by" in r]) == 1

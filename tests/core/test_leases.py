"""Device leases on SQLite and PostgreSQL: one holder per device, renewals, takeovers."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Sequence

from queue_server.core.devicereports import read_reports, store_reports
from queue_server.core.leasekeeper import LeaseKeeper
from queue_server.core.leases import (
    Claim,
    LeaseState,
    claim_leases,
    holder_is_dead,
    leases,
    new_holder,
    release_leases,
)
from queue_server.core.operations import Queue
from queue_server.core.printjobs import jobs_for_ticket, record_job, record_missing

KEY = "tcp:10.0.0.5:9100"


def claim(queue: Queue, holder: str, take_over: int | None = None, **kw: object) -> LeaseState:
    [state] = claim_leases(queue.db, holder, [Claim(KEY, take_over, **kw)], 15, queue.clock.now())  # type: ignore[arg-type]
    return state


def test_the_first_claim_takes_a_free_lease_and_renewals_move_its_version(queue: Queue) -> None:
    first = claim(queue, "a")
    assert (first.held, first.gained, first.holder, first.version) == (True, True, "a", 1)
    renewed = claim(queue, "a")
    assert (renewed.held, renewed.gained, renewed.version) == (True, False, 2)
    other = claim(queue, "b")
    assert (other.held, other.holder, other.version) == (False, "a", 2)


def test_a_lease_is_taken_over_only_at_the_version_seen(queue: Queue) -> None:
    claim(queue, "a")
    seen = claim(queue, "b")
    claim(queue, "a")  # the holder renewed meanwhile: what b saw is old
    assert not claim(queue, "b", take_over=seen.version).held
    now_seen = claim(queue, "b")
    taken = claim(queue, "b", take_over=now_seen.version)
    assert (taken.held, taken.gained, taken.holder) == (True, True, "b")
    assert not claim(queue, "a").held  # the old holder learns it lost the lease


def test_a_released_lease_is_free_at_once(queue: Queue) -> None:
    claim(queue, "a")
    assert release_leases(queue.db, "b", [KEY], queue.clock.now()) == 0  # not b's
    assert release_leases(queue.db, "a", [KEY], queue.clock.now()) == 1
    assert claim(queue, "b").held
    assert [(s.key, s.holder) for s in leases(queue.db)] == [(KEY, "b")]


def test_concurrent_claims_give_the_lease_to_exactly_one(queue: Queue) -> None:
    keys = [f"serial:host:/dev/ttyUSB{i}" for i in range(5)]
    results: dict[str, list[LeaseState]] = {}
    barrier = threading.Barrier(4)

    def run(holder: str) -> None:
        barrier.wait()
        claims = [Claim(k) for k in keys]
        results[holder] = claim_leases(queue.db, holder, claims, 15, queue.clock.now())

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for key in keys:
        holders = [h for h, states in results.items() for s in states if s.key == key and s.held]
        assert len(holders) == 1, (key, holders)


def test_gaining_a_printer_abandons_the_jobs_its_old_driver_left(queue: Queue) -> None:
    ticket = queue.issue("HT", channel="kiosk", kiosk="kiosk-1").value
    printed = queue.issue("HT", channel="kiosk", kiosk="kiosk-1").value
    for job, state in ((ticket.id, "queued"), (printed.id, "confirmed")):
        record_job(
            queue.db, job_id=str(job), kiosk="kiosk-1", state=state, reason=None, detail="",
            attempts=1, awaiting_recovery=False, at=queue.clock.now(),
        )  # fmt: skip
    claim(queue, "a", kiosks=("kiosk-1",))
    [left] = jobs_for_ticket(queue.db, ticket.id)
    [done] = jobs_for_ticket(queue.db, printed.id)
    assert (left.state, left.reason) == ("failed", "abandoned")
    assert done.state == "confirmed"  # never touched: printed is printed


def test_a_job_nobody_recorded_is_recorded_as_not_driven_once(queue: Queue) -> None:
    lost = queue.issue("HT", channel="kiosk", kiosk="kiosk-1").value
    printed = queue.issue("HT", channel="kiosk", kiosk="kiosk-1").value
    record_job(
        queue.db, job_id=str(printed.id), kiosk="kiosk-1", state="confirmed", reason=None,
        detail="", attempts=1, awaiting_recovery=False, at=queue.clock.now(),
    )  # fmt: skip
    jobs = [(str(lost.id), "kiosk-1"), (str(printed.id), "kiosk-1"), ("999999", "kiosk-1")]
    assert record_missing(queue.db, jobs, queue.clock.now()) == 1
    assert record_missing(queue.db, jobs, queue.clock.now()) == 0
    [job] = jobs_for_ticket(queue.db, lost.id)
    assert (job.state, job.reason) == ("failed", "no_driver")
    assert jobs_for_ticket(queue.db, printed.id)[0].state == "confirmed"


class Store:
    """The database as a lease store, and a monotonic clock the test moves."""

    def __init__(self, queue: Queue) -> None:
        self.queue = queue

    def claim(self, holder: str, ttl_s: float, claims: Sequence[Claim]) -> list[LeaseState]:
        return claim_leases(self.queue.db, holder, claims, ttl_s, self.queue.clock.now())

    def release(self, holder: str, keys: Sequence[str]) -> None:
        release_leases(self.queue.db, holder, keys, self.queue.clock.now())


class Ticker:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def keeper(queue: Queue, ticker: Ticker, holder: str) -> LeaseKeeper:
    kept = LeaseKeeper(Store(queue), holder, 3.0, monotonic=ticker, is_dead=lambda _h: False)
    kept.want({KEY: ["kiosk-1"]})
    return kept


def test_a_keeper_takes_over_when_the_holder_stops_renewing_for_its_ttl(queue: Queue) -> None:
    ticker = Ticker()
    first, second = keeper(queue, ticker, "a"), keeper(queue, ticker, "b")
    assert first.round().gained == {KEY}
    assert not second.round() and not second.holds(KEY)
    for _ in range(4):  # the holder renews every second: never taken over
        ticker.now += 1.0
        assert not first.round() and first.holds(KEY)
        assert not second.round()
    assert second.someone_else_holds(KEY)
    # The holder stops (dies) without releasing: its validity ends 3 s after its
    # last renewal began; the other waits 3 s from when it saw that renewal.
    ticker.now += 2.9
    assert not second.round()
    assert first.holds(KEY)
    ticker.now += 0.2
    assert not first.holds(KEY)
    assert second.round().gained == {KEY}
    assert second.holds(KEY)
    assert first.round().lost == {KEY}  # the old holder's next round says so


def test_a_lease_whose_renewal_cannot_be_sent_lapses(queue: Queue) -> None:
    ticker = Ticker()
    first = keeper(queue, ticker, "a")
    first.round()
    queue.db.dispose()

    class Broken(Store):
        def claim(self, holder: str, ttl_s: float, claims: Sequence[Claim]) -> list[LeaseState]:
            raise ConnectionError("no database")

    first.store = Broken(queue)
    ticker.now += 1
    assert not first.round() and first.holds(KEY) and not first.reachable
    ticker.now += 2.5
    assert first.round().lost == {KEY}


def test_a_dead_process_of_this_host_loses_its_lease_at_once(queue: Queue) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = new_holder(child.pid)
    assert not holder_is_dead(dead)  # still running
    claim(queue, dead)
    child.kill()
    child.wait()
    assert holder_is_dead(dead)
    ticker = Ticker()
    taker = LeaseKeeper(Store(queue), "b", 3.0, monotonic=ticker)
    taker.want({KEY: []})
    assert taker.round().gained == {KEY}  # no wait: its holder is gone
    assert not holder_is_dead(new_holder())  # this process
    assert not holder_is_dead("otherhost:1:1:abc")


def test_a_device_report_not_renewed_for_three_periods_is_stale(queue: Queue) -> None:
    status = {"ok": True, "state": "online"}
    store_reports(queue.db, "w", {"printer:kiosk-1": status}, 5.0, queue.clock.now())
    queue.clock.advance(seconds=14)  # type: ignore[attr-defined]
    [fresh] = read_reports(queue.db)
    check = fresh.to_check(queue.clock.now())
    assert (check["ok"], check["stale"], check["age_s"], check["reported_by"]) == (
        True, False, 14.0, "w"
    )  # fmt: skip
    queue.clock.advance(seconds=2)  # type: ignore[attr-defined]
    [old] = read_reports(queue.db)
    assert old.to_check(queue.clock.now())["ok"] is False and old.stale(queue.clock.now())
    store_reports(queue.db, "w", {}, 5.0, queue.clock.now(), gone=["printer:kiosk-1"])
    assert read_reports(queue.db) == []

"""The figures of issue #19 in one table: this code, and optionally an older checkout's.

Runs, for each version of the code, the benchmarks behind the HTTP targets and prints
one Markdown table of target, before, after and whether the target is met:

- ``api.py`` on SQLite: a sequential keep-alive client, 8 keep-alive clients, then
  issuing with 0 / 1,000 / 10,000 tickets already waiting; the cost of one durable
  SQLite commit is measured in the same run, before and after;
- ``api.py`` on SQLite with 50 Socket.IO displays connected, three times, in turns
  with three runs without them on the same server (``--paired 3``: medians);
- ``api.py`` on PostgreSQL with 8 clients;
- ``catchup.py``: issuing while the daily maintenance catches up 393 missed days;
- ``realtime.py``: call → 50 displays.

``--before DIR``: a checkout of the older code with its own ``.venv`` (``make
.venv/.installed`` there). The same scripts (these) measure both: they import the code
of ``XEPHANG_CODE``, run with that checkout's Python; the two versions take turns, one
benchmark at a time, so that both see the same machine.

    .venv/bin/python bench/targets.py [--before ../old-checkout] [--count 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

Figures = dict[str, Any]


def bench_steps(count: int) -> dict[str, list[str]]:
    """Each benchmark's script and arguments."""
    clients = ["--clients", "8", "--count", str(count)]
    waiting = ["--waiting", "0,1000,10000"]
    return {
        "sqlite": ["api.py", *clients, "--modes", "keep-alive"],
        "waiting": ["api.py", "--clients", "0", "--count", str(count), "--modes", "", *waiting],
        "displays": ["api.py", *clients, "--modes", "", "--displays", "50", "--paired", "3"],
        "postgresql": ["api.py", *clients, "--modes", "", "--database", "postgresql"],
        "catchup": ["catchup.py"],
        "realtime": ["realtime.py", "--rounds", "100", "--clients", "50"],
    }


def run_step(code: Path, step: list[str]) -> Figures:
    """One benchmark against the code in ``code``; its figures."""
    python = code / ".venv" / "bin" / "python"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        command = [str(python), str(HERE / step[0]), *step[1:], "--json", str(out)]
        env = {**os.environ, "XEPHANG_CODE": str(code)}
        print(f"# {code.name or code}: {' '.join(step)}", file=sys.stderr, flush=True)
        subprocess.run(command, env=env, check=True, stdout=sys.stderr)
        figures: Figures = json.loads(out.read_text(encoding="utf-8"))
        return figures


def rates(pair: list[float]) -> str:
    return f"{pair[0]:,.0f} / {pair[1]:,.0f}"


def cpu(pair: list[float]) -> str:
    return f"{pair[2]:.2f} / {pair[3]:.2f}"


def spread(waiting: dict[str, list[float]]) -> float:
    """How far the issue rates at the waiting levels are apart: max / min - 1."""
    values = [rate for rate, _cpu in waiting.values()]
    return max(values) / min(values) - 1


def catch_up(figures: Figures) -> str:
    """Whether the server answered during the catch-up, and how fast."""
    if figures["during"] <= 10:  # its first answer came once the catch-up was over
        return f"none: no answer for {figures['ready_s']:.1f} s"
    return (
        f"{figures['during']:,} ({figures['during_rate']:.0f}/s); "
        f"{figures['p99_ms']:.0f} / {figures['max_ms']:.0f}"
    )


def rows(found: Figures) -> list[tuple[str, str, str, bool]]:
    """(figure, target, value, met) for one version's figures."""
    sqlite, displays, pg = found["sqlite"], found["displays"], found["postgresql"]
    catchup, realtime = found["catchup"], found["realtime"]["50"]
    clients, alone = sqlite["clients"], sqlite["keep-alive"]
    paired = displays["paired"]  # without and with, in turns on one server: medians
    shown, alone_paired, held = paired["with"], paired["without"], paired["held"]
    waiting = found["waiting"]["waiting"]
    levels = " / ".join(f"{rate:,.0f}" for rate, _cpu in waiting.values())
    return [
        (
            "durable SQLite commit, ms (start / end of the SQLite run)",
            "(the limit)",
            " / ".join(f"{ms:.2f}" for ms in sqlite["fsync_ms"]),
            True,
        ),
        (
            "SQLite, 8 keep-alive clients: issues/s / calls/s",
            "≥ 1,500 / ≥ 1,500",
            rates(clients),
            min(clients[:2]) >= 1500,
        ),
        ("  server CPU ms per issue / call", "", cpu(clients), True),
        (
            "SQLite, one keep-alive client: issues/s / calls/s",
            "≥ 800 / ≥ 800",
            rates(alone),
            min(alone[:2]) >= 800,
        ),
        ("  server CPU ms per issue / call", "", cpu(alone), True),
        (
            "PostgreSQL, 8 keep-alive clients: issues/s / calls/s",
            "≥ 1,000 / ≥ 1,000",
            rates(pg["clients"]),
            min(pg["clients"][:2]) >= 1000,
        ),
        ("  server CPU ms per issue / call", "", cpu(pg["clients"]), True),
        (
            "SQLite, 8 clients with 50 displays: issues/s / calls/s (median of 3, "
            "in turns with 3 without on the same server)",
            "within 10 % of without",
            f"{rates(shown)} ({held:.0%} of {rates(alone_paired)}, the lower)",
            held >= 0.9,
        ),
        ("  server CPU ms per issue / call", "", cpu(shown), True),
        (
            "issues/s with 0 / 1,000 / 10,000 waiting",
            "within 10 %",
            f"{levels} (spread {spread(waiting):.0%})",
            spread(waiting) <= 0.10,
        ),
        (
            "catch-up of 393 days: issues answered meanwhile; latency p99 / max, ms",
            "max ≤ 50",
            catch_up(catchup),
            catchup["during"] > 10 and catchup["max_ms"] <= 50,
        ),
        (
            "call → 50 displays, p99 ms (the last display of a call)",
            "≤ 25",
            f"{realtime['all_p99']:.1f}",
            realtime["all_p99"] <= 25,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a checkout of the older code")
    parser.add_argument("--count", type=int, default=1000, help="per client and phase")
    parser.add_argument("--only", help="comma-separated steps (default: all)")
    parser.add_argument("--save", type=Path, help="write every figure to this JSON file")
    args = parser.parse_args()
    versions = {"after": REPO}
    if args.before:
        versions = {"before": args.before.resolve(), "after": REPO}
    steps = bench_steps(args.count)
    chosen = args.only.split(",") if args.only else list(steps)
    found: dict[str, Figures] = {name: {} for name in versions}
    for step in chosen:
        for name, code in versions.items():
            found[name][step] = run_step(code, steps[step])
    if args.save:
        args.save.write_text(json.dumps(found, indent=1), encoding="utf-8")
    if set(chosen) != set(steps):
        print(json.dumps(found, indent=1))
        return
    table = {name: rows(figures) for name, figures in found.items()}
    names = list(versions)
    print("| figure | target | " + " | ".join(names) + " | met |")
    print("|---|---|" + "---:|" * len(names) + "---|")
    for index, (label, target, _value, _met) in enumerate(table["after"]):
        values = [table[name][index][2] for name in names]
        met = "yes" if table["after"][index][3] else "**no**"
        print(f"| {label} | {target} | " + " | ".join(values) + f" | {met if target else ''} |")
    print("\nload average during the runs: " + json.dumps({
        name: [figures[step].get("load") for step in chosen] for name, figures in found.items()
    }))  # fmt: skip


if __name__ == "__main__":
    main()

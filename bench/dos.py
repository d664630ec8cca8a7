"""Availability under held connections: idle screens, bare upgrades and slowloris clients.

Starts the production server (``xephang run``'s gunicorn command, or the old
``gthread`` one with ``--server gthread``) on a fresh SQLite database, measures ticket
issue, call-next and healthz latency on a quiet server, then again while a second process
holds, from loopback source addresses 127.0.0.2 … 127.0.0.250:

- ``--screens`` Socket.IO connections that joined ``/display`` with a valid token and
  stay idle (they answer pings and receive every call, as screens do);
- ``--bare`` bare ``GET /socket.io/?EIO=4&transport=websocket`` upgrades with no
  namespace and no token, each reopened as soon as the server closes it;
- ``--slow`` slowloris clients sending one header byte every 3 s, reopened when closed.

Prints p50/p99/max per operation, failures (no answer within ``--timeout``), how often the
server closed the bare and slow connections, and the server's RSS (from /proc) quiet and
under load. Loopback only; everything stops by itself (``--hold`` bounds the attack).

    .venv/bin/python bench/dos.py [--screens 40] [--bare 1000] [--slow 300]
        [--seconds 30] [--server gevent|gthread]
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SOURCES = [f"127.0.0.{n}" for n in range(2, 251)]
GTHREAD = ["-k", "gthread", "-w", "1", "--threads", "100", "--no-control-socket"]


# ---- the attacking process -------------------------------------------------------------


class Tally:
    """What the attackers saw."""

    def __init__(self) -> None:
        self.screens = 0
        self.bare_open = 0
        self.bare_closed = 0
        self.slow_open = 0
        self.slow_closed = 0
        self.refused = 0


async def screen(port: int, source: str, token: str, tally: Tally, stop: asyncio.Event) -> None:
    """An idle screen: joins /display with its token, answers pings, reads every frame."""
    import aiohttp

    connector = aiohttp.TCPConnector(local_addr=(source, 0), limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        url = f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"
        try:
            async with session.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_close=2)) as ws:
                await ws.receive()  # the Engine.IO open packet
                await ws.send_str("40/display," + json.dumps({"token": token}))
                joined = False
                async for message in ws:
                    if message.type != aiohttp.WSMsgType.TEXT:
                        break
                    if message.data == "2":
                        await ws.send_str("3")
                    elif message.data.startswith("40/display,") and not joined:
                        joined = True
                        tally.screens += 1
                    if stop.is_set():
                        break
                if joined:
                    tally.screens -= 1
        except (TimeoutError, aiohttp.ClientError, OSError):
            tally.refused += 1


async def bare(port: int, source: str, tally: Tally, stop: asyncio.Event) -> None:
    """A bare upgrade that joins nothing; reopened whenever the server closes it."""
    import aiohttp

    url = f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"
    connector = aiohttp.TCPConnector(local_addr=(source, 0), limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        while not stop.is_set():
            try:
                async with session.ws_connect(url) as ws:
                    tally.bare_open += 1
                    async for _message in ws:
                        if stop.is_set():
                            break
                tally.bare_open -= 1
                tally.bare_closed += 1
            except (TimeoutError, aiohttp.ClientError, OSError):
                tally.refused += 1
                await asyncio.sleep(1)  # refused: try again later, as an attacker would


async def slowloris(port: int, source: str, tally: Tally, stop: asyncio.Event) -> None:
    """Headers that never end: one byte every 3 s; reopened when the server closes it."""
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, local_addr=(source, 0)
            )
        except OSError:
            tally.refused += 1
            await asyncio.sleep(1)
            continue
        tally.slow_open += 1
        try:
            writer.write(b"POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            while not stop.is_set():
                try:
                    if not await asyncio.wait_for(reader.read(4096), 3):
                        break  # closed by the server
                except TimeoutError:
                    writer.write(b"a")
                    await writer.drain()
        except OSError:
            pass
        finally:
            tally.slow_open -= 1
            tally.slow_closed += 1
            writer.close()


async def attack(args: argparse.Namespace) -> None:
    """Hold the connections until stdin closes or ``--hold`` seconds have passed."""
    tally = Tally()
    stop = asyncio.Event()
    tasks = []
    count = 0
    for _ in range(args.screens):
        tasks.append(
            asyncio.create_task(screen(args.port, SOURCES[count % 249], args.token, tally, stop))
        )
        count += 1
        if count % 50 == 0:
            await asyncio.sleep(0.05)  # a ramp, not a burst: the backlog is 2,048
    for _ in range(args.bare):
        tasks.append(asyncio.create_task(bare(args.port, SOURCES[count % 249], tally, stop)))
        count += 1
    for _ in range(args.slow):
        tasks.append(asyncio.create_task(slowloris(args.port, SOURCES[count % 249], tally, stop)))
        count += 1
    loop = asyncio.get_running_loop()
    finished = loop.run_in_executor(None, sys.stdin.read)  # the parent closes stdin to stop
    deadline = time.monotonic() + args.hold
    ready = False
    while time.monotonic() < deadline and not finished.done():
        held = tally.screens + tally.bare_open + tally.slow_open
        if not ready and tally.screens >= args.screens * 0.99 and held >= count * 0.95:
            ready = True
            print("READY", flush=True)
        print("TALLY " + json.dumps(vars(tally)), flush=True)
        await asyncio.sleep(1)
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    os._exit(0)  # the stdin reader thread may still block


# ---- the measuring process -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(folder: Path) -> Path:
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = re.sub(r"^data_dir = .*$", f'data_dir = "{folder}"', text, flags=re.M)
    text += "\n[api]\nissue_rate_per_minute = 100000\n"
    path = folder / "bench.toml"
    path.write_text(text, encoding="utf-8")
    return path


def server_command(kind: str, port: int) -> list[str]:
    from queue_server.cli.run import WSGI_APP, gunicorn_command

    if kind == "gevent":
        return gunicorn_command("127.0.0.1", port)
    return [sys.executable, "-m", "gunicorn", *GTHREAD, "--bind", f"127.0.0.1:{port}", WSGI_APP]


def request(port: int, method: str, path: str, token: str | None, timeout: float) -> float:
    """Seconds for one request on a new connection; ``timeout`` if it got no answer."""
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = json.dumps({"service": "HT"}) if path.endswith("tickets") else None
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status >= 300:
            return timeout
    except OSError:
        return timeout
    return time.perf_counter() - started


def measure(
    port: int, tokens: dict[str, str], seconds: float, timeout: float, server_pid: int
) -> tuple[dict[str, list[float]], float]:
    """Issue, call-next and healthz, ten rounds a second for ``seconds``; and peak RSS."""
    times: dict[str, list[float]] = {"issue": [], "call-next": [], "healthz": []}
    peak = 0.0
    started = time.monotonic()
    while (now := time.monotonic()) < started + seconds:
        times["issue"].append(request(port, "POST", "/api/v1/tickets", tokens["kiosk"], timeout))
        times["call-next"].append(
            request(port, "POST", "/api/v1/counters/2/next", tokens["officer"], timeout)
        )
        times["healthz"].append(request(port, "GET", "/api/v1/healthz", None, timeout))
        peak = max(peak, rss_mb(server_pid))
        time.sleep(max(0.0, now + 0.1 - time.monotonic()))  # pacing: ten rounds a second
    return times, peak


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children, in MiB."""
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(child) for child in children]
    except OSError:
        pass
    total = 0
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def report(label: str, times: dict[str, list[float]], timeout: float) -> None:
    for name, values in times.items():
        ordered = sorted(values)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        failed = sum(1 for v in values if v >= timeout)
        print(
            f"{label:<10}{name:<11}{statistics.median(values) * 1000:>9.1f}"
            f"{p99 * 1000:>9.1f}{max(values) * 1000:>9.1f}{failed:>8}/{len(values)}"
        )


def wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server exited")
        if request(port, "GET", "/api/v1/healthz", None, 1) < 1:
            return
        time.sleep(0.1)  # polling a starting server
    raise SystemExit("the server did not start")


def run(args: argparse.Namespace) -> None:
    from queue_server.auth.tokens import create_token
    from queue_server.core.bootstrap import open_queue
    from queue_server.settings import load_settings

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it
    with tempfile.TemporaryDirectory() as tmp:
        config = write_config(Path(tmp))
        queue = open_queue(load_settings(config))
        tokens = {
            role: create_token(queue.db, role, counter=2 if role == "officer" else None)[0]
            for role in ("kiosk", "officer", "display")
        }
        queue.db.dispose()
        port = free_port()
        env = {**os.environ, "XEPHANG_CONFIG": str(config)}
        server = subprocess.Popen(
            server_command(args.server, port),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        attacker: subprocess.Popen[str] | None = None
        try:
            wait_ready(port, server)
            print(
                f"server: {args.server}; {args.screens} idle screens, {args.bare} bare "
                f"upgrades, {args.slow} slowloris clients over {len(SOURCES)} loopback addresses"
            )
            quiet, quiet_rss = measure(port, tokens, args.seconds, args.timeout, server.pid)
            attacker = subprocess.Popen(
                [
                    sys.executable, __file__, "--attack", "--port", str(port),
                    "--token", tokens["display"], "--screens", str(args.screens),
                    "--bare", str(args.bare), "--slow", str(args.slow),
                    "--hold", str(args.hold),
                ],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            assert attacker.stdout is not None
            started = time.monotonic()
            tally: dict[str, int] = {}
            for line in attacker.stdout:
                if line.startswith("TALLY "):
                    tally = json.loads(line[6:])
                if line.startswith("READY") or time.monotonic() - started > args.ramp:
                    break
            ramp = time.monotonic() - started
            loaded, loaded_rss = measure(port, tokens, args.seconds, args.timeout, server.pid)
            for line in attacker.stdout:  # the latest tally
                if line.startswith("TALLY "):
                    tally = json.loads(line[6:])
                    break
            print(f"held after {ramp:.0f} s of ramp: {json.dumps(tally)}")
            print(f"{'':<10}{'request':<11}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'failed':>11}")
            report("quiet", quiet, args.timeout)
            report("loaded", loaded, args.timeout)
            print(f"server RSS (peak): quiet {quiet_rss:.0f} MiB, loaded {loaded_rss:.0f} MiB")
        finally:
            if attacker is not None:
                if attacker.stdin:
                    attacker.stdin.close()
                try:
                    attacker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    attacker.kill()
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", type=int, default=40, help="a center has 20-40")
    parser.add_argument("--bare", type=int, default=1000)
    parser.add_argument("--slow", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=30.0, help="each measurement")
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds: no answer")
    parser.add_argument("--ramp", type=float, default=60.0, help="longest wait for the load")
    parser.add_argument("--hold", type=float, default=300.0, help="the attack's own limit")
    parser.add_argument("--server", choices=("gevent", "gthread"), default="gevent")
    parser.add_argument("--attack", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.attack:
        asyncio.run(attack(args))
    else:
        run(args)


if __name__ == "__main__":
    main()

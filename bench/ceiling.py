"""How far the HTTP path is from the limit of its server: the same request on three apps.

Runs ``GET /api/v1/healthz`` from ``--clients`` keep-alive client threads (as
``bench/api.py`` does) against three apps, each served by gunicorn with one gevent
worker on 127.0.0.1:

- ``bare``: a WSGI function answering the same JSON body (the server alone: gunicorn,
  gevent, the socket);
- ``flask``: a plain Flask app with that one route (what Flask adds);
- ``xephang``: the production server on the demo center (what xephang's middleware and
  request hooks add: proxies, language, metrics, headers, the worker's limits).

Prints requests/s and the server's CPU ms per request (its processes' user + system
time), then xephang's issue and call-next from ``bench/api.py`` for comparison: the
first three rows are the floor under any request. One worker process runs on one core,
so N requests/s need at most 1000 / N ms of server CPU per request (1,500/s: 0.67 ms).

    .venv/bin/python bench/ceiling.py [--clients 8] [--count 3000] [--json out.json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

BODY = b'{"status":"ok"}\n'
PATH = "/api/v1/healthz"


def bare(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """The smallest WSGI app answering what xephang's health check answers."""
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]
    start_response("200 OK", headers)
    return [BODY]


def make_flask() -> Any:
    """A Flask app with xephang's health route and nothing else."""
    from flask import Flask, jsonify

    app = Flask("ceiling")

    @app.get(PATH)
    def healthz() -> Any:
        return jsonify({"status": "ok"})

    return app


def plain_server(app: str, port: int) -> subprocess.Popen[bytes]:
    """``app`` (``module:name`` or ``module:factory()`` in bench/) under gunicorn, one
    gevent worker."""
    command = [
        sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1", "--no-control-socket",
        "--chdir", str(HERE), "--bind", f"127.0.0.1:{port}", app,
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(port: int, server_pid: int, clients: int, count: int) -> tuple[float, float]:
    """``clients`` keep-alive threads, ``count`` GETs each: requests/s, CPU ms/request."""
    import api  # type: ignore[import-not-found]

    def client() -> Callable[[], int]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def run() -> int:
            for _ in range(count):
                connection.request("GET", PATH)
                response = connection.getresponse()
                response.read()
                assert response.status == 200, response.status
            return count

        return run

    for _ in range(2):  # warm-up, not measured
        client()()
    cpu = api.process_cpu_s(server_pid)
    rate = api.in_parallel([client() for _ in range(clients)])
    cpu_ms = 1000 * (api.process_cpu_s(server_pid) - cpu) / (clients * count)
    return rate, cpu_ms


def run_app(name: str, clients: int, count: int) -> tuple[float, float]:
    """Start the app called ``name``, measure it, stop it."""
    import api

    port = api.free_port()
    with tempfile.TemporaryDirectory() as tmp:
        if name == "xephang":
            config = api.write_config(Path(tmp))
            server = api.start_server("gevent", config, port)
        else:
            app = "ceiling:bare" if name == "bare" else "ceiling:make_flask()"  # a factory
            server = plain_server(app, port)
        try:
            api.wait_ready(port)
            return measure(port, server.pid, clients, count)
        finally:
            server.terminate()
            server.wait(timeout=30)


def xephang_operations(clients: int) -> tuple[float, float, float, float]:
    """Issue and call-next from bench/api.py (8 clients): rates and CPU ms each."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "api.json"
        command = [
            sys.executable, str(HERE / "api.py"), "--clients", str(clients), "--count", "1000",
            "--modes", "", "--json", str(out),
        ]  # fmt: skip
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=os.environ)
        figures = json.loads(out.read_text(encoding="utf-8"))["clients"]
    return figures[0], figures[1], figures[2], figures[3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--count", type=int, default=3000, help="requests per client")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    from fsync import load_average  # type: ignore[import-not-found]

    print(f"GET {PATH}, {args.clients} keep-alive clients, gunicorn + one gevent worker")
    print(f"{'app':<28}{'requests/s':>12}{'CPU ms/req':>12}{'load':>6}")
    found: dict[str, Any] = {}
    for name in ("bare", "flask", "xephang"):
        found[name] = run_app(name, args.clients, args.count)
        rate, cpu_ms = found[name]
        print(f"{name:<28}{rate:>12,.0f}{cpu_ms:>12.3f}{load_average():>6}")
    issued, called, issue_ms, call_ms = xephang_operations(args.clients)
    found["issue"], found["call"] = (issued, issue_ms), (called, call_ms)
    print(f"{'xephang POST /tickets':<28}{issued:>12,.0f}{issue_ms:>12.3f}{load_average():>6}")
    print(f"{'xephang POST …/next':<28}{called:>12,.0f}{call_ms:>12.3f}{load_average():>6}")
    print("one worker on one core: 1,500/s needs <= 0.667 ms server CPU per request")
    if args.json:
        args.json.write_text(json.dumps(found), encoding="utf-8")


if __name__ == "__main__":
    main()

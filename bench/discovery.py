"""Hardware discovery timings: the RS-485 probe of a silent bus and a /24 network scan.

A socat pty pair with nothing on the far end is probed at addresses 1–32 with each
timeout; then 127.0.0.0/24 (254 hosts refusing at once) and a /24 where nothing
answers (connections time out) are scanned for port 9100. Prints seconds.

    .venv/bin/python bench/discovery.py [--silent-network 10.254.254.0/24]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from xephang.devices.discovery import probe_bus, scan_network
from xephang.devices.led.config import LedBusConfig


def silent_bus(folder: Path) -> tuple[subprocess.Popen[str], Path]:
    bus = folder / "ttyBus"
    process = subprocess.Popen(
        ["socat", "-d", "-d", f"pty,raw,echo=0,link={bus}", f"pty,raw,echo=0,link={folder}/b"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "starting data transfer loop" in line:
            break
    return process, bus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--silent-network", default=None, help="a /24 where nothing answers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        process, port = silent_bus(Path(folder))
        try:
            for timeout in (0.02, 0.05, 0.1):
                probe = probe_bus(LedBusConfig(name="b", port=str(port)), timeout_s=timeout)
                print(
                    f"silent bus, 32 addresses, {timeout * 1000:.0f} ms each: {probe.seconds:.2f} s"
                )
        finally:
            process.terminate()
            process.wait()
    started = time.monotonic()
    scan_network("127.0.0.0/24", port=9, timeout_s=0.3)
    print(f"127.0.0.0/24 (refused at once): {time.monotonic() - started:.2f} s")
    if args.silent_network:
        started = time.monotonic()
        scan_network(args.silent_network, timeout_s=0.3)
        print(f"{args.silent_network} (timeouts): {time.monotonic() - started:.2f} s")


if __name__ == "__main__":
    main()

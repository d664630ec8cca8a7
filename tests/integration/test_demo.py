"""`xephang demo` starts a whole center a newcomer can open in a browser."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import requests

from .conftest import REPO, free_port, start, wait_for_port


def test_demo_prints_working_links(tmp_path: Path, processes: list[subprocess.Popen[str]]) -> None:
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    config = tmp_path / "demo.toml"
    config.write_text(
        text.replace('data_dir = "../var/demo"', f'data_dir = "{tmp_path / "data"}"'),
        encoding="utf-8",
    )
    port = free_port()
    demo = start("demo", "--port", str(port), config=config)
    processes.append(demo)
    assert demo.stdout is not None
    links: dict[str, str] = {}
    for line in demo.stdout:
        if line.startswith("Serving"):
            break
        if found := re.search(r"(http://\S+)", line):
            links[line.split("http://")[0].strip()] = found.group(1)
    wait_for_port(port)
    assert len(links) == 6
    for url in links.values():
        response = requests.get(url, timeout=10)
        assert response.status_code == 200, url
    kiosk = next(url for label, url in links.items() if label.startswith("Kiosk"))
    token = kiosk.split("token=")[1]
    issued = requests.post(
        f"http://127.0.0.1:{port}/api/v1/tickets",
        json={"service": "HT"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert issued.status_code == 201
    assert issued.json()["number"] == "B001"

"""nginx in front of the cluster's server processes, run by the test as the current user.

The repository's ``nginx/xephang.conf`` is rendered with the test's addresses (the
upstream's ``server`` lines, the ``listen`` line and, if asked, the per-client
``limit_conn``) and included by a main file whose pid, logs and temporary folders all
live in the test's folder (``nginx -p``), so nothing of the machine's nginx is touched.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.cluster.cluster_rig import REPO, free_port

SITE = REPO / "nginx" / "xephang.conf"
UPSTREAM_SERVER = re.compile(r"^(\s*)server \d+\.\d+\.\d+\.\d+:\d+( [^;]*)?;\n", re.M)
TEMP_FOLDERS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def nginx_binary() -> str | None:
    """nginx on PATH, or Debian's /usr/sbin/nginx (not on an ordinary user's PATH)."""
    found = shutil.which("nginx")
    if found is None and os.access("/usr/sbin/nginx", os.X_OK):
        found = "/usr/sbin/nginx"
    return found


def render_site(upstreams: list[str], listen: str, per_client: int | None = None) -> str:
    """``nginx/xephang.conf`` with these upstream servers (host:port) and listen address."""
    text = SITE.read_text(encoding="utf-8")
    found = UPSTREAM_SERVER.findall(text)
    assert len(found) >= 1, "no `server host:port` line in the upstream"
    indent, options = found[0]
    lines = "".join(f"{indent}server {address}{options};\n" for address in upstreams)
    text = UPSTREAM_SERVER.sub("", text, count=len(found) - 1)
    text = UPSTREAM_SERVER.sub(lines, text, count=1)
    text, count = re.subn(r"^(\s*)listen 80;$", rf"\g<1>listen {listen};", text, flags=re.M)
    assert count == 1, "no `listen 80;` line"
    if per_client is not None:
        text, count = re.subn(
            r"limit_conn xephang_per_client \d+;",
            f"limit_conn xephang_per_client {per_client};",
            text,
        )
        assert count == 1
    return text


def main_config(prefix: Path, site: Path) -> str:
    """A whole nginx.conf around ``site``, with every path under ``prefix``."""
    user = ""
    if os.geteuid() == 0:  # root's workers would otherwise run as nobody
        user = f"user {pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name};"
    temp = "\n".join(f"    {name}_temp_path {prefix / 'temp' / name};" for name in TEMP_FOLDERS)
    return f"""{user}
daemon off;
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log {prefix / "access.log"};
{temp}
    include {site};
}}
"""


@dataclass
class Nginx:
    """nginx on ``host:port`` with the repository's site file, in ``prefix``."""

    binary: str
    prefix: Path
    upstreams: list[str]
    host: str = "127.0.0.1"
    port: int = 0
    per_client: int | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.port = self.port or free_port(self.host)
        for name in TEMP_FOLDERS:
            (self.prefix / "temp" / name).mkdir(parents=True, exist_ok=True)
        site = self.prefix / "xephang.conf"
        site.write_text(
            render_site(self.upstreams, f"{self.host}:{self.port}", self.per_client),
            encoding="utf-8",
        )
        self.config = self.prefix / "nginx.conf"
        self.config.write_text(main_config(self.prefix, site), encoding="utf-8")

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def command(self, *extra: str) -> list[str]:
        return [self.binary, "-p", str(self.prefix), "-c", str(self.config), *extra]

    def check(self) -> subprocess.CompletedProcess[str]:
        """``nginx -t``: the configuration as nginx reads it."""
        return subprocess.run(
            self.command("-t"), capture_output=True, text=True, timeout=30, check=False
        )

    def start(self, *, timeout_s: float = 10) -> Nginx:
        with (self.prefix / "stderr.log").open("ab") as log:
            self.process = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()
            try:
                with socket.create_connection((self.host, self.port), timeout=0.2):
                    return self
            except OSError:
                threading.Event().wait(0.02)  # not listening yet: ask again shortly
        raise TimeoutError(f"nginx did not listen on {self.url}: {self.log()}")

    def stop(self) -> None:
        """A fast stop (SIGTERM) of the master and its worker."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None

    def log(self) -> str:
        parts = [self.prefix / "stderr.log", self.prefix / "error.log"]
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in parts if p.exists())

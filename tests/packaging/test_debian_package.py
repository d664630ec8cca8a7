"""`make deb` builds a package that installs, serves and upgrades in a fresh Debian root.

The root is debootstrap's bookworm minbase plus Python (cached as a tarball outside the
repository, tests/packaging/debian_root.py), untarred into this test's own folder. The
package is installed there with `apt-get install ./xephang_….deb`, offline (through a
proxy where nothing listens). The server is started in the chroot (which shares this
machine's network) as the xephang user with the command of the installed systemd unit,
on a free loopback port. On the package's placeholder file it serves the setup page; the
installer answers `xephang setup` in a terminal instead (its questions on standard input),
then the server answers the API: a kiosk token issues a ticket, an officer token calls
it. The screens' units wait for it first (their ExecStartPre, run before the server
starts, ends once it answers). Then a second version of the package is installed
over the first: a backup is taken first, the migrations run, the data and the center's
file are kept. The times of the steps are the ones docs/install.md quotes.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # tests.packaging.debian_root
from tests.packaging.debian_root import cache_dir, ensure_tarball, unpack  # noqa: E402

BUILD = REPO / "packaging" / "build-deb.sh"
CONFIG = "/etc/xephang/center.toml"
STEP_TIMES: dict[str, float] = {}

pytestmark = [
    pytest.mark.debian,
    pytest.mark.skipif(os.geteuid() != 0, reason="chroot and mount need root"),
]


def timed(step: str, command: list[str], **options) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, check=False, **options)
    STEP_TIMES[step] = round(time.monotonic() - started, 1)
    assert result.returncode == 0, f"{step}: {result.stdout}\n{result.stderr}"
    return result


class Build:
    """`packaging/build-deb.sh` for one version, running while the test goes on."""

    def __init__(self, version: str, out: Path) -> None:
        self.version = version
        environment = {
            **os.environ,
            "XEPHANG_DEB_VERSION": version,
            "XEPHANG_DEB_COMPRESS": "gzip:1",  # xz takes a minute on 200 MB; dpkg reads both
            "XEPHANG_DEB_CACHE": str(cache_dir() / "deb-build"),
        }
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [str(BUILD), str(out / version)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def package(self) -> Path:
        stdout, stderr = self.process.communicate(timeout=600)
        STEP_TIMES[f"build {self.version}"] = round(time.monotonic() - self.started, 1)
        assert self.process.returncode == 0, f"build {self.version}: {stdout}\n{stderr}"
        return Path(stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh Debian root of this module's own, /proc mounted (always unmounted)."""
    started = time.monotonic()
    tarball = ensure_tarball()
    STEP_TIMES["debootstrap root (cached after the first run)"] = round(
        time.monotonic() - started, 1
    )
    folder = tmp_path_factory.mktemp("debian") / "root"
    started = time.monotonic()
    unpack(tarball, folder)
    STEP_TIMES["untar root"] = round(time.monotonic() - started, 1)
    proc = folder / "proc"
    subprocess.run(["mount", "-t", "proc", "proc", str(proc)], check=True)
    try:
        yield folder
    finally:
        # The root itself (400 MB) goes with pytest's old temporary folders: removing it
        # here would cost longer than the rest of the test on a busy disk.
        subprocess.run(["umount", "--lazy", str(proc)], check=False)


def in_root(root: Path, *command: str, step: str | None = None) -> str:
    full = ["chroot", str(root), *command]
    if step:
        return timed(step, full, timeout=300).stdout
    result = subprocess.run(full, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result.stdout


# Any download would go through this proxy, where nothing listens: the install is offline.
OFFLINE = (
    "-o",
    "Acquire::http::Proxy=http://127.0.0.1:9",
    "-o",
    "Acquire::https::Proxy=http://127.0.0.1:9",
)


def install(root: Path, package: Path, step: str) -> str:
    """`apt install ./the.deb`, as the installer types it (docs/install.md), offline."""
    shutil.copy(package, root / "tmp" / package.name)
    options = ("-y", *OFFLINE, "-o", "Dpkg::Options::=--force-unsafe-io")
    return in_root(root, "apt-get", "install", *options, f"/tmp/{package.name}", step=step)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """The installed unit's ExecStart, run in the chroot as its User, on a loopback port."""

    def __init__(self, root: Path, port: int = 0, ready: str = "/api/v1/readyz") -> None:
        unit = (root / "lib/systemd/system/xephang.service").read_text().splitlines()
        exec_start = next(line for line in unit if line.startswith("ExecStart="))
        user = next(line for line in unit if line.startswith("User=")).split("=", 1)[1]
        environment = [line.split("=", 1)[1] for line in unit if line.startswith("Environment=")]
        self.port = port or free_port()
        command = exec_start.split("=", 1)[1]
        assert "--host 0.0.0.0 --port 5000" in command, command
        command = command.replace("0.0.0.0 --port 5000", f"127.0.0.1 --port {self.port}")
        as_user = f"runuser -u {user} -- env {' '.join(environment)}"
        script = f"cd /var/lib/xephang && exec {as_user} {command}"
        self.url = f"http://127.0.0.1:{self.port}"
        started = time.monotonic()
        self.process = subprocess.Popen(
            ["chroot", str(root), "sh", "-c", script],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            self._wait_ready(ready, deadline=time.monotonic() + 90)
        except BaseException:
            self.stop()
            raise
        self.start_s = round(time.monotonic() - started, 1)

    def _wait_ready(self, path: str, deadline: float) -> None:
        while True:
            if self.process.poll() is not None:
                error = self.process.stderr.read() if self.process.stderr else b""
                raise AssertionError(f"the server stopped: {error.decode()}")
            try:
                if requests.get(f"{self.url}{path}", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass  # not listening yet, or still loading the app
            assert time.monotonic() < deadline, "the server was not ready within 90 s"
            time.sleep(0.2)  # polling for readiness, with a deadline

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()

    def call(self, method: str, path: str, token: str, **json) -> requests.Response:
        return requests.request(
            method,
            f"{self.url}/api/v1{path}",
            headers={"Authorization": f"Bearer {token}"},
            json=json or None,
            timeout=10,
        )


def token(root: Path, *options: str) -> str:
    """A token made with the installed `xephang` (run by root: it drops to xephang)."""
    out = in_root(root, "xephang", "token", "create", *options)
    return next(word for word in out.split() if word.startswith("xp_"))


# The installer's answers to `xephang setup` (tests/cli/test_setup.py tries wrong ones).
SETUP_ANSWERS = [
    "Trung tâm Phục vụ hành chính công xã Ngọk Réo",  # the center's name
    "",  # ward: guessed from the name
    "",  # time zone: Asia/Ho_Chi_Minh
    "",  # the screens' address: this PC's
    "HT, CT",  # services from the ward template
    "1",  # one counter…
    "",  # …named "Quầy 1"…
    "",  # …serving both
    "",  # the priority categories of the seeds
    "",  # the admin: quantri…
    "",  # …with its default full name
    "mat-khau-2026",  # its password, twice
    "mat-khau-2026",
    "canbo",  # the officer of counter 1…
    "",  # …full name
    "",  # a password made up (asked twice)
    "",
    "virtual",  # the printer: until the real one is scanned
    "",  # 576 dots
    "virtual",  # LED boards on the virtual line
    "",  # Modbus
    "",  # counter 1 at address 1
    "c",  # write the file
]


def setup_in_root(root: Path) -> str:
    """`sudo xephang setup` in the chroot, the answers typed on standard input."""
    command = ["chroot", str(root), "xephang", "setup", "--no-scan"]
    answers = "\n".join(SETUP_ANSWERS) + "\n"
    started = time.monotonic()
    result = subprocess.run(command, input=answers, capture_output=True, text=True, timeout=120)
    STEP_TIMES["xephang setup (answers typed)"] = round(time.monotonic() - started, 1)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    return result.stdout


def test_build_install_serve_and_upgrade(root: Path, tmp_path: Path) -> None:
    first = Build("0.1.0-1", tmp_path).package()
    # The second version builds while the first one is installed and tried (its
    # dependencies come from the cache the first build filled).
    second_build = Build("0.1.0-2", tmp_path)
    output = install(root, first, "install 0.1.0-1")
    assert "xephang" in in_root(root, "getent", "passwd", "xephang")
    groups = in_root(root, "id", "-nG", "xephang").split()
    assert {"xephang", "dialout", "lp"} <= set(groups)
    config = root / CONFIG.lstrip("/")
    assert oct(config.stat().st_mode & 0o777) == "0o660"
    assert (root / "lib/udev/rules.d/60-xephang.rules").is_file()
    for unit in ("xephang", "xephang-display", "xephang-kiosk", "xephang-devices"):
        assert (root / f"lib/systemd/system/{unit}.service").is_file()
    # The server unit is enabled (deb-systemd-helper), the screens wait for their tokens.
    assert (root / "etc/systemd/system/multi-user.target.wants/xephang.service").is_symlink()
    assert not (root / "etc/systemd/system/graphical.target.wants/xephang-display.service").exists()
    database = root / "var/lib/xephang/xephang.db"
    assert not database.exists() and "xephang setup" in output  # the placeholder: no center yet

    # The first start on the placeholder serves the setup page (the unit's command).
    first_start = Server(root, ready="/setup")
    try:
        page = requests.get(f"{first_start.url}/setup", timeout=10)
        assert page.status_code == 200 and 'action="/setup/code"' in page.text
    finally:
        first_start.stop()
    STEP_TIMES["setup page served"] = first_start.start_s
    setup_in_root(root)
    assert "valid" in in_root(root, "env", "XEPHANG_LANG=en", "xephang", "check")
    assert database.is_file()

    kiosk = token(root, "--role", "kiosk", "--name", "kiosk-1", "--expires", "never")
    officer = token(root, "--role", "officer", "--counter", "1", "--expires", "1d")
    # Run by root, /usr/bin/xephang wrote as the xephang user: the server can write too.
    uid = int(in_root(root, "id", "-u", "xephang"))
    owners = {path.name: path.stat().st_uid for path in database.parent.glob("xephang.db*")}
    assert set(owners.values()) == {uid}, owners
    # The screens' user and their files, readable by it only.
    assert "xephang-display" in in_root(root, "getent", "passwd", "xephang-display")
    display_env = root / "etc/xephang/display.env"
    assert oct(display_env.stat().st_mode & 0o777) == "0o640"
    assert "XEPHANG_DISPLAY_TOKEN=" in display_env.read_text()
    # The screens' units wait for the server before they open Chromium: their
    # ExecStartPre, run before the server starts, ends once it answers.
    port = free_port()
    display_unit = (root / "lib/systemd/system/xephang-display.service").read_text()
    wait = next(line for line in display_unit.splitlines() if "wait-server" in line)
    address = f"http://127.0.0.1:{port}"  # systemd fills ${XEPHANG_SERVER} in the same way
    command = [arg.replace("${XEPHANG_SERVER}", address) for arg in wait.split("=", 1)[1].split()]
    waiter = subprocess.Popen(["chroot", str(root), *command])
    try:
        assert waiter.poll() is None
        server = Server(root, port)
        assert waiter.wait(timeout=30) == 0
    finally:
        waiter.kill()
    try:
        STEP_TIMES["server ready"] = server.start_s
        issued = server.call("POST", "/tickets", kiosk, service="HT")
        assert issued.status_code == 201, issued.text
        called = server.call("POST", "/counters/1/next", officer)
        assert called.status_code == 200, called.text
        ticket = called.json()["ticket"]
        assert (ticket["id"], ticket["status"]) == (issued.json()["id"], "called")
    finally:
        server.stop()

    # The installer edits the center's file; the upgrade keeps it and the data.
    config.write_text(config.read_text() + "\n# edited by the installer\n")
    second = second_build.package()
    output = install(root, second, "upgrade to 0.1.0-2")
    assert "0.1.0-2" in in_root(root, "dpkg-query", "-W", "-f=${Version}", "xephang")
    assert config.read_text().endswith("# edited by the installer\n")
    (backup,) = (root / "var/lib/xephang/backups").glob("before-0.1.0-1-*.sqlite3")
    assert str(backup.name) in output
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT count(*) FROM tickets").fetchone() == (1,)

    server = Server(root)
    try:
        kept = server.call("GET", f"/tickets/{ticket['id']}", officer)
        assert kept.status_code == 200, kept.text
        assert kept.json()["status"] == "called"
        again = server.call("POST", "/tickets", kiosk, service="CT")
        assert again.status_code == 201, again.text
    finally:
        server.stop()
    print("\nstep times (s):", "; ".join(f"{k}: {v}" for k, v in STEP_TIMES.items()))
    print(f"{first.name}: {first.stat().st_size // 2**20} MiB (gzip -1)")

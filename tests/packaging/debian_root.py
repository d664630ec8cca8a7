"""A pristine Debian root for package tests, built once with debootstrap and cached.

debootstrap plus Python takes minutes, so the root is made once per key (suite, variant,
extra packages) into a tarball outside the repository; each test untars its own copy.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SUITE = "bookworm"
VARIANT = "minbase"
MIRROR = "http://deb.debian.org/debian"
# What the xephang package needs from Debian (its Depends), installed in the cached root so
# that `dpkg -i` works offline in the test.
EXTRA_PACKAGES = ("python3", "init-system-helpers")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "xephang-tests"


def tarball_path() -> Path:
    key = hashlib.sha256(f"{SUITE} {VARIANT} {MIRROR} {' '.join(EXTRA_PACKAGES)}".encode())
    return cache_dir() / f"{SUITE}-{VARIANT}-{key.hexdigest()[:12]}.tar"


def ensure_tarball() -> Path:
    """Returns the cached root tarball, running debootstrap first if it is missing."""
    tarball = tarball_path()
    if tarball.exists():
        return tarball
    tarball.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tarball.parent) as work:
        root = Path(work) / "root"
        subprocess.run(
            [
                "debootstrap",
                f"--variant={VARIANT}",
                f"--include={','.join(EXTRA_PACKAGES)}",
                SUITE,
                str(root),
                MIRROR,
            ],
            check=True,
            capture_output=True,
        )
        # apt's downloaded .deb files are not part of the root.
        shutil.rmtree(root / "var/cache/apt/archives", ignore_errors=True)
        (root / "var/cache/apt/archives/partial").mkdir(parents=True)
        partial = tarball.with_suffix(".partial")
        subprocess.run(
            ["tar", "--create", "--file", str(partial), "--numeric-owner", "-C", str(root), "."],
            check=True,
        )
        partial.rename(tarball)
    return tarball


def unpack(tarball: Path, into: Path) -> None:
    """Untars the cached root into `into` (a folder of the test's own)."""
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["tar", "--extract", "--file", str(tarball), "--numeric-owner", "-C", str(into)],
        check=True,
    )


if __name__ == "__main__":
    print(ensure_tarball())

#!/usr/bin/env bash
# Build the xephang Debian package (`make deb`): the program in its own virtualenv at
# /opt/xephang/.venv, made with the build machine's Debian Python (the package depends on
# that exact python3.X), the systemd units, the udev rules and the maintainer scripts.
# Build it on the Debian/Ubuntu release it is for. See docs/install.md.
#
#   packaging/build-deb.sh [OUT_DIR]           # default: dist/
# Environment:
#   XEPHANG_DEB_VERSION   the package version (default: pyproject's version + "-1")
#   XEPHANG_DEB_COMPRESS  dpkg-deb compression, "xz" (default) or e.g. "gzip:1" (tests)
#   XEPHANG_DEB_CACHE     a folder that keeps the dependencies' virtualenv between builds,
#                         keyed by the Python version and pyproject.toml's dependencies
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "${1:-$REPO/dist}" && cd "${1:-$REPO/dist}" && pwd)
PYTHON=/usr/bin/python3            # Debian's own Python: the target has the same one
PREFIX=/opt/xephang
for tool in dpkg-deb "$PYTHON"; do
  command -v "$tool" >/dev/null || { echo "build-deb: $tool is missing" >&2; exit 1; }
done
"$PYTHON" -c 'import ensurepip' 2>/dev/null || {
  echo "build-deb: $PYTHON has no venv module (apt-get install python3-venv)" >&2; exit 1; }

PY_VERSION=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
UPSTREAM=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("'"$REPO"'/pyproject.toml", "rb"))["project"]["version"])')
VERSION=${XEPHANG_DEB_VERSION:-$UPSTREAM-1}
ARCH=$(dpkg --print-architecture)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
STAGE=$WORK/stage
VENV=$STAGE$PREFIX/.venv

# 1. The wheel, built from a copy so the checkout gets no build/ or egg-info folder, by a
#    builder venv with the build backend pyproject.toml asks for (kept in the cache).
KEY=$( (echo "$PY_VERSION $ARCH"
  "$PYTHON" -c 'import tomllib; p = tomllib.load(open("'"$REPO"'/pyproject.toml", "rb")); print(p["build-system"], p["project"]["dependencies"])'
  ) | sha256sum | cut -c1-16)
CACHE=${XEPHANG_DEB_CACHE:-$WORK/cache}
mkdir -p "$CACHE" "$WORK/source" "$WORK/wheel"
tar -C "$REPO" --exclude=.git --exclude=.venv --exclude=var --exclude=build --exclude=dist \
  --exclude='*.egg-info' --exclude=__pycache__ --exclude='.*_cache' -cf - . | tar -C "$WORK/source" -xf -
BUILDER=$CACHE/builder-$KEY
if [[ ! -x $BUILDER/bin/python ]]; then
  rm -rf "$BUILDER" "$BUILDER.partial"
  "$PYTHON" -m venv "$BUILDER.partial"
  BACKEND=$("$PYTHON" -c 'import tomllib; print(" ".join(tomllib.load(open("'"$REPO"'/pyproject.toml", "rb"))["build-system"]["requires"]))')
  "$BUILDER.partial/bin/python" -m pip install --quiet wheel $BACKEND 2> >(grep -v "is ignored" >&2)
  mv "$BUILDER.partial" "$BUILDER"
fi
"$BUILDER/bin/python" -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir "$WORK/wheel" "$WORK/source" >/dev/null
WHEEL=$(ls "$WORK"/wheel/xephang-*.whl)

# 2. The virtualenv at /opt/xephang/.venv, made under the staging folder: the dependencies
#    (kept in the cache, compiled, until pyproject.toml's list changes), then xephang. Its
#    paths then point at /opt/xephang/.venv, and its Python at the exact interpreter the
#    package depends on; byte-code is compiled now, under the installed paths (the
#    service's user cannot write /opt).
fix_paths() {  # $1: the venv, $2: the path it was made at, $3: the path it will have
  sed -i "s|$2|$3|g" "$1/pyvenv.cfg" "$1"/bin/activate*
  for script in "$1"/bin/*; do
    if [[ -f $script && ! -L $script ]] && [[ $(head -c2 "$script") == '#!' ]]; then
      sed -i "1s|$2|$3|" "$script"
    fi
  done
  ln -sfn "/usr/bin/python$PY_VERSION" "$1/bin/python3"
}
DEPS=$CACHE/venv-$KEY
if [[ ! -d $DEPS ]]; then
  rm -rf "$DEPS.partial"
  "$PYTHON" -m venv "$DEPS.partial"
  "$DEPS.partial/bin/python" -m pip install --quiet --no-compile "$WHEEL" 2> >(grep -v "is ignored" >&2)
  "$DEPS.partial/bin/python" -m pip uninstall --quiet --yes xephang
  fix_paths "$DEPS.partial" "$DEPS.partial" "$PREFIX/.venv"
  "$DEPS.partial/bin/python" -m compileall -q -j 0 -s "$DEPS.partial" -p "$PREFIX/.venv" \
    "$DEPS.partial/lib" >/dev/null
  mv "$DEPS.partial" "$DEPS"
fi
mkdir -p "$(dirname "$VENV")"
cp -al "$DEPS" "$VENV" 2>/dev/null || cp -a "$DEPS" "$VENV"  # hard links: no copy on one disk
# sed -i, pip and compileall write new files: the cache's hard-linked ones stay as they are.
"$VENV/bin/python" -m pip install --quiet --no-compile --no-deps "$WHEEL"
fix_paths "$VENV" "$STAGE$PREFIX/.venv" "$PREFIX/.venv"
SITE=$VENV/lib/python$PY_VERSION/site-packages
"$VENV/bin/python" -m compileall -q -j 0 -s "$STAGE" -p / "$SITE/queue_server" "$SITE/xephang" >/dev/null
# Not needed to run, and a fifth of the files: the installers and gevent's own tests.
rm -rf "$SITE"/pip "$SITE"/pip-*.dist-info "$SITE"/setuptools "$SITE"/setuptools-*.dist-info \
  "$SITE"/_distutils_hack "$SITE"/distutils-precedence.pth "$SITE"/gevent/tests "$VENV"/bin/pip*

# 3. The rest of the tree.
install -d "$STAGE/usr/bin" "$STAGE/lib/systemd/system" "$STAGE/lib/udev/rules.d" \
  "$STAGE$PREFIX/bin" "$STAGE$PREFIX/docs" "$STAGE/usr/share/xephang" "$STAGE/usr/share/doc/xephang/examples"
install -m 0644 "$REPO"/systemd/*.service "$REPO"/systemd/*.target "$STAGE/lib/systemd/system/"
install -m 0644 "$REPO/packaging/debian/60-xephang.rules" "$STAGE/lib/udev/rules.d/"
install -m 0644 "$REPO/systemd/99-xephang-serial.rules" "$STAGE/usr/share/doc/xephang/examples/"
install -m 0755 "$REPO/packaging/bin/xephang-wait-server" "$STAGE$PREFIX/bin/"
install -m 0755 "$REPO/packaging/bin/xephang" "$STAGE/usr/bin/xephang"
install -m 0644 "$REPO"/docs/*.md "$STAGE$PREFIX/docs/"
install -m 0644 "$REPO"/packaging/debian/{center.toml,display.env,kiosk.env,lightdm-autologin.conf} \
  "$STAGE/usr/share/xephang/"
printf 'xephang\nLicense: AGPL-3.0-or-later\n' >"$STAGE/usr/share/doc/xephang/copyright"

# 4. Control files.
install -d "$STAGE/DEBIAN"
install -m 0755 "$REPO"/packaging/debian/{postinst,prerm,postrm} "$STAGE/DEBIAN/"
SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@PYTHON@/python$PY_VERSION/" \
  -e "s/@SIZE@/$SIZE/" "$REPO/packaging/debian/control.in" >"$STAGE/DEBIAN/control"

COMPRESS=${XEPHANG_DEB_COMPRESS:-xz}
DEB="$OUT/xephang_${VERSION}_${ARCH}.deb"
ARGS=(-Z"${COMPRESS%%:*}")
[[ $COMPRESS == *:* ]] && ARGS+=(-z"${COMPRESS#*:}")
dpkg-deb --root-owner-group "${ARGS[@]}" --build "$STAGE" "$DEB" >/dev/null
echo "$DEB"

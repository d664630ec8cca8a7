#!/usr/bin/env bash
# Install the Debian packages the tests and the demo use, only those missing.
# socat: serial port pairs for LED-board tests; espeak-ng, sox: voice packs;
# chromium: hall display tests (Playwright drives Debian's chromium, never a download);
# systemd: systemd-analyze to verify the unit files; nginx: the reverse proxy of cluster
# mode (tests run their own, as the current user); fonts-dejavu-core: fallback font;
# alsa-utils: aplay, the loudspeaker player (tests play to its null device).
set -euo pipefail

declare -A NEEDED=(
  [socat]=socat
  [espeak-ng]=espeak-ng
  [sox]=sox
  [chromium]=chromium
  [systemd-analyze]=systemd
  [aplay]=alsa-utils
)
missing=()
for command in "${!NEEDED[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${NEEDED[$command]}")
done
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || missing+=(fonts-dejavu-core)
# nginx lives in /usr/sbin, which an ordinary user's PATH may not hold.
[[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)

if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

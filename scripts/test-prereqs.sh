#!/usr/bin/env bash
# Makes sure the real services the tests use can run here: installs missing Debian packages
# (as root) and builds cached test fixtures. Idempotent and quick when everything is present.
# Each area of the project owns one file in scripts/prereqs.d/; they run in name order.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

apt_updated=0
# apt_install PKG... : installs the packages that are not installed yet, updating the index once.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    # no `| grep -q`: it may close the pipe early, and pipefail would then count the package as missing
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "test-prereqs: missing Debian packages: ${missing[*]} (install them as root: apt-get install -y ${missing[*]})" >&2
    return 1
  fi
  if [ $apt_updated -eq 0 ]; then
    echo "test-prereqs: apt-get update" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  echo "test-prereqs: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

for part in "$here"/prereqs.d/*.sh; do
  [ -e "$part" ] || continue
  # shellcheck source=/dev/null
  source "$part"
done

#!/usr/bin/env bash
# Install the named Debian packages when any is missing: with apt-get as root, else say what to run.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${missing[*]}"
  (apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1) || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  }
else
  echo "error: the build needs these system packages: ${missing[*]}" >&2
  echo "       install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) and run make again" >&2
  exit 1
fi

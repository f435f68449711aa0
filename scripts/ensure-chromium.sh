#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium (tests never download a browser).
set -euo pipefail
[[ -x /usr/bin/chromium ]] && exit 0
if [[ $(id -u) -eq 0 ]]; then
  echo "Chromium is missing; installing Debian's chromium with apt…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  [[ -x /usr/bin/chromium ]] && exit 0
  echo "apt-get install chromium finished but /usr/bin/chromium is still missing" >&2
  exit 1
fi
echo "Chromium is missing: run 'sudo apt-get install -y chromium' (Debian's package), then npm test again." >&2
exit 1

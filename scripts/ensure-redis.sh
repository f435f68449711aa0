#!/usr/bin/env bash
# Makes sure Debian's redis-server is installed (the scale-out tests start their own, on a
# free loopback port, and stop it by its PID). apt does not start it: no daemon is left behind.
set -euo pipefail
command -v redis-server >/dev/null && exit 0
if [[ $(id -u) -eq 0 ]]; then
  echo "redis-server is missing; installing Debian's redis-server with apt…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  # Some images start the packaged daemon on install; the tests start their own.
  service redis-server stop >/dev/null 2>&1 || true
  command -v redis-server >/dev/null && exit 0
  echo "apt-get install redis-server finished but redis-server is still missing" >&2
  exit 1
fi
echo "redis-server is missing: run 'sudo apt-get install -y redis-server' (Debian's package), then npm test again." >&2
exit 1

#!/usr/bin/env bash
# Runs a command inside a private network namespace made here: loopback plus a veth pair
# (10.77.0.1 <-> 10.77.0.2) that leads nowhere. Browsers need a non-loopback interface for
# WebRTC ICE candidates; the namespace guarantees tests reach nothing outside this machine.
# Falls back to the host namespace (with a notice) where no namespace can be made.
set -euo pipefail

if [[ "${PARLEY_NETNS:-}" == "inside" ]]; then
  ip link set lo up
  ip link add pv0 type veth peer name pv1
  # No IPv6 link-local setup: it would finish after Chromium starts and look like a network change.
  ip link set pv0 addrgenmode none
  ip link set pv1 addrgenmode none
  ip addr add 10.77.0.1/24 dev pv0
  ip addr add 10.77.0.2/24 dev pv1
  ip link set pv0 up
  ip link set pv1 up
  ip route add default via 10.77.0.2 dev pv0
  export PARLEY_NETNS=done
  exec "$@"
fi

if [[ "${PARLEY_NETNS:-}" == "done" || "${PARLEY_NETNS:-}" == "off" ]]; then
  exec "$@"
fi

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
if [[ $(id -u) -eq 0 ]] && unshare -n true 2>/dev/null; then
  PARLEY_NETNS=inside exec unshare -n -- bash "$self" "$@"
elif unshare -rn true 2>/dev/null; then
  PARLEY_NETNS=inside exec unshare -rn -- bash "$self" "$@"
else
  echo "note: cannot make a private network namespace here; running in the host namespace" >&2
  PARLEY_NETNS=off exec "$@"
fi

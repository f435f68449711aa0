#!/usr/bin/env bash
# Runs each test runner, writing machine-readable results into the folder $1.
# Called by test.sh inside the private network namespace.
set -uo pipefail
out=$1
status=0

shopt -s nullglob globstar
node_tests=(test/{architecture,protocol,signaling,node,attacks,keeper}/**/*.test.ts)
e2e_tests=(test/e2e/**/*.test.ts)

run_node() { # label, files…
  local label=$1; shift
  echo "── $label"
  node --import tsx --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$out/$label.tap" "$@"
  local rc=$?
  echo "$rc" >"$out/$label.rc"
  [[ $rc -eq 0 ]] || status=1
}

run_node node "${node_tests[@]}"

echo "── browser"
PARLEY_WTR_RESULTS="$out/browser.json" npx web-test-runner
rc=$?
echo "$rc" >"$out/browser.rc"
[[ $rc -eq 0 ]] || status=1

run_node e2e "${e2e_tests[@]}"
exit $status

#!/usr/bin/env bash
# `npm test`: static checks, then every test runner (Node server tests, browser tests in
# Chromium via web-test-runner, end-to-end tests with Playwright) inside a private network
# namespace, then one summary line: `tests: N passed, M failed`.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/ensure-chromium.sh || exit 1
bash scripts/ensure-redis.sh || exit 1
out=.test-output
rm -rf "$out" && mkdir -p "$out"

step() { # name, command…: runs a check, records pass/fail
  local name=$1; shift
  echo "── $name"
  if "$@" >"$out/$name.log" 2>&1; then echo "$name: ok"; echo "$name 1 0" >>"$out/static"
  else cat "$out/$name.log"; echo "$name: FAILED"; echo "$name 0 1" >>"$out/static"; fi
}
step typecheck npx tsc --noEmit
step lint npm run lint
step build npm run build
step size node scripts/size.mjs "$out/size.json"
step api node scripts/api-table.mjs --check README.md

echo "── test suites (private network namespace)"
bash scripts/in-netns.sh bash scripts/run-suites.sh "$out"
suites=$?

node scripts/summarize.mjs "$out"
summary=$?
[[ $suites -eq 0 && $summary -eq 0 ]]

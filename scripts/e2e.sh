#!/usr/bin/env bash
# Runs the Playwright suite in Debian's Chromium against the release build. The suite starts its
# own server (port 0, fresh SQLite file, embedded sandbox), so it never collides with `make run`.
# Fails unless Playwright reports passed tests (cargo-leptos' exit code alone is not trusted).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
[ -x target/release/server ] || { echo "target/release/server is missing: run make build" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
set +e
(cd end2end && npx playwright test --reporter=list) 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
set -e
passed=$(grep -Eo '[0-9]+ passed' "$out" | tail -1 | grep -Eo '[0-9]+' || echo 0)
if [ "$status" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
  echo "end-to-end suite failed (exit $status, $passed passed)" >&2
  exit 1
fi

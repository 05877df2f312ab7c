#!/usr/bin/env bash
# The benchmark that needs a browser: webhook to screen in Debian's Chromium against the release
# build (end2end/bench/). Prints its name=value lines.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
[ -x target/release/server ] || { echo "target/release/server is missing: run make build" >&2; exit 1; }
cd end2end && npx playwright test --config bench.config.ts --reporter=list

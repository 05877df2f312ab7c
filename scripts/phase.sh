#!/usr/bin/env bash
# Runs a command as a named phase and prints how long it took (CI reads these lines).
set -euo pipefail
name=$1; shift
start=$(date +%s)
echo "::: phase start: $name"
"$@"
echo "::: phase done: $name ($(( $(date +%s) - start )) s)"

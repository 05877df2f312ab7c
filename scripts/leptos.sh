#!/usr/bin/env bash
# Runs `cargo leptos` with the project's tools first on PATH (npm's tailwindcss and wasm-opt,
# cargo's wasm-bindgen), so cargo-leptos never tries to download them.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
exec cargo leptos "$@"

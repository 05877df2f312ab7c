#!/usr/bin/env bash
# Installs everything `make run` and `make test` need on a fresh Debian 12 machine of this kind
# (root; registries only: crates.io, npm, Debian apt, rustup components). Idempotent: each step
# is skipped when its result is already present, so a second run takes well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\n== setup: %s\n' "$*" >&2; }
apt_install() {
  log "apt-get install $*"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@"
}

# 1. Debian packages: Chromium (Playwright drives it), poppler-utils + qpdf (PDF checks in tests).
#    Not binaryen: Debian 12's wasm-opt 108 breaks hydration; wasm-opt comes from npm instead.
pkgs=()
command -v chromium >/dev/null || pkgs+=(chromium)
command -v pdftotext >/dev/null || pkgs+=(poppler-utils)
command -v qpdf >/dev/null || pkgs+=(qpdf)
if ((${#pkgs[@]})); then apt_install "${pkgs[@]}"; fi

# 2. The wasm32 standard library for the stable toolchain.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 3. cargo-leptos. Its locked dependencies need rustc >= 1.96 (newer than stable 1.95), so it is
#    built with rustup's nightly; the release profile is relaxed (no fat LTO, 16 codegen units),
#    which roughly halves the ~35 min install on 2 cores.
if ! cargo leptos --version 2>/dev/null | grep -qF "$CARGO_LEPTOS_VERSION"; then
  rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
  log "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (takes ~20 min on 2 cores)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo +nightly install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

# 4. The wasm-bindgen CLI (cargo-leptos looks for it on PATH, else tries GitHub, which is
#    unreachable). Not --locked: its lockfile pins a webpki-roots the registry does not serve.
if ! wasm-bindgen --version 2>/dev/null | grep -qF "$WASM_BINDGEN_VERSION"; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# 5. JS tooling: Tailwind CLI, wasm-opt (binaryen 132) and Playwright (no browser download:
#    the tests drive /usr/bin/chromium).
if [ ! -x node_modules/.bin/tailwindcss ] || [ ! -x node_modules/.bin/wasm-opt ] \
   || [ ! -x node_modules/.bin/playwright ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

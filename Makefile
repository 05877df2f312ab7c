# ATS Bridge. Quick start: `make run` (the product on SQLite + the embedded Merge sandbox) and
# `make test` (every test). Both install what they need first (scripts/setup.sh, idempotent).

SHELL := /bin/bash
TEST_FEATURES := --features app/ssr,merge/sandbox
export ATSB_TEST_PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test setup build test-rust test-e2e sandbox fmt lint bench fuzz

setup:
	@scripts/phase.sh setup scripts/setup.sh

## Build (release) and serve on http://127.0.0.1:3000 with SQLite under ./data and the sandbox.
run: setup
	scripts/leptos.sh serve --release --split

build: setup
	@scripts/phase.sh "build (release: server, wasm, css)" scripts/leptos.sh build --release --split

## Every test: Rust unit + integration (sandbox, SQLite, PostgreSQL) and Playwright in Chromium.
test: setup test-rust test-e2e

test-rust: setup
	@scripts/check-pg.sh
	@scripts/phase.sh "rust tests (unit, sandbox, SQLite, PostgreSQL)" cargo test --release --workspace --no-fail-fast $(TEST_FEATURES)

test-e2e: build
	@scripts/phase.sh "end-to-end (Playwright, Chromium)" scripts/e2e.sh

## Benchmarks against the embedded sandbox: prints name=value lines (see README, Performance).
## BENCH_DB=postgres runs them on PostgreSQL; BENCH_LATENCY_MS sets the sandbox's page latency.
## The browser part (webhook to screen in Chromium) runs after; BENCH_ONLY narrows the Rust part.
bench: build
	@scripts/phase.sh "benchmarks" cargo bench -p app $(TEST_FEATURES) --bench bench
	@scripts/phase.sh "benchmark: webhook to screen (Chromium)" scripts/bench-browser.sh

## cargo-fuzz (nightly, libFuzzer) on the webhook verifier and the Merge payload parsers: the
## checks of merge/tests/properties.rs, FUZZ_SECS seconds per target. Builds into
## merge/fuzz/target; the corpus grows in merge/fuzz/corpus, crashes land in merge/fuzz/artifacts.
FUZZ_SECS ?= 60
FUZZ_TARGETS := webhook_verify parse_payloads

fuzz:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked || cargo install cargo-fuzz
	@set -e; for t in $(FUZZ_TARGETS); do \
		seeds=; if [ $$t = parse_payloads ]; then seeds=merge-ats/fixtures; fi; \
		mkdir -p merge/fuzz/corpus/$$t; \
		(cd merge && CARGO_TARGET_DIR=$(CURDIR)/merge/fuzz/target ../scripts/phase.sh \
			"fuzz $$t ($(FUZZ_SECS) s)" cargo +nightly fuzz run $$t fuzz/corpus/$$t $$seeds \
			-- -max_total_time=$(FUZZ_SECS)); \
	done

## The Merge sandbox on its own (127.0.0.1:4010 unless SANDBOX_ADDR says otherwise).
sandbox:
	cargo run --release -p merge --features sandbox --bin sandbox

fmt:
	cargo fmt --all

lint:
	cargo fmt --all -- --check
	cargo clippy --release --workspace $(TEST_FEATURES) --all-targets -- -D warnings

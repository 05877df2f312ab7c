#!/usr/bin/env bash
# PostgreSQL tests must run: fail loudly when the server is unreachable, unless ATSB_SKIP_PG=1.
set -euo pipefail
url=${ATSB_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}
if [ "${ATSB_SKIP_PG:-}" = 1 ]; then
  printf '\n!!!!!!!!\n!!! ATSB_SKIP_PG=1: PostgreSQL tests are SKIPPED. This run does not prove PostgreSQL works.\n!!!!!!!!\n\n' >&2
  exit 0
fi
if command -v pg_isready >/dev/null; then
  host=$(sed -E 's#^[a-z]+://([^@/]*@)?([^:/]+).*#\2#' <<<"$url")
  port=$(sed -nE 's#^[a-z]+://([^@/]*@)?[^:/]+:([0-9]+).*#\2#p' <<<"$url")
  if ! pg_isready -q -h "$host" -p "${port:-5432}"; then
    echo "PostgreSQL at $host:${port:-5432} is not reachable (ATSB_TEST_PG_URL=$url)." >&2
    echo "Start it, point ATSB_TEST_PG_URL elsewhere, or set ATSB_SKIP_PG=1 to skip (loudly)." >&2
    exit 1
  fi
fi
# Drop databases earlier test runs left behind (each test creates its own).
if command -v psql >/dev/null; then
  psql "$url" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'atsb\_test\_%'" 2>/dev/null |
    while read -r db; do psql "$url" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done
fi

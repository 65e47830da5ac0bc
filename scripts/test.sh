#!/usr/bin/env bash
# The whole test suite (README's test command): lint + format, types, content checks, unit and
# integration tests (real sandbox, real SQLite and PostgreSQL when TEST_POSTGRES_URL is set), a
# production build, and the end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1 NEXT_TELEMETRY_DISABLED=1
if [ "${CI:-}" = "true" ] && [ -z "${TEST_POSTGRES_URL:-}" ]; then
  echo "test: CI needs TEST_POSTGRES_URL (a PostgreSQL the database tests can create databases on)" >&2
  exit 2
fi
[ -d lib/db/generated/sqlite ] || npm run db:generate

step() { echo; echo "== $*"; }
step "lint and format (biome)"; npx biome ci .
step "types (tsc)"; npx tsc --noEmit -p tsconfig.json
step "quiz files"; npm run --silent quizzes:check
step "unit and integration tests"; npx vitest run
step "production build"; npx next build > /tmp/mcp-lab-build.log 2>&1 || { tail -50 /tmp/mcp-lab-build.log; exit 1; }
step "end-to-end tests (Chromium)"; npx vitest run --config vitest.e2e.config.ts

#!/usr/bin/env bash
# The whole test suite: type check, lint, formatting, unused exports, integration tests (vitest, real SQLite and
# local HTTP servers; again on PostgreSQL when TEST_DATABASE_URL names a server) and end-to-end tests (Playwright driving Debian's Chromium against
# a production build with the offline engine).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1

step() { printf '\n== %s (at %ds)\n' "$1" "$SECONDS"; }

if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  step "Installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"

TRAWL_SKIP_BUILD=1 bash scripts/setup.sh

step "Type check"
node_modules/.bin/tsc --noEmit

step "Lint"
node_modules/.bin/eslint . --max-warnings=0

step "Format (Prettier, prisma format)"
node_modules/.bin/prettier --check . --log-level=warn
node scripts/prisma.mjs format --check >/dev/null 2>&1 || { node scripts/prisma.mjs format --check; exit 1; }

step "Unused files and exports (knip)"
node_modules/.bin/knip --include exports,types,files --no-config-hints

step "Integration tests (SQLite)"
TEST_DATABASE_URL= node_modules/.bin/vitest run

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "Integration tests (PostgreSQL at ${TEST_DATABASE_URL#*@})"
  node_modules/.bin/vitest run
else
  step "Integration tests (PostgreSQL): not run — set TEST_DATABASE_URL=postgresql://user@host:5432/postgres to run them"
fi

step "Production build"
node_modules/.bin/next build

step "End-to-end tests"
node_modules/.bin/playwright test

step "Done"

#!/usr/bin/env bash
# Installs dependencies, generates the Prisma client, applies migrations and builds.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "Trawl needs Node.js 20 or newer (found $(node --version))." >&2
  exit 1
fi

step() { printf '\n== %s (at %ds)\n' "$1" "$SECONDS"; }

# npm ci cannot be used offline: the lockfile names platform binaries the registry
# mirror does not serve. npm install with the lockfile gives the same tree.
step "Installing dependencies"
npm install --prefer-offline --no-audit --no-fund --loglevel=error

step "Generating the Prisma clients (SQLite and PostgreSQL)"
node scripts/db-schemas.mjs --check
node scripts/prisma.mjs generate --schema prisma/schema.prisma
node scripts/prisma.mjs generate --schema prisma/postgresql/schema.prisma

if [ "${TRAWL_SKIP_BUILD:-0}" != "1" ]; then
  step "Building the app"
  node_modules/.bin/next build
fi

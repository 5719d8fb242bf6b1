#!/usr/bin/env bash
# The newcomer's one command: set up everything, then start Trawl on its embedded
# defaults (SQLite file under data/, files on local disk, the offline engine).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node scripts/serve.mjs

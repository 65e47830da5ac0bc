#!/usr/bin/env bash
# Installs MCP Lab on this machine for the embedded default (SQLite, in-process worker):
# system packages (when root), npm dependencies, the sandbox runtimes, the database, a production
# build, and a generated secret in .env. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  missing=""
  for pkg in bubblewrap; do dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"; done
  if [ -n "$missing" ]; then
    echo "setup: installing system packages:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
else
  echo "setup: not root; make sure bubblewrap is installed (the sandbox needs it), or set SANDBOX=unsafe-local for local development only"
fi

npm ci --no-audit --no-fund
if [ -x scripts/install-runtimes.sh ] || [ -f scripts/install-runtimes.sh ]; then bash scripts/install-runtimes.sh; fi

if [ ! -f .env ]; then
  printf 'NEXTAUTH_SECRET=%s\n' "$(node -e 'console.log(require("crypto").randomBytes(33).toString("base64"))')" > .env
  chmod 600 .env
  echo "setup: wrote .env with a new random NEXTAUTH_SECRET"
fi

export CHECKPOINT_DISABLE=1 NEXT_TELEMETRY_DISABLED=1
npm run db:generate
npm run db:migrate
npm run db:seed
npm run build
echo "setup: done. Start with: npm start  (http://127.0.0.1:3000)"

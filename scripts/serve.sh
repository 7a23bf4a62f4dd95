#!/usr/bin/env bash
# Installs the site's dependencies, builds it (with its search index and playbook
# downloads) and serves it on http://127.0.0.1:4321/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node24.sh
npm ci --no-audit --no-fund
npm start

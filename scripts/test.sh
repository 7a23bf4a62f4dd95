#!/usr/bin/env bash
# Sets up everything the tests need on a fresh machine and runs every test:
# type check (tsc for .ts, astro check for .astro), the import-graph rules (dependency-cruiser),
# unit, integration (real databases and registry) and build tests (the three Vitest projects), the tests against a real Harbor 1.10 built from source, the site
# build, and the browser tests (Playwright in Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node24.sh
source scripts/test-deps.sh
npm ci --no-audit --no-fund
npm run build
npx tsc --noEmit -p .
# Formatting and lint rules (biome.json), and the import graph: no cycles, and the playbook
# platform never imports the playbooks (.dependency-cruiser.cjs).
npm run lint
# The .astro files: tsc does not read them.
npx astro check
npx vitest run
npm run test:real-harbor
npx playwright test

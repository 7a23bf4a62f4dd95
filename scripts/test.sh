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

# Runs the named steps side by side, each with its output kept apart, and prints each step's
# output once it ends, in the order given. Fails if any step failed, after all have ended.
# Why: on this two-core machine astro check keeps one core busy, and the real-Harbor tests
# spend much of their time waiting on Harbor, so pairing steps saves a minute or two.
side_by_side() {
  local dir names=() pids=() failed=0 i
  dir=$(mktemp -d)
  while [ $# -gt 0 ]; do
    names+=("$1")
    (eval "$2") >"$dir/${#names[@]}.log" 2>&1 &
    pids+=($!)
    shift 2
  done
  for i in "${!pids[@]}"; do
    local status=0
    wait "${pids[$i]}" || status=$?
    echo "=== ${names[$i]} (exit $status) ==="
    cat "$dir/$((i + 1)).log"
    [ "$status" -eq 0 ] || failed=1
  done
  rm -rf "$dir"
  return "$failed"
}

# The checks: types (tsc for .ts; astro check for the .astro files, which tsc does not read),
# formatting and lint rules (biome.json), and the import graph: no cycles, and the playbook
# platform never imports the playbooks (.dependency-cruiser.cjs).
# tsc runs after astro check, whose sync rewrites the .astro/ types tsc reads.
side_by_side \
  'astro check' 'npx astro check' \
  lint 'npm run lint'
npx tsc --noEmit -p .
npx vitest run
# The real Harbor beside the browser tests; the site they read was built above.
side_by_side \
  'browser tests' 'npx playwright test' \
  'real Harbor' 'npm run test:real-harbor'

#!/usr/bin/env bash
# Run every test: the player's JavaScript unit tests (node --test), then unit, AppTest and browser tests.
# Any failure fails the whole run (set -e); pytest's arguments pass through.
set -euo pipefail
py="$1"
cd "$(dirname "$0")/.."
node --test --test-reporter=spec tests/js/*.test.mjs
exec "$py" -m pytest "${@:2}"

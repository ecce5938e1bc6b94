#!/usr/bin/env bash
# Run every check: lint on the whole project, formatting and types on hipknee/, the player's JavaScript unit tests (node --test), then every
# Python test (unit, AppTest and browser). Any failure fails the whole run (set -e); pytest's arguments pass through.
set -euo pipefail
py="$1"
cd "$(dirname "$0")/.."
bin="$(dirname "$py")"
echo "ruff check (the whole project) + ruff format --check on hipknee/"
"$bin/ruff" check .
"$bin/ruff" format --check hipknee/
echo "mypy (hipknee/, settings in pyproject.toml)"
"$py" -m mypy
node --test --test-reporter=spec tests/js/*.test.mjs
exec "$py" -m pytest "${@:2}"

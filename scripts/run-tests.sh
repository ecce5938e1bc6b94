#!/usr/bin/env bash
# Run every check: lint and types on hipknee/, then every test (unit, AppTest and browser).
set -euo pipefail
py="$1"
bin="$(dirname "$py")"
echo "ruff check hipknee/"
"$bin/ruff" check hipknee/
echo "mypy (hipknee/, settings in pyproject.toml)"
"$py" -m mypy
exec "$py" -m pytest "${@:2}"

#!/usr/bin/env bash
# Run every test: unit, AppTest and browser.
set -euo pipefail
py="$1"
exec "$py" -m pytest "${@:2}"

#!/usr/bin/env bash
# Create (or repair) the project's virtualenv and install exactly the pinned, hashed dependencies of one lock
# file (requirements/run.lock for running, requirements/test.lock for testing), then hipknee itself.
set -euo pipefail
python="$1"; venv="$2"; lock="$3"
if [ ! -f "$lock" ]; then
  echo "error: $lock is missing; run 'make lock' to create it." >&2
  exit 1
fi
if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: $python not found. Install Python 3.11 or newer (Debian: apt-get install python3 python3-venv)." >&2
  exit 1
fi
if [ -x "$venv/bin/python" ] && ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
  echo "The virtualenv in $venv is broken; recreating it."
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  if ! "$python" -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "python3-venv is missing; installing it with apt-get."
      apt-get update -qq && apt-get install -y -qq python3-venv
      "$python" -m venv "$venv"
    else
      echo "error: '$python -m venv' failed. On Debian/Ubuntu run: sudo apt-get install python3-venv" >&2
      exit 1
    fi
  fi
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
# --require-hashes: every package must match a hash in the lock, so a changed or substituted file is refused.
"$venv/bin/python" -m pip install --quiet --require-hashes -r "$lock"
# The lock already holds every dependency; installing hipknee with --no-deps keeps it that way.
"$venv/bin/python" -m pip install --quiet --no-deps -e .

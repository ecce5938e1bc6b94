#!/usr/bin/env bash
# Create (or repair) the project's virtualenv and install exactly the pinned, hashed dependencies of one lock
# file (requirements/run.lock for running, requirements/test.lock for testing), then hipknee itself with the
# pip and setuptools of requirements/build.lock: nothing in the venv comes from an unpinned version.
set -euo pipefail
python="$1"; venv="$2"; lock="$3"
build_lock="$(dirname "$0")/../requirements/build.lock"
for file in "$lock" "$build_lock"; do
  if [ ! -f "$file" ]; then
    echo "error: $file is missing; run 'make lock' to create it." >&2
    exit 1
  fi
done
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
# --require-hashes: every package must match a hash in the lock, so a changed or substituted file is refused.
# First pip itself and the build backend (whatever pip the venv came with installs the pinned one).
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r "$build_lock"
"$venv/bin/python" -m pip install --quiet --require-hashes -r "$lock"
# The lock already holds every dependency; installing hipknee with --no-deps keeps it that way, and
# --no-build-isolation builds it with the setuptools just installed instead of fetching the newest one.
"$venv/bin/python" -m pip install --quiet --no-deps --no-build-isolation -e .

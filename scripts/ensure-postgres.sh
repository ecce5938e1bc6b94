#!/usr/bin/env bash
# The storage tests also run against a throwaway PostgreSQL server that the tests start themselves.
set -euo pipefail
if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL is missing; installing Debian's postgresql with apt-get (needed by the storage tests)."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
  # Debian starts a system cluster on install; the tests use their own server, so stop that one.
  service postgresql stop >/dev/null 2>&1 || true
else
  echo "error: PostgreSQL is needed for the storage tests. Install it with: sudo apt-get install postgresql" >&2
  exit 1
fi

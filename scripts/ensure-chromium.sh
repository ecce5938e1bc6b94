#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Never `playwright install`: it downloads its own browser.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing; installing Debian's chromium with apt-get (needed by the browser tests)."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
else
  echo "error: Chromium is needed for the browser tests. Install it with: sudo apt-get install chromium" >&2
  exit 1
fi

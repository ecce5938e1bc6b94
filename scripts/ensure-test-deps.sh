#!/usr/bin/env bash
# What `make test` needs from the system, installed from Debian's packages when missing:
#   chromium           the browser tests (Debian's build, never one that Playwright downloads itself)
#   postgresql         the storage tests also run against a throwaway server the tests start themselves
#   poppler-utils      pdftotext reads the clinician report back in the report tests
#   fonts-dejavu-core  a Unicode font for the PDF report (without it, symbols fall back to ASCII)
#   fonts-wqy-microhei Chinese, Japanese and Korean characters in the PDF report (5 MB; TrueType, which reportlab
#                      can embed, unlike Noto CJK's CFF outlines)
#   fonts-symbola      emoji and symbols in the PDF report (3 MB; outlines: reportlab cannot draw colour emoji)
#   nginx              the multi-process test runs two app processes behind Debian's nginx (as a child process)
#   nodejs             `node --test` runs the routine player's JavaScript unit tests (tests/js)
#   npm                installs axe-core (pinned in tests/browser/axe/package-lock.json) for the accessibility test
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
[ -f /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf ] || missing+=(fonts-symbola)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
axe_deps() {
  # axe-core from the npm registry, exactly as locked; skipped when that version is already in place.
  local dir want have
  dir="$(cd "$(dirname "$0")/../tests/browser/axe" && pwd)"
  want="$(node -p "require('$dir/package.json').dependencies['axe-core']")"
  have="$(node -p "require('$dir/node_modules/axe-core/package.json').version" 2>/dev/null || true)"
  if [ "$want" != "$have" ]; then
    echo "Installing axe-core for the accessibility test (npm ci in tests/browser/axe)"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  fi
}
if [ ${#missing[@]} -eq 0 ]; then axe_deps; exit 0; fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing what the tests need from Debian: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    # Debian starts a system cluster on install; the tests use their own server, so stop that one.
    service postgresql stop >/dev/null 2>&1 || true
  fi
  if [[ " ${missing[*]} " == *" nginx "* ]]; then
    # Likewise Debian may start nginx on port 80; the test runs its own nginx with its own config.
    service nginx stop >/dev/null 2>&1 || true
  fi
else
  echo "error: the tests need these Debian packages: ${missing[*]}" >&2
  echo "       install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
axe_deps

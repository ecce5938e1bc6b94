#!/usr/bin/env bash
# Regenerate the hashed lock files from pyproject.toml (`make lock`). uv comes from PyPI as an ordinary package,
# in a venv of its own, so nothing is downloaded outside the package index. The target is what CI runs:
# CPython 3.11 on Linux x86_64.
#   requirements/test.lock  runtime + test + postgres + auth extras (make test)
#   requirements/run.lock   runtime + the hosting extras postgres and auth (make run; no test tools), at the
#                           same versions as test.lock
#   requirements/build.lock pip and the build backend of pyproject.toml's [build-system], which install hipknee
#                           itself (scripts/setup-venv.sh), so no setup step fetches an unpinned version
# Extra arguments go to both compiles, e.g. `scripts/lock.sh --upgrade` or `--upgrade-package pandas`.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
tools=".venv-lock"
UV_VERSION="0.13.9"
if [ ! -x "$tools/bin/uv" ] || [ "$("$tools/bin/uv" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  rm -rf "$tools"
  "$python" -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet "uv==$UV_VERSION"
fi
common=(--generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu
        --custom-compile-command "make lock" --quiet)
"$tools/bin/uv" pip compile pyproject.toml --extra test --extra postgres --extra auth \
  "${common[@]}" "$@" -o requirements/test.lock
# Runtime pins follow the test lock, so `make run` runs exactly the versions `make test` tested.
"$tools/bin/uv" pip compile pyproject.toml --extra postgres --extra auth --constraint requirements/test.lock \
  "${common[@]}" "$@" -o requirements/run.lock
# The tools that install hipknee: pip, and [build-system] requires read from pyproject.toml (no second copy).
build_requires="$("$python" -c 'import tomllib
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))')"
printf 'pip\n%s\n' "$build_requires" | "$tools/bin/uv" pip compile - "${common[@]}" "$@" -o requirements/build.lock
echo "Wrote requirements/test.lock, requirements/run.lock and requirements/build.lock."

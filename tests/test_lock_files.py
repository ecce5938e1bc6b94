"""The lock files (issue 12): hashed pins, make run gets the runtime (with hosting's extras) and no test tools, at
the versions make test tests."""

import re
import tomllib
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", re.MULTILINE)


def pins(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text()
    found = {pkg.lower().replace("_", "-"): version for pkg, version in PIN.findall(text)}
    assert found, f"no pins in {name}"
    # Every pin carries a hash (pip --require-hashes refuses the whole file otherwise).
    starts = [m.start() for m in PIN.finditer(text)] + [len(text)]
    unhashed = [text[a:b].split()[0] for a, b in pairwise(starts) if "--hash=sha256:" not in text[a:b]]
    assert unhashed == [], f"{name}: pins without a hash"
    return found


def test_run_lock_has_the_runtime_and_hosting_extras_but_no_test_tools():
    run = pins("run.lock")
    for needed in ("streamlit", "pandas", "sqlalchemy", "pydantic", "psycopg", "psycopg-binary", "authlib"):
        assert needed in run, f"make run would not install {needed}"
    for tool in ("pytest", "playwright", "hypothesis", "ruff", "mypy"):
        assert tool not in run, f"make run would install the test tool {tool}"


def test_run_lock_pins_the_versions_that_make_test_tests():
    run, test = pins("run.lock"), pins("test.lock")
    assert {pkg: (version, test.get(pkg)) for pkg, version in run.items() if test.get(pkg) != version} == {}


def test_every_direct_dependency_is_locked():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    name = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")
    direct = {name.match(req).group(0).lower().replace("_", "-") for req in project["dependencies"]}
    extras = {
        name.match(req).group(0).lower().replace("_", "-")
        for extra in project["optional-dependencies"].values() for req in extra
    }
    assert direct - set(pins("run.lock")) == set()
    assert (direct | extras) - set(pins("test.lock")) == set()


def test_pip_and_the_build_backend_are_locked_too():
    # Issue 12: setup used to run an unpinned `pip install --upgrade pip`, and the editable install fetched the
    # newest setuptools into an isolated build environment.
    from packaging.requirements import Requirement

    build = pins("build.lock")
    assert set(build) == {"pip", "setuptools"}
    for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]:
        req = Requirement(requirement)
        assert req.name in build and build[req.name] in req.specifier, f"build.lock does not satisfy {requirement}"
    assert not set(build) & set(pins("test.lock")), "a tool pinned twice"


def test_setup_installs_only_from_the_locks():
    script = (ROOT / "scripts" / "setup-venv.sh").read_text()
    lines = [line.strip() for line in script.splitlines() if not line.lstrip().startswith("#")]
    installs = [line for line in lines if "pip install" in line]
    assert len(installs) == 3, installs
    build, lock, hipknee = installs
    assert "--require-hashes" in build and "build_lock" in build  # pip and setuptools first, pinned
    assert "--require-hashes" in lock and '"$lock"' in lock
    assert "--no-deps" in hipknee and "--no-build-isolation" in hipknee and hipknee.endswith("-e .")
    assert "--upgrade" not in script
    makefile = (ROOT / "Makefile").read_text()
    assert "$(RUN_STAMP): requirements/run.lock requirements/build.lock" in makefile
    assert "$(TEST_STAMP): requirements/test.lock requirements/build.lock" in makefile

"""The lock files (issue 12): hashed pins, make run gets the runtime (with hosting's extras) and no test tools, at
the versions make test tests."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", re.MULTILINE)


def pins(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text()
    found = {pkg.lower().replace("_", "-"): version for pkg, version in PIN.findall(text)}
    assert found, f"no pins in {name}"
    # Every pin carries a hash (pip --require-hashes refuses the whole file otherwise).
    starts = [m.start() for m in PIN.finditer(text)] + [len(text)]
    unhashed = [text[a:b].split()[0] for a, b in zip(starts, starts[1:]) if "--hash=sha256:" not in text[a:b]]
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

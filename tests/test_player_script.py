"""The player's JS as Streamlit serves it: files under static/player/ (cached by the browser), each a valid ES
module whose relative imports resolve in that folder, behind a URL versioned by every file there.

(The timing itself is unit-tested under node in tests/js; the browser tests play the served scripts.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import ui.player as player


def _node() -> str:
    node = shutil.which("node")
    if not node:
        pytest.fail("Node is not installed; `make test` installs it (apt-get install nodejs)")
    return node


@pytest.mark.parametrize("name", ["player.js", "timeline.js"])
def test_each_served_script_is_a_valid_module(tmp_path: Path, name: str) -> None:
    path = tmp_path / name.replace(".js", ".mjs")
    path.write_text((player.STATIC_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run([_node(), "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_relative_imports_resolve_in_the_served_folder() -> None:
    text = (player.STATIC_DIR / "player.js").read_text(encoding="utf-8")
    targets = re.findall(r"""["'`]\./([\w-]+\.js)""", text)
    assert targets == ["timeline.js"]
    assert all((player.STATIC_DIR / t).is_file() for t in targets)
    assert "import.meta.url).search" in text  # timeline.js gets player.js's own ?v= version


def test_the_url_version_changes_with_any_served_file(tmp_path: Path, monkeypatch) -> None:
    for name in ("player.js", "timeline.js", "player.css"):
        (tmp_path / name).write_text(f"// {name}\n", encoding="utf-8")
    monkeypatch.setattr(player, "STATIC_DIR", tmp_path)
    before = player.static_url("player.js")
    assert re.fullmatch(r"/app/static/player/player\.js\?v=[0-9a-f]{12}", before)
    (tmp_path / "timeline.js").write_text("// changed\n", encoding="utf-8")
    assert player.static_url("player.js") != before

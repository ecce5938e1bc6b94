"""The player's JS as Streamlit serves it: timeline.js inlined into player.js, one valid ES module.

(The timing itself is unit-tested under node in tests/js; the browser tests play the assembled script.)
"""

from __future__ import annotations

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


def test_the_served_script_is_one_module_with_the_timeline_inlined(tmp_path: Path) -> None:
    script = player.player_script()
    assert not any(line.startswith("import") for line in script.splitlines())
    assert script.count("class Timeline") == 1
    exports = [line for line in script.splitlines() if line.startswith("export")]
    assert exports == ["export default function (args) {"]  # only the entry point
    path = tmp_path / "player.mjs"
    path.write_text(script, encoding="utf-8")
    done = subprocess.run([_node(), "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def _folder(tmp_path: Path, player_js: str, timeline_js: str) -> Path:
    (tmp_path / "player.js").write_text(player_js, encoding="utf-8")
    (tmp_path / "timeline.js").write_text(timeline_js, encoding="utf-8")
    return tmp_path


def test_inlining_drops_exports_and_keeps_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(player, "_HERE", _folder(
        tmp_path,
        'import { a, B } from "./timeline.js";\nexport default function () { return a + B.x; }\n',
        "export const a = 1;\nexport class B {}\nfunction helper() {}\n",
    ))
    script = player.player_script()
    assert "const a = 1;\nclass B {}\nfunction helper() {}\n" in script
    assert "import" not in script
    assert script.rstrip().endswith("export default function () { return a + B.x; }")


@pytest.mark.parametrize(("player_js", "timeline_js"), [
    ('import { a as b } from "./timeline.js";\n', "export const a = 1;\n"),  # a renamed import
    ('import * as t from "./timeline.js";\n', "export const a = 1;\n"),
    ('import { a } from "./timeline.js";\n', "const a = 1;\nexport { a };\n"),  # an export list
    ('import { a } from "./timeline.js";\n', "export default 1;\n"),
    ('import { a } from "./timeline.js";\n', 'import { b } from "./other.js";\nexport const a = b;\n'),
])
def test_forms_it_cannot_inline_fail_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            player_js: str, timeline_js: str) -> None:
    monkeypatch.setattr(player, "_HERE", _folder(tmp_path, player_js, timeline_js))
    with pytest.raises(ValueError, match="inline"):
        player.player_script()

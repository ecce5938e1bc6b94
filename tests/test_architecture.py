"""The pure package stays pure: every rule and number is testable without Streamlit."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "hipknee"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_hipknee_package_never_imports_streamlit():
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) > 10
    offenders = {p.name: sorted(m for m in imported_modules(p) if m.split(".")[0] in ("streamlit", "ui", "pages"))
                 for p in modules}
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_every_page_makes_sure_it_runs_inside_the_router():
    pages = sorted((PACKAGE.parent / "pages").glob("*.py"))
    assert len(pages) >= 8
    missing = [p.name for p in pages if "\nensure_routed()\n" not in p.read_text()]
    assert missing == []

"""axe-core (WCAG 2.2 A/AA rules) on every page, at desktop and phone size, in the light and the dark theme.

axe comes from the npm registry (tests/browser/axe/package.json, pinned; `make test` installs it) and is
injected into the running app by Playwright. The test fails on any serious or critical violation that the
app causes. What Streamlit itself causes, and hipknee cannot fix, is in ``FRAMEWORK`` below with its
upstream cause; each entry was checked against bench/hello_app.py (a hello-world Streamlit app with the same
config), which shows the same finding.

The theme follows the system setting (config.toml defines [theme.light] and [theme.dark]), so the dark
runs emulate ``prefers-color-scheme: dark``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hipknee import demo
from hipknee.store import Store
from tests.browser.harness import DESKTOP, MOBILE, PageErrors, assert_no_app_errors, new_page, open_page
from ui.pages import PAGES as PAGE_TABLE

AXE_JS = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["" if spec.default else spec.url_path for spec in PAGE_TABLE]
TITLES = {"" if spec.default else spec.url_path: f"{spec.title} · hipknee" for spec in PAGE_TABLE}
# Moderate in axe, but named by issue 17: heading levels must not skip (a title, then h2 sections).
ALSO_ENFORCED = ("heading-order",)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# Streamlit's own findings that hipknee cannot fix: (axe rule, data-testid of the Streamlit element the
# node sits in) -> the upstream cause. Each was reproduced on a bare Streamlit 1.67 page (bench/hello_app.py
# plus the one widget) with the same config, so it is not something hipknee adds.
FRAMEWORK: dict[tuple[str, str], str] = {
    # st.date_input draws its month and day as two-digit react-aria segments about 18 x 20 px with no spacing
    # option (WCAG 2.5.8 asks 24 x 24 px); typing the date or the calendar pop-up are the ways around it.
    ("target-size", "stDateInputFieldsScroller"): "st.date_input segment size (Streamlit DateInput)",
}


def _framework(rule: str, widget: str) -> bool:
    return (rule, widget) in FRAMEWORK


def run_axe(page) -> list[dict]:
    """Serious and critical violations (and ``ALSO_ENFORCED``) as axe reports them: rule, impact, help, nodes."""
    # The app's page-wide styles (ui/a11y.py) arrive with each run's elements: audit once they apply.
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.stApp')).getPropertyValue('--hk-styles').trim() === '1'"
    )
    if page.evaluate("typeof window.axe") == "undefined":
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async (tags) => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => {
              const el = typeof n.target[0] === 'string' ? document.querySelector(n.target[0]) : null;
              const owner = el && el.closest('[data-testid]');
              return {target: n.target.join(' '), summary: n.failureSummary,
                      widget: owner ? owner.getAttribute('data-testid') : ''};
            })}));
        }""",
        TAGS,
    )
    return [v for v in result if v["impact"] in ("serious", "critical") or v["id"] in ALSO_ENFORCED]


def app_caused(violations: list[dict]) -> list[dict]:
    out = []
    for v in violations:
        nodes = [n for n in v["nodes"] if not _framework(v["id"], n["widget"])]
        if nodes:
            out.append({**v, "nodes": nodes})
    return out


def report(found: dict[str, list[dict]]) -> str:
    """One line per failing node: page, rule, the node and the first line of axe's explanation."""
    lines = []
    for path, violations in found.items():
        for v in violations:
            for n in v["nodes"]:
                why = " ".join(n["summary"].splitlines()[1:2]).strip()
                where = f"{n['widget']} {n['target'][-90:]}"
                lines.append(f"/{path.lstrip('/')}: {v['id']} ({v['impact']}) in {where} :: {why[:220]}")
    return "\n".join(lines)


@pytest.fixture(scope="module", autouse=True)
def axe_installed():
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}; `make test` installs it (npm ci in tests/browser/axe)")


def audit_pages(browser, app_server, viewport: dict, scheme: str) -> dict[str, list[dict]]:
    errors = PageErrors()
    context_page = new_page(browser, viewport, errors)
    found: dict[str, list[dict]] = {}
    try:
        context_page.emulate_media(color_scheme=scheme)
        for path in PAGES:
            open_page(context_page, app_server, path)
            background = context_page.evaluate("getComputedStyle(document.querySelector('.stApp')).backgroundColor")
            assert background == BACKGROUND[scheme], f"not the {scheme} theme: {background}"
            assert context_page.title() == TITLES[path]  # every page its own title (WCAG 2.4.2)
            context_page.wait_for_timeout(300)  # charts and components draw after the script is idle
            bad = app_caused(run_axe(context_page))
            if bad:
                found[path or "/"] = bad
        assert_no_app_errors(context_page, errors)
    finally:
        context_page.context.close()
    return found


BACKGROUND = {"light": "rgb(255, 255, 255)", "dark": "rgb(16, 24, 21)"}  # .streamlit/config.toml
SIZES = pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
THEMES = pytest.mark.parametrize("scheme", ["light", "dark"])


@THEMES
def test_axe_empty_journal(browser, app_server, scheme):
    # Runs first in this module: a newcomer's pages (no entries, no screening yet), desktop only.
    found = audit_pages(browser, app_server, DESKTOP, scheme)
    assert found == {}, report(found)


@pytest.fixture(scope="module")
def filled(app_server):
    store = Store.open(app_server.db_url)
    demo.fill(store, 200, seed=4, end=dt.date.today())
    yield store
    store.engine.dispose()


@THEMES
@SIZES
def test_axe_with_data(browser, app_server, filled, viewport, scheme):
    found = audit_pages(browser, app_server, viewport, scheme)
    assert found == {}, report(found)


# The focus ring of the focused element (or, for a radio, of its label): style, width and its contrast
# against the page background (WCAG 2.4.7 and 1.4.11 ask 3:1).
RING = """() => {
  const el = document.activeElement;
  const target = el.matches('input[type="radio"]') ? el.closest('label') : el;
  const cs = getComputedStyle(target);
  const rgb = c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92
    : ((v + 0.055) / 1.055) ** 2.4; }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const bg = rgb(getComputedStyle(document.querySelector('.stApp')).backgroundColor);
  const [a, b] = [lum(rgb(cs.outlineColor)), lum(bg)].sort((x, y) => y - x);
  return {style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), contrast: (a + 0.05) / (b + 0.05),
          where: el.closest('[data-testid]')?.getAttribute('data-testid') || el.tagName};
}"""


def tab_until(page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


@THEMES
def test_focus_ring_is_visible_on_links_and_radios(browser, app_server, scheme):
    errors = PageErrors()
    page = new_page(browser, DESKTOP, errors)
    try:
        page.emulate_media(color_scheme=scheme)
        open_page(page, app_server, "")
        for selector in ('[data-testid="stSidebarNav"] a', '[data-testid="stPageLink"] a'):
            tab_until(page, selector)
            ring = page.evaluate(RING)
            assert ring["style"] == "solid" and ring["width"] >= 2 and ring["contrast"] >= 3, ring
        open_page(page, app_server, "screener")
        tab_until(page, '[data-testid="stRadio"] input')
        ring = page.evaluate(RING)
        assert ring["style"] == "solid" and ring["width"] >= 2 and ring["contrast"] >= 3, ring
        assert_no_app_errors(page, errors)
    finally:
        page.context.close()

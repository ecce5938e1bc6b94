"""Untrusted text never becomes markup, in the real browser (issue 11, part 1).

Every input that the app echoes is fed the payloads of tests/markup_payloads.py: the Routine link's query
parameters (a routine and a physio's prescription), a CSV file imported and a backup restored on Your data,
journal notes, and screening reasons read back from the database. For each, the page must show the text as
written (the same words, checked against the message the code builds), create no markup element from it
(counted against the same page fed harmless text), and make no request to any host but this machine.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
from urllib.parse import urlencode

import pytest

from hipknee import backup, csvio, diary_import
from hipknee import programme as P
from hipknee import routines as R
from hipknee.errors import HipkneeError, shorten
from hipknee.exercises import load_exercises
from hipknee.journal import Entry
from hipknee.plaintext import WORD_JOINER
from hipknee.store import Store
from tests.browser.harness import assert_no_app_errors, open_page, wait_ready
from tests.markup_payloads import OUTSIDE, PAYLOADS

MAIN = '[data-testid="stMain"]'
# Elements that text must never turn into (Streamlit's own use of them is the same with harmless text).
MARKUP = (
    "a", "img", "picture", "svg image", "iframe", "object", "embed", "video", "audio", "script", "h1", "h2",
    "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "table", "pre", "code", "strong", "em", "del", "s",
    "hr", "sup", "input[type=checkbox]", ".katex", "[class*=stMarkdownColored]", ".stMarkdownBadge",
    ".stMarkdownShimmer", "span[role=img]", "span[style]", "streamlit-help-icon",
    '[data-testid="stTooltipHoverTarget"]',
)
COUNT_JS = """(root, selectors) => Object.fromEntries(
    selectors.map(s => [s, root.querySelectorAll(s).length]))"""
# A text box's value (a column name shown in the import's mapping step) is text, never fetched or followed.
OUTSIDE_JS = f"""() => [...document.querySelectorAll('*')].filter(el =>
    [...el.attributes].some(a => !(el.tagName === 'INPUT' && a.name === 'value')
        && (a.value.includes('{OUTSIDE}') || /^\\s*javascript:/i.test(a.value)))
).map(el => el.outerHTML.slice(0, 200))"""


def folded(text: str) -> str:
    return " ".join(text.replace(WORD_JOINER, "").split())


def markup_counts(page) -> dict[str, int]:
    """Markup elements on the page once it has settled (tables and charts finish drawing after the
    script has run): the same count twice, 0.6 s apart."""
    last = None
    for _ in range(20):
        now = page.locator(MAIN).evaluate(COUNT_JS, list(MARKUP))
        if now == last:
            return now
        last = now
        page.wait_for_timeout(600)
    return last


def main_text(page) -> str:
    return folded(page.locator(MAIN).inner_text())


def check_plain(page, page_errors, baseline: dict[str, int], expected: list[str], what: str) -> None:
    """The page shows each expected text as written, with no more markup than the harmless baseline."""
    counts = markup_counts(page)
    extra = {sel: (n, baseline[sel]) for sel, n in counts.items() if n != baseline[sel]}
    assert not extra, f"{what}: markup elements (now, with harmless text): {extra}"
    assert page.evaluate(OUTSIDE_JS) == [], what
    text = main_text(page)
    for message in expected:
        assert folded(message) in text, f"{what}: {folded(message)!r} is not shown as written in {text!r}"
    assert page_errors.external == [], page_errors.external


@pytest.fixture
def store(app_server):
    s = Store.open(app_server.db_url)
    yield s
    s.engine.dispose()


# ---- the Routine page's link -------------------------------------------------------------------------


def link_params(exercises: str, hold: str, sets: str, warmup: str) -> dict[str, str]:
    return {"exercises": exercises, "hold": hold, "sets": sets, "warmup": warmup}


def test_routine_link_parameters_are_shown_as_plain_text(page, page_errors, app_server, store):
    store.save_screening("ok", {}, [])  # the routine (and its link messages) needs a screening
    library = load_exercises()

    def open_link(params: dict[str, str]) -> list[str]:
        open_page(page, app_server, "routine?" + urlencode(params))
        page.locator(MAIN).get_by_text("The link", exact=False).first.wait_for()
        wait_ready(page)
        return list(R.parse_query(params, library).messages)

    harmless = open_link(link_params("zq harmless", "zq harmless", "zq harmless", "zq harmless"))
    assert len(harmless) == 5  # unknown exercise, none known, hold, sets, warmup: four parameters echoed
    baseline = markup_counts(page)
    check_plain(page, page_errors, baseline, harmless, "harmless link")

    for start in range(0, len(PAYLOADS), 4):
        chunk = [*PAYLOADS[start:start + 4], *PAYLOADS[: max(0, start + 4 - len(PAYLOADS))]]
        # A marker first, so no payload is cut away entirely (messages quote 20-80 characters of a value).
        params = link_params(*(f"zq{start + i} {p}" for i, p in enumerate(chunk)))
        messages = open_link(params)
        assert len(messages) == len(harmless), messages
        check_plain(page, page_errors, baseline, messages, f"link {params}")
    assert_no_app_errors(page, page_errors)


# ---- a physio's prescription link: /routine?programme=... ---------------------------------------------


def test_prescription_link_is_shown_as_plain_text(page, page_errors, app_server, store):
    """Each payload goes in twice: as an exercise id (quoted up to 30 characters, up to its first ':') and as
    the levels of a known exercise (quoted up to 20 characters)."""
    store.save_screening("ok", {}, [])
    programme = P.load_programme()
    known = list(programme.exercises)

    def open_link(texts: list[str]) -> list[str]:
        value = ",".join([*texts, *(f"{ex}:{text}" for ex, text in zip(known, texts, strict=True))])
        open_page(page, app_server, "routine?" + urlencode({P.PRESCRIPTION_KEY: value}))
        page.locator(MAIN).get_by_text("A plan from a link", exact=False).first.wait_for()
        wait_ready(page)
        return list(P.parse_prescription(value, programme)[1])

    size = len(known)
    harmless = open_link([f"zq harmless {i}" for i in range(size)])
    assert len(harmless) == 2 * size  # every item refused and quoted, the plan's own levels kept
    baseline = markup_counts(page)
    check_plain(page, page_errors, baseline, harmless, "harmless prescription link")

    for start in range(0, len(PAYLOADS), size):
        chunk = [*PAYLOADS[start:start + size], *PAYLOADS[: max(0, start + size - len(PAYLOADS))]]
        messages = open_link(list(chunk))
        assert len(messages) == len(harmless), messages
        check_plain(page, page_errors, baseline, messages, f"prescription link {chunk}")
    assert_no_app_errors(page, page_errors)


# ---- a CSV file imported on Your data ----------------------------------------------------------------


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def wait_for_chip(uploader, name: str) -> None:
    """Wait until ``uploader`` lists the file ``name``. The chip shortens a long name in the middle
    ("harmle...estion.json"); its title holds it whole."""
    uploader.locator(f'[data-testid="stFileChipName"][title="{name}"]').wait_for()


def wait_for_text(page, expected: str) -> None:
    """Wait up to about 15 s of reruns for ``expected`` (case- and space-folded) in the page's main text."""
    for _ in range(60):
        wait_ready(page)
        if folded(expected) in main_text(page):
            return
        page.wait_for_timeout(250)
    pytest.fail(f"{expected!r} did not appear on the page")


def import_file(page, data: bytes, name: str, expected: str) -> None:
    """Upload ``data`` and wait until the page has checked it and shows ``expected`` (the file is checked
    as soon as it is chosen; a new upload can take two reruns)."""
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="CSV or Excel file")
    uploader.locator('input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    wait_for_chip(uploader, name)
    wait_for_text(page, expected)


def packed(limit: int = 80) -> list[str]:
    """The payloads joined into as few texts of at most ``limit`` characters as they fit (an import error
    quotes up to 80 characters of the header), each led by a marker."""
    groups: list[str] = []
    current = ""
    for payload in PAYLOADS:
        joined = f"{current} {payload}" if current else payload
        if current and len(f"zq{len(groups)} {joined}") > limit:
            groups.append(current)
            current = payload
        else:
            current = joined
    groups.append(current)
    return [f"zq{i} {text}" for i, text in enumerate(groups)]


def import_error(data: bytes) -> str:
    """What the page shows for ``data``: the columns of a file that needs mapping, or the problem."""
    table = diary_import.read_table(data)
    if diary_import.auto_mapping(table) is None:
        return "Columns in this file: " + shorten(", ".join(table.header))
    with pytest.raises(HipkneeError) as caught:
        csvio.parse_csv(data, today=dt.date.today())
    return f"This file cannot be imported yet. {caught.value}"


def test_csv_import_errors_show_the_file_as_plain_text(page, page_errors, app_server):
    open_page(page, app_server, "data")
    good = ",".join(csvio.HEADER)
    files = [csv_bytes([[text]]) for text in packed()]  # the header echoed
    files += [  # a cell echoed
        (good + "\n").encode() + csv_bytes([[f"zq {PAYLOADS[0]}", "1", "", "0", ""]]),
        (good + "\n").encode() + csv_bytes([["2024-01-01", "1", "", f"zq {PAYLOADS[1]}", ""]]),
        (good + "\n").encode() + csv_bytes([["2024-01-01", f":{PAYLOADS[7]}", "", "0", ""]]),
    ]
    # Two kinds of page: the mapping step (a file without hipknee's columns) and a problem; each is compared
    # with the same kind of page for a harmless file.
    harmless_files = {
        True: csv_bytes([["zq harmless header"]]),
        False: (good + "\n").encode() + csv_bytes([["zq harmless", "1", "", "0", ""]]),
    }
    baselines = {}
    for needs_mapping, harmless in harmless_files.items():
        import_file(page, harmless, f"harmless-{needs_mapping}.csv", import_error(harmless))
        baselines[needs_mapping] = markup_counts(page)
        check_plain(page, page_errors, baselines[needs_mapping], [import_error(harmless)], "harmless file")
    for number, data in enumerate(files):
        import_file(page, data, f"journal-{number}.csv", import_error(data))
        needs_mapping = diary_import.auto_mapping(diary_import.read_table(data)) is None
        check_plain(page, page_errors, baselines[needs_mapping], [import_error(data)], f"file {data[:60]!r}")
    assert_no_app_errors(page, page_errors)


# ---- a backup restored on Your data -------------------------------------------------------------------


def restore_error(data: bytes) -> str:
    """What the page shows when the Restore button meets ``data``: restore's own message."""
    with pytest.raises(HipkneeError) as caught:
        backup.read_backup(data, today=dt.date.today())
    return f"Nothing was restored. {caught.value}"


def restore_file(page, data: bytes, name: str, expected: str) -> None:
    """Upload ``data`` as a backup, press Restore a backup, and wait until the page shows ``expected``."""
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Backup file")
    uploader.locator('input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "application/json", "buffer": data}]
    )
    wait_for_chip(uploader, name)
    wait_ready(page)
    page.locator(".st-key-restore_button button").click()
    wait_for_text(page, expected)


def test_restore_errors_show_the_backup_as_plain_text(page, page_errors, app_server, tmp_path):
    """A backup's values reach the error box in two ways: text quoted as it is (a date) and a JSON value
    quoted as Python writes it (a daily check's question id)."""
    day = dt.date.today() - dt.timedelta(days=3)
    source = Store.open(f"sqlite:///{tmp_path / 'backup-source.db'}")
    source.add_entry(Entry(day, 4))
    source.save_daily_check(day, {"fever": False}, "ok")
    doc = json.loads(backup.make_backup(source))
    source.engine.dispose()

    def with_date(text: str) -> bytes:
        changed = copy.deepcopy(doc)
        changed["tables"]["daily_entries"][0]["entry_date"] = text
        return json.dumps(changed).encode()

    def with_question(text: str) -> bytes:
        changed = copy.deepcopy(doc)
        changed["tables"]["daily_checks"][0]["answers"] = {text: True}
        return json.dumps(changed).encode()

    for kind, make in (("date", with_date), ("question", with_question)):
        open_page(page, app_server, "data")  # each kind from a fresh page, its uploader empty
        harmless = make("zq harmless")
        restore_file(page, harmless, f"harmless-{kind}.json", restore_error(harmless))
        baseline = markup_counts(page)
        check_plain(page, page_errors, baseline, [restore_error(harmless)], f"harmless {kind}")
        for number, text in enumerate(packed()):
            data = make(text)
            restore_file(page, data, f"backup-{kind}-{number}.json", restore_error(data))
            check_plain(page, page_errors, baseline, [restore_error(data)], f"{kind} {text!r}")
    assert_no_app_errors(page, page_errors)


# ---- journal notes and screening reasons from the database -------------------------------------------


def test_notes_and_screening_reasons_from_the_database_are_plain_text(page, page_errors, app_server, store):
    today = dt.date.today()
    days = [today - dt.timedelta(days=i + 1) for i in range(len(PAYLOADS))]

    def fill(notes: list[str], reasons: list[str]) -> None:
        store.import_entries([Entry(d, 4, notes=n) for d, n in zip(days, notes, strict=True)], on_conflict="replace")
        store.save_screening("caution", {}, [
            {"id": f"zq_{i}", "tier": "caution", "reason": text, "advice": f"zq{i} {text}"}
            for i, text in enumerate(reasons)
        ])

    def visit() -> dict[str, dict[str, int]]:
        counts = {}
        for path in ("journal", "trends", "screener", "routine"):
            open_page(page, app_server, path)
            counts[path] = markup_counts(page)
        return counts

    harmless = [f"zq{i} harmless words" for i in range(len(PAYLOADS))]
    fill(harmless, harmless)
    baseline = visit()
    fill(list(PAYLOADS), list(PAYLOADS))
    for path in ("journal", "trends", "screener", "routine"):
        open_page(page, app_server, path)
        # The screener's result and the Routine page's gate list every reason and its advice.
        expected = [f"{p} zq{i} {p}" for i, p in enumerate(PAYLOADS)] if path == "routine" else (
            [f"zq{i} {p}" for i, p in enumerate(PAYLOADS)] if path == "screener" else []
        )
        check_plain(page, page_errors, baseline[path], expected, path)
    assert_no_app_errors(page, page_errors)

"""Citations and explainer text: every cited key exists, every citation is cited, bad data is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipknee.citations import (
    CITATIONS_PATH,
    EXPLAINER_PATH,
    ContentError,
    cited_keys,
    format_reference,
    load_citations,
    load_explainer,
    render_body,
)

REQUIRED = {"ireland2003", "souza2009", "powers2010", "khayambashi2012", "nascimento2018", "neal2019", "willy2019"}


def test_the_issue_s_studies_are_all_in_the_reference_list():
    citations = load_citations()
    assert set(citations) >= REQUIRED
    for c in citations.values():
        assert c.authors and c.title and c.journal and c.finding
        assert c.link.startswith("https://")
        assert str(c.year) in c.key  # keys are name + year: a typo in either shows up here


def test_every_cited_key_exists_and_every_citation_is_cited():
    explainer = load_explainer()
    cited = {k for s in explainer.sections for k in cited_keys(s.body)}
    assert cited == set(explainer.citations)
    assert set(explainer.order) == cited and len(explainer.order) == len(cited)


def test_numbers_follow_first_appearance_and_match_the_reference_list():
    explainer = load_explainer()
    text = "\n".join(s.body for s in explainer.sections)
    first_seen = list(dict.fromkeys(cited_keys(text)))
    assert list(explainer.order) == first_seen
    assert [n for n, _ in explainer.references()] == list(range(1, len(first_seen) + 1))
    for section in explainer.sections:
        rendered = render_body(section.body, explainer)
        assert "[@" not in rendered
    bottom = next(s for s in explainer.sections if s.id == "bottom_line")
    expected = f"[{explainer.number('nascimento2018')}, {explainer.number('willy2019')}]"
    assert expected in render_body(bottom.body, explainer)


def test_the_page_says_the_honest_things():
    explainer = load_explainer()
    ids = [s.id for s in explainer.sections]
    assert ids[0] == "two_joints" and "bottom_line" in ids and "see_someone" in ids
    bottom = next(s for s in explainer.sections if s.id == "bottom_line").body.lower()
    assert "strengthening has the best evidence" in bottom and "mobility and comfort" in bottom
    assert [s.figure for s in explainer.sections].count("leg_model") == 1
    everything = " ".join(s.body for s in explainer.sections).lower()
    assert "american journal of sports medicine" not in everything  # the unverified athletes study


def test_reference_formatting():
    citations = load_citations()
    neal = format_reference(citations["neal2019"])
    assert neal.startswith("Neal BS, Lack SD")
    assert "*British Journal of Sports Medicine* 53(5):270–281" in neal
    assert "(https://doi.org/10.1136/bjsports-2017-098890)" in neal
    ireland = format_reference(citations["ireland2003"])
    assert "doi" not in ireland and "pubmed.ncbi.nlm.nih.gov" in ireland
    assert format_reference(citations["willy2019"]).startswith("Willy RW, Hoglund LT, Barton CJ, et al. (2019)")
    assert citations["souza2009"].short == "Souza and Powers, 2009"
    assert citations["powers2010"].short == "Powers, 2010"
    assert citations["neal2019"].short == "Neal and colleagues, 2019"


# ---- validation ------------------------------------------------------------------------------------------

def _copy(tmp_path: Path, source: Path, old: str = "", new: str = "") -> Path:
    text = source.read_text()
    if old:
        assert old in text, f"test setup: {old!r} not found"
        text = text.replace(old, new, 1)
    path = tmp_path / source.name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("[@powers2010]", "[@powers2011]", ["section 'thigh_drops_in'", "[@powers2011]", "not in"]),
        ("[@neal2019]", "", ["never cited", "neal2019"]),
        ("[@ireland2003]", "[@ireland2003", ["section 'research'", "unclosed"]),
        ('id = "caution"', 'id = "research"', ["section 'research'", "twice"]),
        ('\nfigure = "leg_model"', '\nfigure = "cartoon"', ["section 'thigh_drops_in'", "'figure'"]),
        ('title = "A fair warning"', 'title = ""', ["section 'caution'", "'title'"]),
        ('title = "A fair warning"', 'title = "A fair warning"\ncolour = "red"', ["section 'caution'", "colour"]),
    ],
)
def test_explainer_validation(tmp_path, old, new, expected):
    path = _copy(tmp_path, EXPLAINER_PATH, old, new)
    with pytest.raises(ContentError) as info:
        load_explainer(path)
    message = str(info.value)
    assert str(path) in message
    for fragment in expected:
        assert fragment in message, message


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('doi = "10.2519/jospt.2010.3337"', 'doi = "https://doi.org/10.2519/jospt.2010.3337"',
         ["citation 'powers2010'", "'doi'"]),
        ("year = 2019\ntitle = \"Risk", "year = \"2019\"\ntitle = \"Risk", ["citation 'neal2019'", "'year'"]),
        ('authors = ["Powers CM"]', "authors = []", ["citation 'powers2010'", "'authors'"]),
        ('key = "souza2009"', 'key = "ireland2003"', ["citation 'ireland2003'", "twice"]),
        ('url = "https://pubmed.ncbi.nlm.nih.gov/?term=Hip+strength', 'url = "http://pubmed.ncbi.nlm.nih.gov/?term=Hip+strength',
         ["citation 'ireland2003'", "https://"]),
        ('url = "https://pubmed.ncbi.nlm.nih.gov/?term=Hip+strength', 'urll = "https://pubmed.ncbi.nlm.nih.gov/?term=Hip+strength',
         ["citation 'ireland2003'", "unknown field", "urll"]),
        ('journal = "British Journal of Sports Medicine"', 'journal = "  "', ["citation 'neal2019'", "'journal'"]),
        ('checked = "All details', 'notes = "All details', ["citation 'neal2019'", "unknown field"]),
    ],
)
def test_citation_validation(tmp_path, old, new, expected):
    path = _copy(tmp_path, CITATIONS_PATH, old, new)
    with pytest.raises(ContentError) as info:
        load_citations(path)
    message = str(info.value)
    assert str(path) in message
    for fragment in expected:
        assert fragment in message, message


def test_a_citation_needs_a_doi_or_a_link(tmp_path):
    text = CITATIONS_PATH.read_text()
    start = text.index('url = "https://pubmed.ncbi.nlm.nih.gov/?term=Hip+strength')
    end = text.index("\n", start)
    path = tmp_path / "citations.toml"
    path.write_text(text[:start] + text[end + 1:])
    with pytest.raises(ContentError, match="citation 'ireland2003': needs a 'doi' or a 'url'"):
        load_citations(path)


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(ContentError, match="file not found"):
        load_citations(tmp_path / "nope.toml")
    bad = tmp_path / "explainer.toml"
    bad.write_text('[[section]]\nid = "x"\nbody = """unclosed')
    with pytest.raises(ContentError, match="not valid TOML"):
        load_explainer(bad)

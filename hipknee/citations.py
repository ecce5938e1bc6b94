"""Citations and the explainer text that cites them, both loaded from TOML in data/ and validated.

``data/citations.toml`` holds the reference list; ``data/explainer.toml`` holds the "Hips & knees" page as
sections of Markdown with ``[@key]`` (or ``[@a; @b]``) citation markers. ``load_explainer`` checks that every
marker names a real citation and that every citation is cited; ``render_body`` turns markers into numbers
([1], [1, 2]) in order of first appearance, matching ``format_reference`` in the reference list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload
from urllib.parse import urlparse

from hipknee.content import ContentError, read_toml
from hipknee.paths import DATA_DIR

CITATIONS_PATH = DATA_DIR / "citations.toml"
EXPLAINER_PATH = DATA_DIR / "explainer.toml"

MARKER_RE = re.compile(r"\[@([^\]\[]*)\]")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
_CITATION_FIELDS = {"key", "authors", "et_al", "year", "title", "journal", "volume", "issue", "pages", "doi",
                    "url", "finding", "checked"}
_SECTION_FIELDS = {"id", "title", "body", "figure"}
FIGURES = ("leg_model",)


@dataclass(frozen=True)
class Citation:
    key: str
    authors: tuple[str, ...]
    et_al: bool
    year: int
    title: str
    journal: str
    volume: str | None
    issue: str | None
    pages: str | None
    doi: str | None
    url: str | None
    finding: str

    @property
    def link(self) -> str:
        """Where to read it: the DOI resolver when there is a DOI, otherwise the stored link."""
        return f"https://doi.org/{self.doi}" if self.doi else self.url  # type: ignore[return-value]

    @property
    def short(self) -> str:
        """"Souza and Powers, 2009" / "Ireland and colleagues, 2003"."""
        surname = self.authors[0].rsplit(" ", 1)[0]
        if len(self.authors) == 1 and not self.et_al:
            return f"{surname}, {self.year}"
        if len(self.authors) == 2 and not self.et_al:
            return f"{surname} and {self.authors[1].rsplit(' ', 1)[0]}, {self.year}"
        return f"{surname} and colleagues, {self.year}"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    body: str
    figure: str | None


@dataclass(frozen=True)
class Explainer:
    sections: tuple[Section, ...]
    citations: dict[str, Citation]
    order: tuple[str, ...]  # citation keys in order of first appearance = their numbers

    def number(self, key: str) -> int:
        return self.order.index(key) + 1

    def references(self) -> list[tuple[int, Citation]]:
        return [(i + 1, self.citations[k]) for i, k in enumerate(self.order)]


@overload
def _text(path: Path, where: str, raw: dict[str, Any], field: str) -> str: ...
@overload
def _text(path: Path, where: str, raw: dict[str, Any], field: str, *, required: Literal[False]) -> str | None: ...


def _text(path: Path, where: str, raw: dict[str, Any], field: str, *, required: bool = True) -> str | None:
    value = raw.get(field)
    if value is None and not required:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and field in ("volume", "issue"):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{path}: {where}: field '{field}' must be non-empty text")
    return " ".join(value.split())


def _parse_citation(path: Path, index: int, raw: Any) -> Citation:
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: citation #{index + 1} must be a table")
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise ContentError(f"{path}: citation #{index + 1}: field 'key' must be a lower-case identifier, got {key!r}")
    where = f"citation '{key}'"
    unknown = sorted(set(raw) - _CITATION_FIELDS)
    if unknown:
        raise ContentError(f"{path}: {where}: unknown field(s): {', '.join(unknown)}")
    authors = raw.get("authors")
    if not isinstance(authors, list) or not authors or not all(isinstance(a, str) and a.strip() for a in authors):
        raise ContentError(f"{path}: {where}: field 'authors' must be a non-empty list of names")
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
        raise ContentError(f"{path}: {where}: field 'year' must be a year like 2019, got {year!r}")
    et_al = raw.get("et_al", False)
    if not isinstance(et_al, bool):
        raise ContentError(f"{path}: {where}: field 'et_al' must be true or false")
    doi = _text(path, where, raw, "doi", required=False)
    if doi is not None and not _DOI_RE.match(doi):
        raise ContentError(f"{path}: {where}: field 'doi' must look like 10.1234/abc (no https://), got {doi!r}")
    url = _text(path, where, raw, "url", required=False)
    if url is not None:
        parsed = urlparse(url)
        if parsed.scheme != "https" or not parsed.netloc:
            raise ContentError(f"{path}: {where}: field 'url' must be an https:// link, got {url!r}")
    if doi is None and url is None:
        raise ContentError(f"{path}: {where}: needs a 'doi' or a 'url' so readers can find it")
    _text(path, where, raw, "checked")  # every entry says how it was verified
    return Citation(
        key=key, authors=tuple(a.strip() for a in authors), et_al=et_al, year=year,
        title=_text(path, where, raw, "title"), journal=_text(path, where, raw, "journal"),
        volume=_text(path, where, raw, "volume", required=False),
        issue=_text(path, where, raw, "issue", required=False),
        pages=_text(path, where, raw, "pages", required=False),
        doi=doi, url=url, finding=_text(path, where, raw, "finding"),
    )


def load_citations(path: Path | None = None) -> dict[str, Citation]:
    """Every citation by key, in file order. Raises ContentError on bad data."""
    path = Path(path) if path is not None else CITATIONS_PATH
    data = read_toml(path)
    unknown = sorted(set(data) - {"citation"})
    if unknown:
        raise ContentError(f"{path}: unknown top-level field(s): {', '.join(unknown)}")
    items = data.get("citation")
    if not isinstance(items, list) or not items:
        raise ContentError(f"{path}: no [[citation]] entries")
    citations: dict[str, Citation] = {}
    for index, raw in enumerate(items):
        c = _parse_citation(path, index, raw)
        if c.key in citations:
            raise ContentError(f"{path}: citation '{c.key}': field 'key' is used twice")
        citations[c.key] = c
    return citations


def cited_keys(text: str) -> list[str]:
    """Every key cited in ``text``, in order, with repeats."""
    keys = []
    for group in MARKER_RE.findall(text):
        for part in group.split(";"):
            keys.append(part.strip().removeprefix("@").strip())
    return keys


def load_explainer(path: Path | None = None, citations_path: Path | None = None) -> Explainer:
    """The explainer sections with their citations; every cited key exists and every citation is cited."""
    path = Path(path) if path is not None else EXPLAINER_PATH
    citations = load_citations(citations_path)
    data = read_toml(path)
    unknown = sorted(set(data) - {"section"})
    if unknown:
        raise ContentError(f"{path}: unknown top-level field(s): {', '.join(unknown)}")
    items = data.get("section")
    if not isinstance(items, list) or not items:
        raise ContentError(f"{path}: no [[section]] entries")
    sections: list[Section] = []
    order: list[str] = []
    for index, raw in enumerate(items):
        sid = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(sid, str) or not _KEY_RE.match(sid):
            raise ContentError(f"{path}: section #{index + 1}: field 'id' must be a lower-case identifier, got {sid!r}")
        where = f"section '{sid}'"
        if any(s.id == sid for s in sections):
            raise ContentError(f"{path}: {where}: field 'id' is used twice")
        unknown = sorted(set(raw) - _SECTION_FIELDS)
        if unknown:
            raise ContentError(f"{path}: {where}: unknown field(s): {', '.join(unknown)}")
        title, body = _text(path, where, raw, "title"), raw.get("body")
        if not isinstance(body, str) or not body.strip():
            raise ContentError(f"{path}: {where}: field 'body' must be non-empty Markdown")
        figure = raw.get("figure")
        if figure is not None and figure not in FIGURES:
            raise ContentError(f"{path}: {where}: field 'figure' must be one of {', '.join(FIGURES)}, got {figure!r}")
        for key in cited_keys(body):
            if key not in citations:
                raise ContentError(f"{path}: {where}: field 'body' cites [@{key}], which is not in "
                                   f"{citations_path or CITATIONS_PATH}")
            if key not in order:
                order.append(key)
        if "[@" in MARKER_RE.sub("", body):
            raise ContentError(f"{path}: {where}: field 'body' has an unclosed citation marker '[@'")
        sections.append(Section(sid, title, body.strip(), figure))
    uncited = [k for k in citations if k not in order]
    if uncited:
        raise ContentError(f"{path}: citation(s) never cited in any section: {', '.join(uncited)}")
    return Explainer(tuple(sections), citations, tuple(order))


def render_body(body: str, explainer: Explainer) -> str:
    """Markdown with [@key] markers replaced by their numbers: "… [2]", "… [4, 5]"."""
    def replace(match: re.Match[str]) -> str:
        keys = cited_keys(match.group(0))
        return "[" + ", ".join(str(explainer.number(k)) for k in keys) + "]"

    return MARKER_RE.sub(replace, body)


def format_reference(c: Citation) -> str:
    """One reference as Markdown: authors (year). Title. *Journal* volume(issue):pages. link."""
    authors = ", ".join(c.authors) + (", et al." if c.et_al else "")
    where = f"*{c.journal}*"
    if c.volume:
        where += f" {c.volume}"
        if c.issue:
            where += f"({c.issue})"
        if c.pages:
            where += f":{c.pages.replace('-', '–')}"
    link = f"[doi:{c.doi}]({c.link})" if c.doi else f"[find it on PubMed]({c.link})"
    return f"{authors} ({c.year}). {c.title}. {where}. {link}"

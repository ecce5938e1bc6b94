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
from typing import Annotated, Literal
from urllib.parse import urlparse

from pydantic import (
    BeforeValidator,
    Field,
    StrictStr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from hipknee.content import Bool, Id, Int, Problem, Schema, Text, load_content
from hipknee.content import ContentError as ContentError  # re-exported: callers catch it from here
from hipknee.paths import DATA_DIR

CITATIONS_PATH = DATA_DIR / "citations.toml"
EXPLAINER_PATH = DATA_DIR / "explainer.toml"

MARKER_RE = re.compile(r"\[@([^\]\[]*)\]")
_DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
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
        """ "Souza and Powers, 2009" / "Ireland and colleagues, 2003"."""
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


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _maybe_one_line(value: str | None) -> str | None:
    return _one_line(value) if value is not None else None


def _number_as_text(value: object) -> object:
    # A volume or issue may be written as a number (39) or as text ("39", "Suppl 1").
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


NumberOrText = Annotated[Text, BeforeValidator(_number_as_text)]


class _CitationSchema(Schema):
    key: Id
    authors: list[Text] = Field(min_length=1)
    et_al: Bool = False
    year: Int = Field(ge=1900, le=2100)
    title: Text
    journal: Text
    volume: NumberOrText | None = None
    issue: NumberOrText | None = None
    pages: Text | None = None
    doi: Text | None = None
    url: Text | None = None
    finding: Text
    checked: Text  # every entry says how it was verified

    @field_validator("doi")
    @classmethod
    def _doi(cls, doi: str | None) -> str | None:
        if doi is not None and not _DOI_RE.match(doi):
            raise Problem(f"must look like 10.1234/abc (no https://), got {doi!r}")
        return doi

    @field_validator("url")
    @classmethod
    def _url(cls, url: str | None) -> str | None:
        if url is not None:
            parsed = urlparse(url)
            if parsed.scheme != "https" or not parsed.netloc:
                raise Problem(f"must be an https:// link, got {url!r}")
        return url

    @model_validator(mode="after")
    def _findable(self) -> _CitationSchema:
        if self.doi is None and self.url is None:
            raise Problem("needs a 'doi' or a 'url' so readers can find it")
        return self


class CitationsFile(Schema):
    """The schema of ``data/citations.toml``."""

    citation: list[_CitationSchema] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> CitationsFile:
        seen: set[str] = set()
        for index, c in enumerate(self.citation):
            if c.key in seen:
                raise Problem("is used twice", at=("citation", index, "key"))
            seen.add(c.key)
        return self


class _SectionSchema(Schema):
    id: Id
    title: Text
    body: Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1)]
    figure: Literal[FIGURES] | None = None  # type: ignore[valid-type]

    @field_validator("body")
    @classmethod
    def _markers(cls, body: str, info: ValidationInfo) -> str:
        context = info.context or {}
        citations = context.get("citations", {})
        for key in cited_keys(body):
            if key not in citations:
                raise Problem(f"cites [@{key}], which is not in {context.get('citations_path', CITATIONS_PATH)}")
        if "[@" in MARKER_RE.sub("", body):
            raise Problem("has an unclosed citation marker '[@'")
        return body


class ExplainerFile(Schema):
    """The schema of ``data/explainer.toml``; validated with ``context={"citations": ...}``."""

    section: list[_SectionSchema] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_and_citations(self, info: ValidationInfo) -> ExplainerFile:
        seen: set[str] = set()
        for index, section in enumerate(self.section):
            if section.id in seen:
                raise Problem("is used twice", at=("section", index, "id"))
            seen.add(section.id)
        cited = {key for section in self.section for key in cited_keys(section.body)}
        uncited = [k for k in (info.context or {}).get("citations", {}) if k not in cited]
        if uncited:
            raise Problem(f"citation(s) never cited in any section: {', '.join(uncited)}")
        return self


def load_citations(path: Path | None = None) -> dict[str, Citation]:
    """Every citation by key, in file order (schema ``CitationsFile``). Raises ContentError on bad data."""
    parsed = load_content(Path(path) if path is not None else CITATIONS_PATH, CitationsFile)
    return {
        c.key: Citation(
            key=c.key,
            authors=tuple(c.authors),
            et_al=c.et_al,
            year=c.year,
            title=_one_line(c.title),
            journal=_one_line(c.journal),
            volume=_maybe_one_line(c.volume),
            issue=_maybe_one_line(c.issue),
            pages=_maybe_one_line(c.pages),
            doi=c.doi,
            url=c.url,
            finding=_one_line(c.finding),
        )
        for c in parsed.citation
    }


def cited_keys(text: str) -> list[str]:
    """Every key cited in ``text``, in order, with repeats."""
    keys = []
    for group in MARKER_RE.findall(text):
        for part in group.split(";"):
            keys.append(part.strip().removeprefix("@").strip())
    return keys


def load_explainer(path: Path | None = None, citations_path: Path | None = None) -> Explainer:
    """The explainer sections with their citations (schema ``ExplainerFile``); every cited key exists and
    every citation is cited."""
    citations = load_citations(citations_path)
    parsed = load_content(
        Path(path) if path is not None else EXPLAINER_PATH,
        ExplainerFile,
        context={"citations": citations, "citations_path": citations_path or CITATIONS_PATH},
    )
    order: list[str] = []
    for section in parsed.section:
        for key in cited_keys(section.body):
            if key not in order:
                order.append(key)
    sections = tuple(Section(s.id, _one_line(s.title), s.body, s.figure) for s in parsed.section)
    return Explainer(sections, citations, tuple(order))


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

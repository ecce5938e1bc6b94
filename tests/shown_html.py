"""What an AppTest page shows through ``st.html`` blocks: their text, their tables, and the Trends summary cards."""

from __future__ import annotations

from html.parser import HTMLParser


class _Cards(HTMLParser):
    """Collects the text of every element by class, in order: ``hk-stat-label`` / ``hk-stat-value`` pairs."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []  # (tag, class) of the open elements
        self.found: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append((tag, dict(attrs).get("class") or ""))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if any(tag in ("style", "script") for tag, _ in self.stack):
            return
        if self.stack and self.stack[-1][1] in ("hk-stat-label", "hk-stat-value"):
            self.found.append((self.stack[-1][1], data))
        if data.strip():
            self.text.append(data.strip())


def _parsed(at) -> list[_Cards]:
    out = []
    for block in at.get("html"):
        parser = _Cards()
        parser.feed(block.value)
        out.append(parser)
    return out


def html_text(at) -> str:
    """The visible text of every st.html block on the page (styles and scripts left out)."""
    return "\n".join(" ".join(p.text) for p in _parsed(at) if p.text)


def summary_cards(at) -> dict[str, str]:
    """Label -> value of each Trends summary card (hipknee.summary_cards)."""
    cards: dict[str, str] = {}
    for parser in _parsed(at):
        labels = [text for cls, text in parser.found if cls == "hk-stat-label"]
        values = [text for cls, text in parser.found if cls == "hk-stat-value"]
        assert len(labels) == len(values), "every card has a label and a value"
        cards.update(zip(labels, values, strict=True))
    return cards


class _Tables(HTMLParser):
    """Each ``<table>`` as rows of cell texts (header row first), with the tags met inside tables."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.tags: set[str] = set()
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif self.tables:
            self.tags.add(tag)
            if tag == "tr":
                self.tables[-1].append([])
            elif tag in ("th", "td"):
                self.cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def parse_tables(source: str) -> tuple[list[list[list[str]]], set[str]]:
    """(tables, the tags found inside them) of one HTML text: each table is rows of cell texts, header first."""
    parser = _Tables()
    parser.feed(source)
    parser.close()
    return parser.tables, parser.tags


def html_tables(at) -> list[list[list[str]]]:
    """Every table shown through st.html on an AppTest page, in order: rows of cell texts, header first."""
    return [table for block in at.get("html") for table in parse_tables(block.value)[0]]

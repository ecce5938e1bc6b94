"""Text that would become markup if a page showed it unescaped (issue 11): one list for the unit tests of
hipknee.plaintext and for the browser tests that feed it through every input that echoes text."""

from __future__ import annotations

OUTSIDE = "example.org"  # every outside address below is on this host: the browser tests watch for it

PAYLOADS: tuple[str, ...] = (
    "[Your physio asks you to log in again](https://example.org/login)",
    "![x](http://example.org/p.png)",
    "<img src=http://example.org/i.png>",
    "<a href='https://example.org/a'>click</a>",
    "<script>alert(1)</script>",
    ":red[red text] :blue-background[blue] :green-badge[badge] :help[tip] :small[s] :shimmer[x]",
    ":color[c]{foreground=red}",
    ":material/home: and :material/warning:",
    ":red[**nested :material/home:**]",
    ":smile: :+1: :streamlit: :)",
    "$x^2$ and $$y$$ and \\(z\\)",
    "https://example.org/path www.example.org dana@example.org HTTPS://EXAMPLE.ORG",
    "<https://example.org/auto>",
    "[x](javascript:alert(1))",
    "[ref]\n\n[ref]: https://example.org/r",
    "footnote[^1]\n\n[^1]: https://example.org/f",
    "**bold** __b__ *i* _i_ ~~strike~~ ~single~",
    "# heading",
    "> quote",
    "- item",
    "1. item",
    "- [ ] task",
    "`code` ``x``",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "line one\n\nline two\n---",
    "=== \n***\n___",
    "    indented code",
    "trailing two spaces  \nnext",
    "back\\slash \\*x\\* \\",
    "a -> b <- c <-> d -- e >= f <= g ~= h",
    "&amp; &lt;b&gt; &#x3C;img&#x3E; &copy;",
    "pain 5-6 (ok)",
)

# Text that the helpers show differently on purpose (control characters become visible escapes).
CONTROL_PAYLOADS: tuple[str, ...] = ("evil\u202etxt.exe \x1b[31mred", "nul\x00byte")

"""A "Copy link" button: puts a link on the clipboard in the browser (no Python round trip)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

_HERE = Path(__file__).parent

_render = st.components.v2.component(
    "hipknee_copy_link",
    html=(_HERE / "copy_link.html").read_text(encoding="utf-8"),
    css=(_HERE / "copy_link.css").read_text(encoding="utf-8"),
    js=(_HERE / "copy_link.js").read_text(encoding="utf-8"),
)


def copy_link_button(url: str, *, label: str = "Copy link", key: str = "copy_link") -> None:
    _render(data={"url": url, "label": label}, key=key, height="content")

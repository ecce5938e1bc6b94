"""A second baseline for the page-load benchmark: the same hello-world chart page (bench/hello_app.py) as the
second page of a two-page app, loaded directly at its URL path (``/chart``).

Why: loading any page of a Streamlit multipage app at its own URL path first asks ``/<page>/_stcore/health``
(the frontend cannot tell a page name from a base URL path), gets 404, waits and asks again at the root
(streamlit/streamlit#7074). hipknee's pages other than Home pay that on a first load; the single-page hello
world at ``/`` does not. Comparing against this baseline shows what hipknee's own content costs.
"""

import streamlit as st


def _home() -> None:
    st.title("Home")


PAGES = [st.Page(_home, title="Home", default=True), st.Page("hello_app.py", title="Chart", url_path="chart")]
st.navigation(PAGES).run()

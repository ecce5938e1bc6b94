"""The baseline for the browser benchmarks: a hello-world Streamlit page with one plotly chart.

It runs from the project folder, so it has the same .streamlit/config.toml as hipknee. The range control
switches the one chart between the same spans as the Trends page (ten years of made-up daily values,
weekly means beyond 400 days, as Trends draws them), for the range-switch baseline.
"""

import datetime as dt
import random

import plotly.graph_objects as go
import streamlit as st

RANGES = {"4w": ("4 weeks", 28), "3m": ("3 months", 91), "1y": ("1 year", 365), "all": ("All", 3650)}

st.set_page_config(page_title="hello", layout="wide")
st.title("Hello, world")
rng = random.Random(1)
today = dt.date.today()
days = [today - dt.timedelta(days=n) for n in range(3649, -1, -1)]
values = [rng.randint(0, 10) for _ in days]
key = st.segmented_control("Show", list(RANGES), format_func=lambda k: RANGES[k][0], default="3m",
                           required=True, key="hello_range") or "3m"
n = RANGES[key][1]
x, y = days[-n:], values[-n:]
if n > 400:  # weekly means, as Trends draws long ranges
    x = x[::7]
    y = [sum(values[-n:][i:i + 7]) / len(values[-n:][i:i + 7]) for i in range(0, n, 7)]
st.plotly_chart(go.Figure(go.Scatter(x=x, y=y, mode="lines+markers")), key="hello_chart")

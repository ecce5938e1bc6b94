"""Streamlit glue shared by the pages: which store to use, banners, error pages.

Rules and numbers do not live here; they live in the pure ``hipknee`` package.
"""

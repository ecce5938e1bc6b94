"""hipknee: pure logic for the knee-pain self-assessment dashboard (no Streamlit imports here)."""

__version__ = "0.1.0"

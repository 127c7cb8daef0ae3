"""China–Russia Ties Dashboard: preprocessing package (pure functions, no streamlit)."""

PIPELINE_VERSION = "0.1.0"

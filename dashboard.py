"""Streamlit entry point: `streamlit run dashboard.py` (the data folder is $DASHBOARD_DATA)."""

from __future__ import annotations

import streamlit as st

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/article.py", title="Article", icon=":material/article:", url_path="article"),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/quotes.py", title="Quotes", icon=":material/format_quote:", url_path="quotes"),
]


def main() -> None:
    st.set_page_config(page_title="China–Russia Ties Dashboard", page_icon="🌏", layout="wide")
    navigation = st.navigation(PAGES)
    navigation.run()


main()

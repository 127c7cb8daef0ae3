"""Streamlit entry point: `streamlit run dashboard.py` (the data folder is $DASHBOARD_DATA)."""

from __future__ import annotations

import streamlit as st

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/article.py", title="Article", icon=":material/article:", url_path="article"),
]


def main() -> None:
    st.set_page_config(page_title="China–Russia Ties Dashboard", page_icon="🌏", layout="wide")
    navigation = st.navigation(PAGES)
    navigation.run()


main()

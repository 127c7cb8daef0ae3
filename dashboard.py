"""Streamlit entry point: `streamlit run dashboard.py` (the data folder is $DASHBOARD_DATA)."""

from __future__ import annotations

import streamlit as st

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),  # served at /
    st.Page("pages/article.py", title="Article", icon=":material/article:", url_path="article"),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/charts.py", title="Figures & charts", icon=":material/bar_chart:", url_path="charts"),
    st.Page("pages/quotes.py", title="Quotes", icon=":material/format_quote:", url_path="quotes"),
    st.Page("pages/compare.py", title="Compare sources", icon=":material/compare:", url_path="compare"),
    st.Page("pages/outlet.py", title="Outlet", icon=":material/newspaper:", url_path="outlet"),
    st.Page("pages/add.py", title="Add articles", icon=":material/add:", url_path="add"),
]


def main() -> None:
    st.set_page_config(page_title="China–Russia Ties Dashboard", page_icon="🌏", layout="wide")
    navigation = st.navigation(PAGES)
    navigation.run()


main()

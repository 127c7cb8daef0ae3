"""Streamlit entry point: `streamlit run dashboard.py` (the data folder is $DASHBOARD_DATA)."""

from __future__ import annotations

import streamlit as st

from app.searchbox import sidebar_search

SEARCH = st.Page("pages/search.py", title="Search", icon=":material/search:", url_path="search")
PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),  # served at /
    st.Page("pages/article.py", title="Article", icon=":material/article:", url_path="article"),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/charts.py", title="Figures & charts", icon=":material/bar_chart:", url_path="charts"),
    st.Page("pages/quotes.py", title="Quotes", icon=":material/format_quote:", url_path="quotes"),
    st.Page("pages/actor.py", title="Actor", icon=":material/person:", url_path="actor"),
    st.Page("pages/compare.py", title="Compare sources", icon=":material/compare:", url_path="compare"),
    st.Page("pages/outlet.py", title="Outlet", icon=":material/newspaper:", url_path="outlet"),
    SEARCH,
    st.Page("pages/add.py", title="Add articles", icon=":material/add:", url_path="add"),
]


def main() -> None:
    st.set_page_config(page_title="China–Russia Ties Dashboard", page_icon="🌏", layout="wide")
    navigation = st.navigation(PAGES)
    sidebar_search(SEARCH, navigation)
    navigation.run()


main()

"""The search box in every page's sidebar: it sends the reader to the Search page (`/search?q=…`)."""

from __future__ import annotations

import streamlit as st

from app import links

FORM_KEY = "search_everywhere"
KEY_WORDS = "search_everywhere_words"  # not "q": the Quotes and Search pages bind that one to the URL


def sidebar_search(search_page: st.Page, current: st.Page) -> None:
    """A compact search form in the sidebar of every page but the Search page itself; submitting
    it opens the Search page on the words typed (checked there like any link)."""
    if current.url_path == search_page.url_path:
        return
    with st.sidebar.form(FORM_KEY, clear_on_submit=True, border=False):
        typed = st.text_input("Search everywhere", key=KEY_WORDS, max_chars=links.MAX_TEXT,
                              placeholder="Articles, quotes, events…", label_visibility="collapsed")
        submitted = st.form_submit_button("Search", icon=":material/search:")
    if submitted and (typed or "").strip():
        st.switch_page(search_page, query_params={"q": typed.strip()})

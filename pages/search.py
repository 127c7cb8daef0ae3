"""Search: one box for articles, quotes and events, ranked, each hit linked to its sentence.

The query, the open tab (Articles, Quotes, Events) and the page are bound to the URL
(`/search?q=…&in=…&page=…`); only the open tab is queried.
Word forms match ("unprecedented" finds "unprecedentedly"), every word must occur, and words in
double quotes must occur together (`lib.views.search`). Copies of one story are one hit, "carried
by N outlets". The query and every hit are untrusted: shown escaped (`app.markup`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import links, markup, store, ui
from lib.views import quote_search, search, source_comparison
from lib.views.labels import UNKNOWN_OUTLET

KEY_QUERY = "q"  # widget keys, which are also the URL parameter names
KEY_KIND = "in"
KEY_PAGE = "page"
BOUND = "query-params"
PER_PAGE = 20
LABELS = {"articles": "Articles", "quotes": "Quotes", "events": "Events"}
TERM = "a name or term in quote marks"  # heads a quote of kind "term", said by nobody


def first_page() -> None:
    """A new query or kind starts the list again at its first page."""
    st.session_state[KEY_PAGE] = 1


def articles_of(hits: pd.DataFrame) -> pd.DataFrame:
    """Title, source and date of the hits' articles, indexed by article_id."""
    ids = sorted(set(hits["article_id"])) if len(hits) else []
    return store.query(search.ARTICLE_INFO_SQL, ids).set_index("article_id")


def where_and_when(info: pd.Series | None) -> list[str]:
    """The article's source and publication date (the date once: an unknown outlet's label has it)."""
    if info is None:
        return []
    source = str(info["source"])
    return [source] if source.startswith(UNKNOWN_OUTLET) else [source, str(info["published_label"])]


def article_cards(hits: pd.DataFrame, words: str) -> list[tuple]:
    """Each story hit: its title (linked to the sentence), source, date, copies, best sentence."""
    info = articles_of(hits)
    stories = sorted(set(hits["story"]))
    outlets = dict(store.query(search.STORY_OUTLETS_SQL, stories).itertuples(index=False)) if stories else {}
    cards = []
    for hit in hits.itertuples():
        row = info.loc[hit.article_id] if hit.article_id in info.index else None
        title = row["title"] if row is not None and isinstance(row["title"], str) and row["title"] else hit.article_id
        details = [*where_and_when(row), source_comparison.carried_note(outlets.get(hit.story, 1))]
        cards.append((search.hit_segments(title, words), ui.article_url(hit.article_id, hit.at),
                                           details, hit.excerpt))
    return cards


def quote_cards(hits: pd.DataFrame, words: str) -> list[tuple]:
    """Each quote hit: its speaker (linked to the quote in its article), kind, source, date, text."""
    info = articles_of(hits)
    cards = []
    for hit in hits.itertuples():
        row = info.loc[hit.article_id] if hit.article_id in info.index else None
        speaker = (hit.speaker if isinstance(hit.speaker, str)
                   else TERM if hit.kind == "term" else quote_search.UNKNOWN)
        details = [str(hit.kind or ""), *where_and_when(row)]
        body = [("“", False), *search.hit_segments(hit.text, words), ("”", False)]
        cards.append((search.hit_segments(speaker, words), ui.article_url(hit.article_id, hit.start),
                                           details, body))
    return cards


def event_cards(hits: pd.DataFrame, words: str) -> list[tuple]:
    """Each event hit: its date (linked to its sentence), actors, source, summary."""
    info = articles_of(hits)
    cards = []
    for hit in hits.itertuples():
        row = info.loc[hit.article_id] if hit.article_id in info.index else None
        heading = str(hit.date) if isinstance(hit.date, str) else "undated"
        details = [hit.actors or "", *where_and_when(row)]
        cards.append(([(heading, False)], ui.article_url(hit.article_id, hit.start), details,
                                           search.hit_segments(hit.summary, words)))
    return cards


CARDS = {"articles": article_cards, "quotes": quote_cards, "events": event_cards}


def show(kind: str, words: str, total: int) -> None:
    """One page of the `total` hits of `kind` for the query `words`, with its pagination."""
    if not total:
        st.info(f"No {kind} match “{links.escape_markdown(words)}”."
                + (" Try fewer words." if len(search.query_phrases(words)) > 1 else ""))
        return
    pages = quote_search.page_count(total, PER_PAGE)
    page = st.pagination(pages, key=KEY_PAGE, bind=BOUND) if pages > 1 else 1
    start = quote_search.offset(page, total, PER_PAGE)
    if pages > 1:
        st.caption(f"{start + 1}–{min(start + PER_PAGE, total)} of {total}.")
    if kind == "articles":
        st.caption("Copies of one story carried by several outlets are one hit.")
    _, hits = store.search(kind, words, PER_PAGE, start)
    st.html("".join(markup.search_hit(*card) for card in CARDS[kind](hits, words)))


st.title("Search")
links.share("search", [
    links.text(KEY_QUERY),
    links.choice(KEY_KIND, LABELS.values()),
    links.number(KEY_PAGE, 1),
])
words = st.text_input(
    "Search articles, quotes and events",
    key=KEY_QUERY,
    bind=BOUND,
    on_change=first_page,
    max_chars=links.MAX_TEXT,
    placeholder="e.g. unprecedented  or  sanctions gas  or  \"no limits\"",
    help='Finds word forms too ("sanction" finds "sanctions"). Every word must occur; words in double '
    'quotes must occur together. Best matches first.',
) or ""
if not words.strip():
    st.info("Type one or more words to search every article, quote and event.")
    st.stop()
if not search.query_phrases(words):
    st.info("The search holds no word to look for (only punctuation or symbols).")
    st.stop()
if store.search_index() is None:
    st.warning(f"The tables in {store.data_dir()} have no search index: run the preprocessing again "
               "(`python -m lib.preprocess`) to build it.")
    st.stop()

counts = {kind: store.search(kind, words, 0)[0] for kind in search.KINDS}
NOUNS = {"articles": ("story", "stories"), "quotes": ("quote", "quotes"), "events": ("event", "events")}
found = " · ".join(f"{counts[kind]} {NOUNS[kind][counts[kind] != 1]}" for kind in search.KINDS)
st.caption(f"{found} match; best match first.")


tabs = st.tabs([LABELS[kind] for kind in search.KINDS], key=KEY_KIND, bind=BOUND, on_change=first_page)
for kind, tab in zip(search.KINDS, tabs):
    if tab.open:
        with tab:
            show(kind, words, counts[kind])

"""Article: one article's text with its actor mentions highlighted, and its extracted rows."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import exports, links, markup, sentences, store, ui
from lib.views import search

KEY_AT = "at"  # URL parameter: character offset of the sentence to show
KEY_VIEW = "view"  # URL parameter: the open tab
KEY_SHOWN = "shown"  # the text a Compare cell displays; carried by its link, not part of the view
KEY_FIND = "find"  # the picker's title filter in a large corpus: a way to the view, not part of it
TABS = ["Actors", "Dates", "Figures", "Quotes", "Events"]
ROWS_SQL = {name: f"SELECT * FROM {name} WHERE article_id = ? ORDER BY start"
            for name in ("actors", "dates", "figures", "quotes", "events")}
TITLE_SQL = "SELECT article_id, title FROM articles WHERE article_id = ?"
ALL_SQL = "SELECT article_id, title FROM articles ORDER BY article_id"

first = store.value("SELECT min(article_id) FROM articles")
if first is None:
    st.warning(f"No articles in {store.data_dir()}.")
    st.stop()
articles = int(store.value("SELECT count(*) FROM articles"))


def known(article_id: str) -> bool:
    """Whether the corpus holds an article of that id (a URL may name any)."""
    return store.value("SELECT count(*) FROM articles WHERE article_id = ?", article_id) > 0


def offset_in(article_id: str):
    """Accepts an `at` offset that falls inside the article the URL names (else the first)."""
    length = store.value("SELECT coalesce(length(text), 0) FROM articles WHERE article_id = ?", article_id) or 0
    return lambda value: value.isdigit() and int(value) < length


def article_chosen() -> None:
    """The selectbox changed: the URL follows it, and the offset of the old article goes."""
    links.set_param(ui.KEY_ARTICLE, st.session_state[ui.KEY_ARTICLE], default=first)
    links.set_param(KEY_AT, None)


def choices(current: str) -> tuple[list[str], dict[str, str]]:
    """The picker's article ids and their titles: every article of a corpus of up to
    `search.PICKER_LISTS_ALL`, else the first `search.PICKER_MATCHES` (by id) whose title or id
    holds every word typed in the finder, and always the `current` one."""
    if articles <= search.PICKER_LISTS_ALL:
        found = store.query(ALL_SQL)
    else:
        words = st.text_input("Find an article", key=KEY_FIND, placeholder="words of its title, or its id",
                              help=f"{articles:,} articles: the list shows the first {search.PICKER_MATCHES} "
                                   "whose title holds every word typed.")
        found = store.query(*search.title_matches(words, search.PICKER_MATCHES))
        found = pd.concat([store.query(TITLE_SQL, current), found]).drop_duplicates("article_id")
    return found["article_id"].tolist(), dict(zip(found["article_id"], found["title"]))


# `article` is synced by hand: a bound selectbox would put its long title label in the URL.
linked = st.query_params.get(ui.KEY_ARTICLE)
if linked == first:
    links.set_param(ui.KEY_ARTICLE, None)  # the default stays out of the link
links.share("article", [
    links.Param(ui.KEY_ARTICLE, known),
    links.Param(KEY_AT, offset_in(linked if linked and known(linked) else first)),
    links.choice(KEY_VIEW, TABS),
], ignore=[KEY_SHOWN, KEY_FIND])
wanted = st.query_params.get(ui.KEY_ARTICLE) or first
if st.session_state.get(ui.KEY_ARTICLE) != wanted:  # the URL wins: opened or navigated to
    st.session_state[ui.KEY_ARTICLE] = wanted

ids, titles = choices(wanted)
chosen = st.selectbox(
    "Article", ids, format_func=lambda a: f"{titles[a]}  ·  {a}", key=ui.KEY_ARTICLE, on_change=article_chosen
)
row = store.query("SELECT * FROM articles JOIN sources USING (article_id) JOIN published_labels USING (article_id) "
                  "WHERE article_id = ?", chosen).iloc[0]
st.title(ui.literal(row["title"]))
meta = [f"**Source:** {ui.literal(row['source'])}"]
meta.append(f"**Published:** {ui.literal(row['published_label'])}")
meta.append(f"**Words:** {row['words']}")
st.markdown("  ·  ".join(meta))
if isinstance(row.get("url"), str) and row["url"].startswith(("http://", "https://")):
    st.link_button("Original article", row["url"])


def rows_of(name: str):
    """The rows of table `name` (one of the per-article tables) that belong to the chosen article."""
    return store.query(ROWS_SQL[name], chosen)


focus = None
at = st.query_params.get(KEY_AT)
if at is not None and at.isdigit():
    offset = int(at)
    containing = [
        (int(r.sent_start), int(r.sent_end))
        for frame in (rows_of("actors"), rows_of("dates"), rows_of("figures"), rows_of("quotes"))
        for r in frame.itertuples()
        if "sent_start" in frame and r.sent_start <= offset < r.sent_end
    ]
    # no extracted row in that sentence (a search hit, say): the sentence as search splits the text
    focus = containing[0] if containing else (
        search.sentence_at(row["text"], offset) or (offset, min(offset + 200, len(row["text"]))))

text_col, rows_col = st.columns([3, 2])
with text_col:
    st.html(markup.highlight(row["text"], rows_of("actors"), focus))
    if focus is not None:
        st.html(markup.SCROLL_TO_FOCUS, unsafe_allow_javascript=True)  # a fixed script: lands on the sentence
with rows_col:
    tabs = st.tabs(TABS, key=KEY_VIEW, bind="query-params")
    with tabs[0]:
        mentions = rows_of("actors")
        summary = (
            mentions.groupby(["actor", "actor_type"], as_index=False)
            .agg(mentions=("surface", "size"), surfaces=("surface", lambda s: ", ".join(sorted(set(s)))))
            .sort_values("mentions", ascending=False)
        )
        st.dataframe(summary, hide_index=True, width="stretch")
        exports.download(f"{chosen}_actors", summary)
    columns = {
        "dates": ["surface", "value", "precision", "anchor", "start"],
        "figures": ["surface", "value", "unit", "metric", "period", "kind", "trend", "start"],
        "quotes": ["text", "speaker", "kind", "start"],
        "events": ["date", "summary", "actors", "start"],
    }
    for tab, (name, shown) in zip(tabs[1:], columns.items()):
        with tab:
            frame = rows_of(name).assign(source=row["source"], date=row["published_label"])
            sentence = ("sent_start", "sent_end") if {"sent_start", "sent_end"} <= set(frame) else ("start", "end")
            mark = None if name == "events" or sentence == ("start", "end") else ("start", "end")
            sentences.table(frame, [c for c in shown if c in frame], f"article_{name}", mark=mark,
                            sentence=sentence, quote=name == "quotes")
            exports.download(f"{chosen}_{name}", frame.drop(columns=["source", "date"]))

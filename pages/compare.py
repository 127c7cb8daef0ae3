"""Compare sources: the same facts, quotes, actors and events across outlets, side by side.

The chosen sources are bound to the URL (`?src=…&src=…`; none given means all). Every cell of
the matrices links to the sentence in its article. Article text is untrusted: wordings are
shown in data frames or as HTML built with `html.escape` on every piece.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

import links
import store
import ui
from lib import compare

KEY_SOURCES = "src"  # widget key and URL parameter name
KEY_VIEW = "view"  # the open tab, also bound to the URL
TABS = ["Facts", "Quotes", "Actors and events", "Only one source"]
SHOWN = "shown"  # URL parameter carrying a cell's text, displayed by the link columns
SHOWN_PATTERN = SHOWN + r"=([^&]*)"
CHANGED = "#fde68a"
CONFLICT = "#fecaca"


def cell(article_id: str, start: int, shown: str) -> str:
    """Link to the sentence, carrying the text the cell displays (the Article page ignores it)."""
    return ui.article_url(article_id, start) + "&" + urlencode({SHOWN: shown})


def link_columns(sources: list[str]) -> dict:
    return {s: st.column_config.LinkColumn(s, display_text=SHOWN_PATTERN) for s in sources}


@st.cache_data(show_spinner=False, max_entries=4)
def coverage_items(folder: str, version: str) -> pd.DataFrame:
    """Every (item, article) of the current data; `folder` and `version` key the cache."""
    return compare.coverage_items(store.tables())


st.title("Compare sources")
articles = store.table("articles")
if articles.empty:
    st.warning(f"No articles in {store.data_dir()}.")
    st.stop()

all_sources = sorted(compare.source_of(articles).unique())
links.share("compare", [links.choice(KEY_SOURCES, all_sources, many=True), links.choice(KEY_VIEW, TABS)])
chosen = st.multiselect(
    "Sources", all_sources, default=all_sources, key=KEY_SOURCES, bind="query-params",
    help="An outlet, or the article itself when its outlet is unknown.",
)
if len(chosen) < 2:
    st.info("Choose at least two sources to compare them.")
    st.stop()
chosen = [s for s in all_sources if s in chosen]

items = coverage_items(str(store.data_dir()), store.data_version())
facts = store.table("fact_groups").set_index("fact_id")
quote_groups = store.table("quote_groups")
spread = compare.coverage(items, chosen)
shared = spread[spread["n_sources"] >= 2]

c1, c2, c3, c4 = st.columns(4)
c1.metric("Facts in several sources", int((shared["kind"] == "fact").sum()))
conflicting = spread[(spread["kind"] == "fact") & spread["item"].map(facts["conflict"]).fillna(False).astype(bool)]
c2.metric("Facts in conflict", len(conflicting))
c3.metric("Statements quoted by several", int((shared["kind"] == "quote").sum()))
c4.metric("Events reported by several", int((shared["kind"] == "event").sum()))

facts_tab, quotes_tab, actors_tab, only_tab = st.tabs(TABS, key=KEY_VIEW, bind="query-params")

with facts_tab:
    st.caption("Each figure as each source states it; a shared row is the same fact. Red rows disagree with "
               "another fact: same metric and period with another value, or the same value for another period.")
    matrix = compare.cell_matrix(items, "fact", chosen, cell)
    if matrix.empty:
        st.info("None of these sources gives an economic figure.")
    else:
        matrix.insert(2, "conflict", matrix["item"].map(facts["conflict"]).fillna(False).astype(bool))
        labels = facts["label"]
        matrix.insert(3, "disagrees with", matrix["item"].map(
            lambda f: "; ".join(labels.get(o, o) for o in facts.at[f, "conflicts_with"]) if f in facts.index else ""
        ))
        shown = matrix.drop(columns="item")
        styled = shown.style.apply(
            lambda row: [f"background-color: {CONFLICT}" if row["conflict"] else "" for _ in row], axis=1
        )
        st.dataframe(
            styled, hide_index=True, width="stretch",
            column_config={"label": st.column_config.TextColumn("fact", width="medium"), **link_columns(chosen)},
        )

with quotes_tab:
    st.caption("Statements quoted by several sources, each wording side by side; highlighted words differ.")
    member_source = dict(zip(articles["article_id"], compare.source_of(articles)))
    several = quote_groups[quote_groups["article_ids"].map(
        lambda ids: len({member_source.get(a) for a in ids} & set(chosen)) >= 2
    )]
    if several.empty:
        st.info("No statement is quoted by two of these sources.")
    for group in several.itertuples():
        members = [
            (m.rsplit(":", 1)[0], int(m.rsplit(":", 1)[1]), w) for m, w in zip(group.members, group.wordings)
            if member_source.get(m.rsplit(":", 1)[0]) in chosen
        ]
        similarity = "" if pd.isna(group.similarity) else f" · similarity {group.similarity:.2f}"
        with st.container(border=True):
            speaker = ui.literal(group.speaker) if group.speaker else "Unknown speaker"
            st.markdown(f"**{speaker}** · {ui.literal(group.date or 'date unknown')}{similarity}")
            marked = compare.group_diff([w for _, _, w in members])
            for column, (article_id, start, _), words in zip(st.columns(len(members)), members, marked):
                with column:
                    st.caption(ui.literal(member_source[article_id]))
                    st.html(compare.marked_html(words, CHANGED))
                    st.markdown(f"[Open the sentence]({ui.article_url(article_id, start)})")
    with st.expander("Every quotation by source"):
        quotes_matrix = compare.cell_matrix(items, "quote", chosen, cell)
        st.dataframe(
            quotes_matrix.drop(columns="item"), hide_index=True, width="stretch",
            column_config={"label": st.column_config.TextColumn("statement", width="large"), **link_columns(chosen)},
        )

with actors_tab:
    st.caption("Mentions of each actor per source; an empty cell is an actor that source omits.")
    actors_matrix = compare.cell_matrix(items, "actor", chosen, cell, value="count")
    st.dataframe(
        actors_matrix.drop(columns="item"), hide_index=True, width="stretch",
        column_config={"label": st.column_config.TextColumn("actor"), **link_columns(chosen)},
    )
    st.subheader("Events reported by several sources")
    events_matrix = compare.cell_matrix(items, "event", chosen, cell, min_sources=2)
    if events_matrix.empty:
        st.info("No event is reported by two of these sources.")
    else:
        st.dataframe(
            events_matrix.drop(columns="item"), hide_index=True, width="stretch",
            column_config={"label": st.column_config.TextColumn("event", width="large"), **link_columns(chosen)},
        )

with only_tab:
    st.caption("What each source carries and omits, and the items only one source reports.")
    st.dataframe(compare.source_summary(items, chosen), hide_index=True, width="stretch")
    alone = compare.only_in_one_source(items, chosen)
    listing = pd.DataFrame({
        "source": alone["source"],
        "kind": alone["kind"],
        "what": alone["label"],
        "open": [ui.article_url(a, s) for a, s in zip(alone["article_id"], alone["start"])],
    })
    st.dataframe(
        listing, hide_index=True, width="stretch",
        column_config={
            "what": st.column_config.TextColumn("what", width="large"),
            "open": st.column_config.LinkColumn("sentence", display_text="open"),
        },
    )

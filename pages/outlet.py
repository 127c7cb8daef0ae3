"""Outlet: one outlet's profile, its articles, what it covers most, and the facts it states that
others contradict or that only its story carries. `/outlet?name=TASS`; a picker when none is named."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import exports, links, sentences, store, ui
from lib.views import labels, outlet_profile

KEY_NAME = "name"  # widget key and URL parameter: the outlet
TOP = 15  # actors and measures listed

st.title("Outlet")
known = outlet_profile.outlets(store.query)
if known.empty:
    st.warning(f"No article in {store.data_dir()} names its outlet.")
    st.stop()
names = known["outlet"].tolist()
links.share("outlet", [links.choice(KEY_NAME, names)])
# no format_func: a bound selectbox puts the option as shown into the URL
name = st.selectbox("Outlet", names, index=None, key=KEY_NAME, bind="query-params",
                    placeholder="Choose an outlet (most articles first)")
if name is None:
    st.info("Choose an outlet to see its articles, what it covers most and where it disagrees with others.")
    st.stop()


def described(value: object) -> str:
    """A profile field as shown: its value, or "unknown"."""
    return "unknown" if value is None or pd.isna(value) or not str(value) else str(value)


who = outlet_profile.profile(store.query, name)
st.header(ui.literal(name))
if who["country"] is None or pd.isna(who["country"]):
    st.caption("This outlet is not in the outlets data file: its country, ownership and kind are unknown.")
else:
    st.markdown(" · ".join(f"**{label}:** {ui.literal(described(who[field]))}" for label, field in
                           (("Country", "country"), ("Ownership", "ownership"), ("Kind", "kind"), ("Group", "group"))))
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Articles", int(who["articles"]))
c2.metric("Stories", int(who["stories"]), help="A story it carried in several copies counts once.")
c3.metric("Copies of earlier stories", int(who["copies"]), help="Articles that repeat a story published before.")
c4.metric("First published", described(who["first"]))
c5.metric("Last published", described(who["last"]))

st.subheader("Articles")
rows = outlet_profile.articles(store.query, name)
listing = pd.DataFrame({
    "article_id": rows["article_id"],
    "title": rows["title"],
    "date": [labels.published_label(p, i) for p, i in zip(rows["published"], rows["published_inferred"])],
    "copy": [outlet_profile.copy_note(*r) for r in zip(rows["copy_of"], rows["copy_title"], rows["copy_source"])],
    "original": [u if isinstance(u, str) and u.startswith(("http://", "https://")) else None for u in rows["url"]],
})
sentences.article_table(listing, ["title", "date", "copy", "original"], "outlet_articles", column_config={
    "title": st.column_config.TextColumn("title", width="large"),
    "original": st.column_config.LinkColumn("original", display_text="original"),  # the outlet's own page
})
exports.download("outlet_articles", listing)

st.subheader("What it covers most")
actors_col, metrics_col = st.columns(2)
with actors_col:
    st.caption("Actors, by the number of its articles that mention them.")
    covered = outlet_profile.top_actors(store.query, name, TOP)
    st.dataframe(covered, hide_index=True, width="stretch", placeholder="")
    exports.download("outlet_actors", covered)
with metrics_col:
    st.caption("Economic measures, by the number of its articles that give a figure for them.")
    measures = outlet_profile.top_metrics(store.query, name, TOP)
    if measures.empty:
        st.info("It gives no economic figure.")
    else:
        st.dataframe(measures, hide_index=True, width="stretch", placeholder="")
        exports.download("outlet_measures", measures)


def facts_table(facts: pd.DataFrame, key: str) -> None:
    """Facts, each selected one read in context where this outlet states it, and their CSV."""
    shown = [c for c in facts.columns if c not in ("article_id", "start")]
    sentences.table(sentences.around(facts), shown, key, sentence=("_at", "_after"),
                    column_config={"fact": st.column_config.TextColumn("fact", width="medium")})
    exports.download(key, facts)


st.subheader("Facts others contradict")
contested = outlet_profile.contested_facts(store.query, name)
if contested.empty:
    st.info("No other outlet gives another value for a figure it states.")
else:
    st.caption("What it says, and the other value that other outlets give for the same measure and period.")
    facts_table(contested, "outlet_contested")

st.subheader("Facts only its story carries")
alone = outlet_profile.alone_facts(store.query, name)
if alone.empty:
    st.info("Every figure it gives is also in another story.")
else:
    st.caption("Figures no other story states (copies of its own story, carried by other outlets, are named).")
    facts_table(alone, "outlet_alone")

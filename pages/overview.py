"""Overview: corpus size, date span, top actors per source, and the table of articles."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

import links
import store
import ui

TOP_RANGE = (5, 40)  # the "Actors shown" slider, bound to the URL as `top`

st.title("China–Russia Ties Dashboard")
articles = store.table("articles")
actors = store.table("actors")

if articles.empty:
    st.warning(
        f"No articles in {store.data_dir()}. Preprocess a folder first: "
        "`python -m lib.preprocess SRC --out DIR`, then serve with `DASHBOARD_DATA=DIR`."
    )
    st.stop()
links.share("overview", [links.number(ui.KEY_TOP_ACTORS, *TOP_RANGE)])

sources = ui.source_of(articles)
published = articles["published"].dropna()
first, last = (published.min(), published.max()) if len(published) else ("unknown", "unknown")

c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Articles", len(articles))
c2.metric("Sources", sources.nunique())
c3.metric("First published", str(first))
c4.metric("Last published", str(last))
c5.metric("Distinct actors", actors["actor"].nunique())

inferred = int(articles["published_inferred"].sum())
if inferred:
    st.caption(f"{inferred} publication date(s) were inferred from the article text (marked “inferred”).")

st.subheader("Top actors per source")
top_n = st.slider("Actors shown", *TOP_RANGE, value=12, key=ui.KEY_TOP_ACTORS, bind="query-params")
mentions = actors.merge(articles[["article_id"]].assign(source=sources.values), on="article_id")
top = mentions["actor"].value_counts().head(top_n).index
counts = (
    mentions[mentions["actor"].isin(top)]
    .groupby(["actor", "source"], as_index=False)
    .size()
    .rename(columns={"size": "mentions"})
)
figure = px.bar(
    counts,
    x="mentions",
    y="actor",
    color="source",
    orientation="h",
    category_orders={"actor": list(top)},
    labels={"actor": "", "mentions": "mentions"},
    height=max(320, 28 * len(top)),
)
figure.update_layout(legend_title_text="source", margin={"l": 0, "r": 0, "t": 10, "b": 0})
st.plotly_chart(figure, width="stretch")

st.subheader("Articles")
listing = articles.assign(
    source=sources.values,
    date=articles.apply(ui.published_label, axis=1),
    open=[ui.article_url(a) for a in articles["article_id"]],
    actors=articles["article_id"].map(actors.groupby("article_id")["actor"].nunique()).fillna(0).astype(int),
)[["open", "title", "source", "date", "words", "actors"]]
st.dataframe(
    listing,
    hide_index=True,
    width="stretch",
    column_config={
        "open": st.column_config.LinkColumn("article", display_text="open"),
        "title": st.column_config.TextColumn("title", width="large"),
    },
)

"""Overview: corpus size, date span, top actors per source, coverage over time, and the table of articles."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from app import coverage, exports, links, markup, sentences, store, ui
from lib.views import warehouse

TOP_RANGE = (5, 40)  # the "Actors shown" slider, bound to the URL as `top`
KEY_PAGE = "page"  # the articles listing's page, bound to the URL
PER_PAGE = 50
TOP_SOURCES = 12  # sources drawn in their own colour; the others are summed as OTHER
OTHER = "other sources"
# the articles listing, newest first (paged on the page, whole in its CSV)
ARTICLES_SQL = """
    SELECT article_id, title, source, published_label AS date, words,
           (SELECT count(DISTINCT actor) FROM actors WHERE actors.article_id = a.article_id) AS actors
    FROM articles a JOIN sources USING (article_id) JOIN published_labels USING (article_id)
    ORDER BY published DESC NULLS LAST, article_id"""

st.title("China–Russia Ties Dashboard")
stats = store.query(
    f"SELECT count(*) AS articles, count(DISTINCT {warehouse.STORY_OF}) AS stories, "
    "count(DISTINCT source) AS sources, count(DISTINCT nullif(trim(outlet), '')) AS outlets, "
    "count(*) FILTER (coalesce(trim(outlet), '') = '') AS unknown_outlet, min(published) AS first, max(published) AS last, "
    "coalesce(sum(published_inferred::INTEGER), 0) AS inferred "
    "FROM articles JOIN sources USING (article_id) LEFT JOIN stories USING (article_id)"
).iloc[0]
if not stats["articles"]:
    st.warning(
        f"No articles in {store.data_dir()}. Preprocess a folder first: "
        "`python -m lib.preprocess SRC --out DIR`, then serve with `DASHBOARD_DATA=DIR`."
    )
    st.stop()
pages = -(-int(stats["articles"]) // PER_PAGE)
links.share("overview", [links.number(ui.KEY_TOP_ACTORS, *TOP_RANGE), links.number(KEY_PAGE, 1, pages),
                         *coverage.params()])

c1, c2, c3, c4, c5, c6 = st.columns([1, 1, 1.2, 1.6, 1.6, 1.1])  # the dates shown whole
c1.metric("Articles", int(stats["articles"]))
c2.metric("Stories", int(stats["stories"]), help="A story carried by several outlets (wire copy) counts once.")
c3.metric("Outlets", int(stats["outlets"]), help="Distinct news outlets named by the articles' metadata.")
if stats["unknown_outlet"]:
    c3.caption(f"and {int(stats['unknown_outlet'])} article(s) whose outlet is unknown")
c4.metric("First published", str(stats["first"] or "unknown"))
c5.metric("Last published", str(stats["last"] or "unknown"))
c6.metric("Distinct actors", int(store.value("SELECT count(DISTINCT actor) FROM actors")))

if stats["inferred"]:
    st.caption(f"{int(stats['inferred'])} publication date(s) were inferred from the article text (marked “inferred”).")

st.subheader("Top actors per source")
top_n = st.slider("Actors shown", *TOP_RANGE, value=12, key=ui.KEY_TOP_ACTORS, bind="query-params")
counts = store.query(
    """
    WITH mentions AS (SELECT actor, source FROM actors JOIN sources USING (article_id)),
    top AS (SELECT actor, count(*) AS n FROM mentions GROUP BY actor ORDER BY n DESC, actor LIMIT ?),
    big AS (SELECT source FROM mentions GROUP BY source ORDER BY count(*) DESC, source LIMIT ?)
    SELECT actor, CASE WHEN big.source IS NULL THEN ? ELSE mentions.source END AS source,
           count(*) AS mentions, any_value(top.n) AS total
    FROM mentions JOIN top USING (actor) LEFT JOIN big ON mentions.source = big.source
    GROUP BY ALL ORDER BY total DESC, actor, mentions DESC
    """,
    top_n, TOP_SOURCES, OTHER,
)
top = list(dict.fromkeys(counts["actor"]))
figure = px.bar(
    counts,
    x="mentions",
    y="actor",
    color="source",
    orientation="h",
    category_orders={"actor": top},
    labels={"actor": "", "mentions": "mentions"},
    height=max(320, 28 * len(top)),
)
figure.update_layout(legend_title_text="source", margin={"l": 0, "r": 0, "t": 10, "b": 0})
st.plotly_chart(figure, width="stretch")
st.html(markup.actor_links(top))  # each actor's page
if stats["sources"] > TOP_SOURCES:
    st.caption(f"The {TOP_SOURCES} sources with most mentions have their own colour; the rest are “{OTHER}”.")

coverage.section()

st.subheader("Articles")
st.caption(f"Articles: {int(stats['articles'])} · Stories: {int(stats['stories'])}, newest first.")
page = st.pagination(pages, key=KEY_PAGE, bind="query-params") if pages > 1 else 1
rows = store.query(ARTICLES_SQL + " LIMIT ? OFFSET ?", PER_PAGE, (int(page or 1) - 1) * PER_PAGE)
sentences.article_table(rows, ["title", "source", "date", "words", "actors"], "articles_table",
                        column_config={"title": st.column_config.TextColumn("title", width="large")})
exports.download("articles", lambda: store.query(ARTICLES_SQL))

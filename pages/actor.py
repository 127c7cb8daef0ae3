"""Actor: one canonical actor's mentions over time, quotations, events, figures, companions and names.

The actor lives in the URL (`/actor?name=Xi+Jinping`), so every actor name elsewhere in the
dashboard links here (`ui.actor_url`). Without a name, or with one the corpus lacks, the page
shows a picker. The definitions of each section are in `lib.views.actor_profile`.
Names, quotes and sentences are untrusted: they are shown with plain-text elements, escaped
Markdown, or HTML built by `app.markup`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import qualitative

from app import exports, links, markup, sentences, store, ui
from lib.views import actor_profile

KEY_NAME = "name"  # URL parameter and picker key: the canonical actor
MOST_QUOTES = 20  # the rest are a click away on the Quotes page
MOST_EVENTS = 100
MOST_FIGURES = 100
EVERY_ROW = 2**62  # the limit of a download: every row the query selects
FIGURE_COLUMNS = ["surface", "value", "unit", "metric", "period", "kind", "cited", "origin", "source", "sentence"]
MOST_COMPANIONS = 15
OTHER_COLOUR = "#9ca3af"
QUOTES_PAGE = st.Page(Path(__file__).with_name("quotes.py"), url_path="quotes")


def name_chosen() -> None:
    """The picker changed: the URL follows it."""
    links.set_param(KEY_NAME, st.session_state[KEY_NAME])


def mentions_chart(counts: pd.DataFrame, step: str) -> go.Figure:
    """Stacked bars of mentions per week or month, one colour per source, "other sources" last in
    grey (names escaped: plotly reads tags in labels)."""
    totals = counts.groupby("source", sort=False)["mentions"].sum().sort_values(ascending=False, kind="stable")
    order = [s for s in totals.index if s != actor_profile.OTHER_SOURCES]
    order += [s for s in totals.index if s == actor_profile.OTHER_SOURCES]
    colours = dict(zip(order, qualitative.Dark24)) | {actor_profile.OTHER_SOURCES: OTHER_COLOUR}
    width = pd.Timedelta(days=6 if step == "week" else 26) / pd.Timedelta(milliseconds=1)  # bars a period wide
    traces = [
        {"type": "bar", "name": markup.text(source), "x": rows["period"].tolist(), "y": rows["mentions"].tolist(),
         "width": width, "offset": 0, "marker": {"color": colours[source]},
         "customdata": rows["articles"].tolist(),
         "hovertemplate": "%{x|%Y-%m-%d}: %{y} mention(s) in %{customdata} article(s)"}
        for source in order
        for rows in [counts[counts["source"] == source]]
    ]
    return go.Figure({"data": traces, "layout": {
        "barmode": "stack", "height": 320, "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "xaxis": {"type": "date", "title": {"text": f"publication {step} (bars start on its first day)"}},
        "yaxis": {"title": {"text": "mentions"}}, "legend": {"title": {"text": "source"}},
    }})


def events_chart(events: pd.DataFrame) -> go.Figure:
    """The events on a small timeline: one bar per event over the span its date covers."""
    starts = pd.to_datetime(events["first_day"])
    ends = pd.to_datetime(events["last_day"]) + pd.Timedelta(days=1)
    labels = [markup.text(summary[:60] + ("…" if len(summary) > 60 else "")) for summary in events["summary"]]
    return go.Figure({"data": [{
        "type": "bar", "orientation": "h", "base": starts.tolist(),
        "x": ((ends - starts) / pd.Timedelta(milliseconds=1)).tolist(), "y": list(range(len(events))),
        "hovertext": [f"{markup.text(str(d))} · {label}" for d, label in zip(events["date"], labels)],
        "hoverinfo": "text", "marker": {"color": "#60a5fa", "line": {"color": "#2563eb", "width": 2}},
    }], "layout": {
        "height": max(200, 22 * len(events) + 80), "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "xaxis": {"type": "date"},
        "yaxis": {"autorange": "reversed", "tickmode": "array", "tickvals": list(range(len(events))),
                  "ticktext": labels},
    }})


def listed_actors(events: pd.DataFrame) -> pd.DataFrame:
    """`events` with their actors as one comma-separated text, as a table shows them."""
    return events.assign(actors=[", ".join(a) for a in events["actors"]])


def shown_of(total: int, shown: int, noun: str) -> str:
    return f"The first {shown} of {total} {noun}." if total > shown else f"{total} {noun}."


st.title("Actor")
if not store.value("SELECT count(*) FROM articles"):
    st.warning(f"No articles in {store.data_dir()}.")
    st.stop()
names = store.query(actor_profile.NAMES_SQL)["name"].tolist()
if not names:
    st.info("No actors were found in this corpus.")
    st.stop()

links.share("actor", [links.choice(KEY_NAME, names)])
wanted = st.query_params.get(KEY_NAME)
if st.session_state.get(KEY_NAME) != wanted:  # the URL wins: opened or navigated to
    st.session_state[KEY_NAME] = wanted
name = st.selectbox("Actor", names, index=None, key=KEY_NAME, on_change=name_chosen,
                    placeholder="Choose an actor (most mentioned first)")
if name is None:
    st.caption("Pick an actor to see their mentions, quotations, events, figures and companions. "
               "Every actor name in the dashboard links to its page here.")
    st.stop()

summary = store.query(actor_profile.SUMMARY_SQL, name).iloc[0]
st.header(ui.literal(name))
mentioned = int(summary["mentions"])
if mentioned:
    st.caption(f"{summary['actor_type']} · {mentioned} mention(s) in {int(summary['articles'])} article(s)")
else:
    st.caption("Named only as the speaker of quotations: no mention was recognised as this actor.")

st.subheader("Mentions over time")
span = store.query(actor_profile.SPAN_SQL, name).iloc[0]
step = actor_profile.step(span["first_day"], span["last_day"])
counts = store.query(actor_profile.MENTIONS_SQL, step, name, actor_profile.MOST_SOURCES,
                     actor_profile.OTHER_SOURCES)
undated = int(store.value(actor_profile.UNDATED_SQL, name) or 0)
if not mentioned:
    st.caption("No mentions to count.")
elif counts.empty:
    st.info("None of the articles mentioning this actor has a known publication date.")
else:
    st.plotly_chart(mentions_chart(counts, step), width="stretch", key="chart_mentions")
    note = f"Mentions per {step} of publication, per source."
    if int(counts["sources"].iat[0]) > actor_profile.MOST_SOURCES:
        note += (f" The {actor_profile.MOST_SOURCES} of {int(counts['sources'].iat[0])} sources mentioning them "
                 f"most have their own colour; the rest are “{actor_profile.OTHER_SOURCES}”.")
    if undated:
        note += f" {undated} mention(s) in articles without a known date are not drawn."
    st.caption(note)

st.subheader("Quotations")
quotes = store.query(actor_profile.QUOTES_SQL, name, MOST_QUOTES)
if quotes.empty:
    st.caption("No quotation is attributed to this actor.")
else:
    quoted = int(quotes["total"].iat[0])
    st.caption(shown_of(quoted, len(quotes), "quotation(s) attributed to this actor"))
    if quoted > len(quotes):
        st.page_link(QUOTES_PAGE, label=f"All {quoted} on the Quotes page", icon=":material/format_quote:",
                     query_params={"speaker": name})
    with st.container(key="actor_quotes"):
        for row in quotes.to_dict("records"):
            with st.container(border=True):
                st.markdown(f"“{ui.literal(row['text'])}”")
                st.caption(ui.literal(actor_profile.excerpt(row["sentence"], row["text"])))
                meta = " · ".join(str(v) for v in (row["source"], row["published"], row["kind"]) if pd.notna(v) and v)
                left, right = st.columns([3, 1], vertical_alignment="center")
                left.caption(ui.literal(meta))
                right.page_link(sentences.ARTICLE_PAGE, label="Open the sentence", icon=":material/article:",
                                query_params=ui.article_link_params(row["article_id"], int(row["start"])))

st.subheader("Events")
events = store.query(actor_profile.EVENTS_SQL, name, MOST_EVENTS)
if events.empty:
    st.caption("No dated event names this actor.")
else:
    st.caption(shown_of(int(events["total"].iat[0]), len(events), "event sentence(s) naming this actor"))
    placed = actor_profile.event_spans(events)
    if len(placed):
        st.plotly_chart(events_chart(placed), width="stretch", key="chart_events")
    sentences.table(sentences.around(listed_actors(events)), ["date", "summary", "actors", "source", "kind"],
                    "actor_events", sentence=("_at", "_after"),
                    column_config={"summary": st.column_config.TextColumn("summary", width="large")})
    exports.download("actor_events", lambda: listed_actors(store.query(actor_profile.EVENTS_SQL, name, EVERY_ROW))
                     .drop(columns="total"))

st.subheader("Figures")
figures = store.query(actor_profile.FIGURES_SQL, name, name, name, MOST_FIGURES)
if figures.empty:
    st.caption("No figure is stated in a sentence naming this actor or cited from them.")
else:
    st.caption(shown_of(int(figures["total"].iat[0]), len(figures), "figure(s) in sentences naming this actor "
                        "or cited from them"))
    sentences.table(sentences.around(figures), FIGURE_COLUMNS, "actor_figures", sentence=("_at", "_after"),
                    column_config={"sentence": st.column_config.TextColumn("sentence", width="large")})
    exports.download("actor_figures", lambda: store.query(actor_profile.FIGURES_SQL, name, name, name, EVERY_ROW)
                     .drop(columns="total"))

left, right = st.columns(2)
with left:
    st.subheader("Appears with")
    companions = store.query(actor_profile.COMPANIONS_SQL, name, name, MOST_COMPANIONS)
    if companions.empty:
        st.caption("No other actor is named in the same sentence.")
    else:
        st.caption("Actors named in the same sentence, most shared sentences first; each opens its page.")
        with st.container(key="actor_companions"):
            st.html(markup.actor_links(companions["actor"].tolist(), lead=""))
        st.dataframe(companions, hide_index=True, width="stretch")
        exports.download("actor_companions", companions)
with right:
    st.subheader("Names")
    st.caption("The words the articles use for this actor, and how each was recognised.")
    names_used = store.query(actor_profile.SURFACES_SQL, name)
    st.dataframe(names_used, hide_index=True, width="stretch")
    exports.download("actor_names", names_used)

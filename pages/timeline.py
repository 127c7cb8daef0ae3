"""Timeline: dated events as spans (a day one day wide, a month a month wide), one row per event.

Reports of the same event in several articles are one bar listing every source. The filters and
the colour choice live in the URL, so a view can be shared as a link. Clicking (or box-selecting)
bars shows their sentences with links that open each article at the sentence.

Large corpora: the events are grouped once per data version; each run asks SQL for the counts,
the bars (the events reported in most stories, a copied story once, at most `MOST_BARS`) and one page of the table.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import qualitative

from app import exports, links, markup, sentences, store, ui
from lib.views import event_lanes

# Widget keys; the bound ones are also the URL query parameter names.
KEY_DATES = "dates"
KEY_ACTORS = "actor"
KEY_SOURCES = "src"
KEY_COLOUR = "color"
KEY_HIDE_LONG = "hide"
KEY_MAX_DAYS = "days"
KEY_FORECASTS = "plans"  # show forecasts and plans (drawn hollow)
KEY_PAGE = "page"  # the Events table's page
KEY_CHART = "timeline_chart"

COLOUR_CHOICES = {"source": "Source", "actor": "Lead actor"}
MUTED = {event_lanes.SEVERAL_SOURCES: "#6b7280", event_lanes.OTHER: "#d1d5db", event_lanes.NO_ACTOR: "#e5e7eb"}
DEFAULT_MAX_DAYS = 366
MOST_BARS = 150  # events drawn; the others matching are counted in the caption
PER_PAGE = 50  # rows of the Events table
MOST_SELECTED = 100  # sentences listed for the bars selected on the chart
BOUND = "query-params"
HOLLOW = "rgba(255,255,255,0)"  # the fill of a forecast's bar: only its outline is drawn


def timeline_figure(frame: pd.DataFrame, legend: list[str], title: str, between: tuple[dt.date, dt.date]):
    """One bar per event from the start of its first day to the end of its last (the width in ms
    from `base`, as plotly draws timelines), one trace per legend entry, rows in `frame` order."""
    events = frame[["event_id", "colour", "hover", "x_start", "x_end", "kind"]].to_dict("records")
    palette = itertools.cycle(qualitative.Plotly)
    traces = []
    for name in legend:
        rows = [event for event in events if event["colour"] == name]
        colour = MUTED.get(name) or next(palette)
        traces.append(go.Bar(
            name=name, legendgroup=name, showlegend=True, orientation="h", y=[row["event_id"] for row in rows],
            base=[row["x_start"] for row in rows],
            x=[(row["x_end"] - row["x_start"]) / pd.Timedelta(milliseconds=1) for row in rows],
            customdata=[[row["event_id"], row["hover"]] for row in rows], hovertemplate="%{customdata[1]}<extra></extra>",
            marker={"color": [HOLLOW if row["kind"] == "forecast" else colour for row in rows],  # forecasts hollow
                    "line": {"color": colour, "width": 3}},  # the outline keeps one-day bars visible
        ))
    ids = [event["event_id"] for event in events]
    labels = [markup.text(event_lanes.row_label(row)) for row in frame[["date", "summary"]].to_dict("records")]
    labels = [label + (" (forecast)" if kind == "forecast" else "") for label, kind in zip(labels, frame["kind"])]
    return go.Figure(data=traces, layout={
        "barmode": "overlay", "height": max(320, 26 * len(frame) + 120), "showlegend": True,
        "legend": {"title": {"text": title}},
        "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "xaxis": {"type": "date", "range": [between[0], between[1] + dt.timedelta(days=1)], "title": None},
        "yaxis": {"autorange": "reversed", "title": None, "categoryorder": "array", "categoryarray": ids,
                  "tickmode": "array", "tickvals": ids, "ticktext": labels},
    })


def first_page() -> None:
    """A changed filter starts the Events table again at its first page."""
    st.session_state[KEY_PAGE] = 1


st.title("Timeline")
corpus = store.query(event_lanes.ARTICLES_SQL).iloc[0]
if not corpus["articles"]:
    st.warning(f"No articles in {store.data_dir()}.")
    st.stop()

store.derived(event_lanes.REPORTS, event_lanes.build_reports)
store.derived(event_lanes.EVENTS, event_lanes.build_events)
bounds = store.query(event_lanes.BOUNDS_SQL).iloc[0]
if not bounds["events"]:
    st.info("No dated events were found in these articles.")
    st.stop()

first_day, last_day = event_lanes.as_day(bounds["first_day"]), event_lanes.as_day(bounds["last_day"])
window = event_lanes.fitted_window(first_day, last_day, event_lanes.as_day(bounds["usual_first"]),
                                    event_lanes.as_day(bounds["usual_last"]))
actor_options = store.query(event_lanes.ACTOR_OPTIONS_SQL)["name"].tolist()
source_options = store.query(event_lanes.SOURCE_OPTIONS_SQL)["name"].tolist()
links.share("timeline", [
    links.day(KEY_DATES, first_day, last_day, most=2),
    links.choice(KEY_ACTORS, actor_options, many=True),
    links.choice(KEY_SOURCES, source_options, many=True),
    links.choice(KEY_COLOUR, COLOUR_CHOICES),
    links.flag(KEY_HIDE_LONG),
    links.flag(KEY_FORECASTS),
    links.number(KEY_MAX_DAYS, 1),
    links.number(KEY_PAGE, 1),
])

left, middle, right = st.columns([2, 3, 3])
picked = left.date_input(
    "Dates", value=window, min_value=first_day, max_value=last_day, key=KEY_DATES, bind=BOUND,
    on_change=first_page, help="Events whose span overlaps these dates are shown.",
)
chosen_actors = middle.multiselect(
    "Actors", actor_options, key=KEY_ACTORS, bind=BOUND, placeholder="All actors", on_change=first_page,
    help="Events involving any of these actors.",
)
chosen_sources = right.multiselect(
    "Sources", source_options, key=KEY_SOURCES, bind=BOUND, placeholder="All sources", on_change=first_page,
    help="Events reported by any of these sources.",
)
left, middle, plans_col, right = st.columns([2, 2, 2, 3])
colour_by = left.radio(
    "Colour by", list(COLOUR_CHOICES), horizontal=True,  # no format_func: the URL holds the label
    key=KEY_COLOUR, bind=BOUND,
)
hide_long = middle.checkbox(
    "Hide long spans", key=KEY_HIDE_LONG, bind=BOUND, on_change=first_page,
    help="Leave out events spanning more days than the limit, such as “since 2020”.",
)
show_forecasts = plans_col.checkbox(
    "Show forecasts and plans", key=KEY_FORECASTS, bind=BOUND, on_change=first_page,
    help="Predictions and plans (“trade would rise by 10% in 2025”), drawn as hollow bars.",
)
max_days = right.number_input(
    "Longest span shown (days)", min_value=1, value=DEFAULT_MAX_DAYS, step=30, disabled=not hide_long,
    key=KEY_MAX_DAYS, bind=BOUND, on_change=first_page,
)


def chosen_range(value) -> tuple[dt.date, dt.date]:
    """The picked (start, end); while only a start is picked, from it to the last event day."""
    days = [d for d in (value if isinstance(value, (list, tuple)) else [value]) if isinstance(d, dt.date)]
    if not days:
        return first_day, last_day
    return days[0], days[-1] if len(days) > 1 else last_day


between = chosen_range(picked)
longest = int(max_days) if hide_long else None
params = event_lanes.filter_params(between, chosen_actors, chosen_sources, longest, show_forecasts)
counts = store.query(event_lanes.COUNTS_SQL, *params).iloc[0]
shown = store.query(event_lanes.DRAWN_SQL, *params, MOST_BARS, event_lanes.HOVER_NAMES)
summary = f"{counts['shown']} of {counts['events']} events, from {counts['sentences']} dated sentences."
if len(shown) < counts["shown"]:
    summary += (f" The chart draws the {len(shown)} reported in most stories; narrow the dates, actors or "
                "sources to draw the others.")
if counts["outside"]:
    summary += f" {counts['outside']} matching event(s) fall outside the chosen dates; widen them to see all."
if counts["too_long"]:
    summary += f" {counts['too_long']} event(s) spanning more than {longest} days are hidden."
st.caption(summary)
if corpus["inferred"]:
    st.caption("Publication dates marked “inferred” were read from the article text.")

if shown.empty:
    st.info("No events match these filters.")
    st.stop()

shown = event_lanes.as_events(shown)
types = {}
if colour_by == "actor":
    names = sorted({name for names in shown["actors"] for name in names})
    types = event_lanes.actor_types(store.query(event_lanes.ACTOR_TYPES_SQL, names))
labels = event_lanes.colour_labels(shown, colour_by, types, chosen_actors)
frame = shown.assign(
    colour=labels.map(markup.text),  # legend entries are rendered as HTML too
    hover=[markup.event_hover(event) for event in shown.to_dict("records")],
)
ids = list(frame["event_id"])
legend = [c for c in frame["colour"].value_counts().index if c not in MUTED]
legend += [c for c in MUTED if c in set(frame["colour"])]
state = st.plotly_chart(
    timeline_figure(frame, legend, COLOUR_CHOICES.get(colour_by, "Source"), between),
    width="stretch", on_select="rerun", selection_mode=("points", "box"), key=KEY_CHART,
)


LISTED = ["date", "precision", "summary", "source", "published", "actors", "event_id"]
selected = [e for e in event_lanes.selected_event_ids(state) if e in set(ids)]
if selected:
    st.subheader(f"Selected: {len(selected)} event(s)")
    chosen_rows = store.query(event_lanes.SELECTED_SQL, selected, MOST_SELECTED)
    total = int(chosen_rows["total"].iat[0]) if len(chosen_rows) else 0
    if total > len(chosen_rows):
        st.caption(f"The first {len(chosen_rows)} of their {total} sentences; the Events table lists them all.")
    for names, report in zip(chosen_rows["actors"], event_lanes.as_reports(chosen_rows).to_dict("records")):
        with st.expander(ui.literal(f"{report['date']} · {report['source']} · {report['summary']}")):
            sentences.in_context(report["article_id"], int(report["start"]), int(report["end"]))
            if names is not None and len(names):
                st.html(markup.actor_links(list(names)))  # each actor's page
else:
    st.caption("Click a bar (or drag a box over several) to read the sentences behind it.")

st.subheader("Events")
rows_total = int(counts["shown_sentences"])
pages = event_lanes.page_count(rows_total, PER_PAGE)
st.caption(f"The {rows_total} sentences reporting the {counts['shown']} events that match, in date order"
           + (f", {PER_PAGE} a page." if pages > 1 else "."))
links.confirm(links.number(KEY_PAGE, 1, pages))
page = min(int(st.pagination(pages, key=KEY_PAGE, bind=BOUND) or 1), pages) if pages > 1 else 1
table = event_lanes.as_reports(store.query(event_lanes.LISTING_SQL, *params, PER_PAGE, (page - 1) * PER_PAGE))
sentences.table(table, LISTED, "events_table",
                column_config={"summary": st.column_config.TextColumn("summary", width="large")})
exports.download("events", lambda: event_lanes.as_reports(
    store.query(event_lanes.LISTING_SQL, *params, max(rows_total, 1), 0))[[*LISTED, "sentence", "article_id", "start"]])

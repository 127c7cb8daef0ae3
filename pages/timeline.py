"""Timeline: dated events as spans (a day one day wide, a month a month wide), one row per event.

Reports of the same event in several articles are one bar listing every source. The filters and
the colour choice live in the URL, so a view can be shared as a link. Clicking (or box-selecting)
bars shows their sentences with links that open each article at the sentence.
"""

from __future__ import annotations

import datetime as dt
import html

import plotly.express as px
import streamlit as st

import links
import store
import ui
from lib import timeline

# Widget keys; the bound ones are also the URL query parameter names.
KEY_DATES = "dates"
KEY_ACTORS = "actor"
KEY_SOURCES = "src"
KEY_COLOUR = "color"
KEY_HIDE_LONG = "hide"
KEY_MAX_DAYS = "days"
KEY_CHART = "timeline_chart"

COLOUR_CHOICES = {"source": "Source", "actor": "Lead actor"}
MUTED = {timeline.SEVERAL_SOURCES: "#6b7280", timeline.OTHER: "#d1d5db", timeline.NO_ACTOR: "#e5e7eb"}
DEFAULT_MAX_DAYS = 366

st.title("Timeline")
articles = store.table("articles")
if articles.empty:
    st.warning(f"No articles in {store.data_dir()}.")
    st.stop()

meta = articles[["article_id"]].assign(
    source=ui.source_of(articles).values,
    published=articles.apply(ui.published_label, axis=1).values,
)
report_rows = timeline.reports(store.table("events"), meta)
events = timeline.group_events(report_rows)
if events.empty:
    st.info("No dated events were found in these articles.")
    st.stop()

first_day, last_day = min(events["first_day"]), max(events["last_day"])
window = timeline.default_window(events, articles["published"].dropna())
actor_options = sorted({name for names in events["actors"] for name in names})
source_options = sorted({name for names in events["sources"] for name in names})
links.share("timeline", [
    links.day(KEY_DATES, first_day, last_day, most=2),
    links.choice(KEY_ACTORS, actor_options, many=True),
    links.choice(KEY_SOURCES, source_options, many=True),
    links.choice(KEY_COLOUR, COLOUR_CHOICES),
    links.flag(KEY_HIDE_LONG),
    links.number(KEY_MAX_DAYS, 1),
])

left, middle, right = st.columns([2, 3, 3])
picked = left.date_input(
    "Dates", value=window, min_value=first_day, max_value=last_day, key=KEY_DATES, bind="query-params",
    help="Events whose span overlaps these dates are shown.",
)
chosen_actors = middle.multiselect(
    "Actors", actor_options, key=KEY_ACTORS, bind="query-params", placeholder="All actors",
    help="Events involving any of these actors.",
)
chosen_sources = right.multiselect(
    "Sources", source_options, key=KEY_SOURCES, bind="query-params", placeholder="All sources",
    help="Events reported by any of these sources.",
)
left, middle, right = st.columns([2, 2, 4])
colour_by = left.radio(
    "Colour by", list(COLOUR_CHOICES), horizontal=True,  # no format_func: the URL holds the label
    key=KEY_COLOUR, bind="query-params",
)
hide_long = middle.checkbox(
    "Hide long spans", key=KEY_HIDE_LONG, bind="query-params",
    help="Leave out events spanning more days than the limit, such as “since 2020”.",
)
max_days = right.number_input(
    "Longest span shown (days)", min_value=1, value=DEFAULT_MAX_DAYS, step=30, disabled=not hide_long,
    key=KEY_MAX_DAYS, bind="query-params",
)


def chosen_range(value) -> tuple[dt.date, dt.date]:
    """The picked (start, end); while only a start is picked, from it to the last event day."""
    days = [d for d in (value if isinstance(value, (list, tuple)) else [value]) if isinstance(d, dt.date)]
    if not days:
        return first_day, last_day
    return days[0], days[-1] if len(days) > 1 else last_day


between = chosen_range(picked)
longest = int(max_days) if hide_long else None
shown = timeline.filter_events(events, between, chosen_actors, chosen_sources, longest)
outside = len(timeline.filter_events(events, None, chosen_actors, chosen_sources, longest)) - len(shown)
too_long = len(timeline.filter_events(events, between, chosen_actors, chosen_sources)) - len(shown)
summary = f"{len(shown)} of {len(events)} events, from {len(report_rows)} dated sentences."
if outside:
    summary += f" {outside} matching event(s) fall outside the chosen dates; widen them to see all."
if too_long:
    summary += f" {too_long} event(s) spanning more than {longest} days are hidden."
st.caption(summary)
if (articles["published_inferred"]).any():
    st.caption("Publication dates marked “inferred” were read from the article text.")

if shown.empty:
    st.info("No events match these filters.")
    st.stop()

colour_title = COLOUR_CHOICES.get(colour_by, "Source")
labels = timeline.colour_labels(shown, colour_by, timeline.actor_types(store.table("actors")), chosen_actors)
frame = shown.assign(
    colour=labels.map(html.escape),  # legend entries are rendered as HTML too
    hover=shown.apply(timeline.hover_text, axis=1),
)
ids = list(frame["event_id"])
legend = [c for c in frame["colour"].value_counts().index if c not in MUTED]
legend += [c for c in MUTED if c in set(frame["colour"])]
figure = px.timeline(
    frame,
    x_start="x_start",
    x_end="x_end",
    y="event_id",
    color="colour",
    custom_data=["event_id", "hover"],
    category_orders={"event_id": ids, "colour": legend},
    color_discrete_map=MUTED,
    height=max(320, 26 * len(frame) + 120),
)
figure.update_traces(hovertemplate="%{customdata[1]}<extra></extra>", marker_line_width=3)
for trace in figure.data:  # an outline in the bar's colour keeps one-day bars visible on long axes
    trace.marker.line.color = trace.marker.color
figure.update_yaxes(
    autorange="reversed", title=None, tickmode="array", tickvals=ids,
    ticktext=[html.escape(timeline.row_label(row)) for _, row in frame.iterrows()],
)
figure.update_xaxes(range=[between[0], between[1] + dt.timedelta(days=1)], title=None)
figure.update_layout(legend_title_text=colour_title, margin={"l": 0, "r": 0, "t": 10, "b": 0})
state = st.plotly_chart(
    figure, width="stretch", on_select="rerun", selection_mode=("points", "box"), key=KEY_CHART
)

texts = dict(zip(articles["article_id"], articles["text"]))


def listing(rows):
    """The reports as a table whose first column opens each article at its sentence."""
    return rows.assign(
        open=[ui.article_url(a, s) for a, s in zip(rows["article_id"], rows["start"])],
        sentence=[(texts.get(a) or "")[s:e].strip() for a, s, e in zip(rows["article_id"], rows["start"], rows["end"])],
        actors=rows["actors"].map(", ".join),
    )


LINK = {"open": st.column_config.LinkColumn("article", display_text="open")}
selected = [e for e in timeline.selected_event_ids(state) if e in set(ids)]
if selected:
    st.subheader(f"Selected: {len(selected)} event(s)")
    chosen_rows = timeline.report_listing(shown[shown["event_id"].isin(selected)], report_rows)
    st.dataframe(
        listing(chosen_rows)[["open", "date", "source", "published", "sentence"]],
        hide_index=True, width="stretch",
        column_config={**LINK, "sentence": st.column_config.TextColumn("sentence", width="large")},
    )
else:
    st.caption("Click a bar (or drag a box over several) to read the sentences behind it.")

st.subheader("Events")
table = listing(timeline.report_listing(shown, report_rows))
st.dataframe(
    table[["open", "date", "precision", "summary", "source", "published", "actors", "event_id"]],
    hide_index=True,
    width="stretch",
    column_config={**LINK, "summary": st.column_config.TextColumn("summary", width="large")},
)

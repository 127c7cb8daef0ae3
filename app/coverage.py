"""The "Coverage over time" section: articles per week or month, per outlet or outlet group, as a
stacked bar chart; clicking a bar lists the articles behind it.

Its view lives in the URL like every other: `per` (week / month; by the corpus's span when
absent), `by` ("outlet" / "outlet group"), and the clicked bar as `bucket` (its first day) and `series`.
A click sets the two bar parameters before the rerun, so the link box already holds them.
Derivations: `lib.views.coverage`.
"""

from __future__ import annotations

import datetime as dt

import plotly.express as px
import streamlit as st

from app import exports, links, markup, sentences, store, ui
from lib.contract.outlet_groups import group_names
from lib.views import coverage

KEY_PER = "per"
KEY_BY = "by"
KEY_BUCKET = "bucket"
KEY_SERIES = "series"
KEY_CHART = "coverage_chart"
DAY_MS = 86_400_000
WEEK_AXIS = {"type": "date", "tickformat": "%d %b %Y"}  # a tick on a day
MONTH_TICKS = ((12, "M1"), (36, "M3"))  # months spanned → a tick every month, every quarter; else every year


def month_axis(months: int) -> dict:
    """A date axis labelled under each month (quarter, year: as many as stay readable)."""
    step = next((tick for most, tick in MONTH_TICKS if months <= most), "M12")
    if step == "M1":
        return {"type": "date", "tickformat": "%b %Y", "dtick": step, "ticklabelmode": "period"}
    return {"type": "date", "tickformat": "%b %Y", "dtick": step}  # a tick where its quarter or year begins


BY_LABELS = {"outlet": "outlet", "group": "outlet group"}  # the URL holds the label, as the radio shows it
BY_OF = {label: by for by, label in BY_LABELS.items()}
EARLIEST_BUCKET = dt.timedelta(days=31)  # a bucket may start before the first article (a Monday, a 1st)


def params() -> list[links.Param]:
    """The section's URL parameters, checked by the page's `links.share`."""
    first, last, _ = coverage.span(store.query)
    names = {name for by in coverage.BY for name in coverage.series_names(store.query, by)}
    bucket = [links.day(KEY_BUCKET, first - EARLIEST_BUCKET, last)] if first and last else []
    return [links.choice(KEY_PER, coverage.PERIODS), links.choice(KEY_BY, BY_LABELS.values()), *bucket,
            links.choice(KEY_SERIES, sorted(names))]


def _bar_clicked() -> None:
    """A bar was clicked (or the selection cleared): the URL follows it."""
    points = st.session_state[KEY_CHART].selection.points
    point = points[0] if points else {}
    data = point.get("customdata") or []
    bucket = str(data[0])[:10] if len(data) > 0 else None
    series = str(data[1]) if len(data) > 1 else None
    links.set_param(KEY_BUCKET, bucket)
    links.set_param(KEY_SERIES, series)


def _clear_bar() -> None:
    """Another period or series kind: the bar clicked before no longer exists."""
    links.set_param(KEY_BUCKET, None)
    links.set_param(KEY_SERIES, None)


def section() -> None:
    """The section as the Overview shows it."""
    st.subheader("Coverage over time")
    first, last, undated = coverage.span(store.query)
    if first is None:
        st.info("No article has a publication date.")
        return
    automatic = coverage.period_for(first, last)
    left, right = st.columns(2)
    period = left.radio("Count per", coverage.PERIODS, index=coverage.PERIODS.index(automatic), key=KEY_PER,
                        horizontal=True, bind="query-params", on_change=_clear_bar)
    by = BY_OF[right.radio("Per", list(BY_LABELS.values()), key=KEY_BY, horizontal=True, bind="query-params",
                           on_change=_clear_bar)]
    counts = coverage.counts(store.query, period, by)
    half = dt.timedelta(hours=84) if period == "week" else dt.timedelta(days=15)  # a bar sits mid-bucket
    frame = counts.assign(bucket_day=[b.isoformat() for b in counts["bucket"]],
                          middle=[dt.datetime.combine(b, dt.time()) + half for b in counts["bucket"]],
                          when=[coverage.bucket_label(b, period) for b in counts["bucket"]],
                          shown=markup.texts(counts["series"]))  # legends and hovers read HTML: escaped
    present = set(frame["series"])
    order = [g for g in group_names() if g in present] if by == "group" else \
        [s for s in [*coverage.top_series(store.query, by), coverage.OTHER] if s in present]  # most articles first
    figure = px.bar(frame, x="middle", y="articles", color="shown", custom_data=["bucket_day", "series", "when"],
                    category_orders={"shown": markup.texts(order)},
                    labels={"middle": "", "articles": "articles", "shown": BY_LABELS[by]}, height=360)
    days = 7 if period == "week" else 30
    figure.update_traces(hovertemplate=markup.COVERAGE_HOVER,
                         width=days * DAY_MS * 0.85)
    figure.update_layout(barmode="stack", margin={"l": 0, "r": 0, "t": 10, "b": 0},
                         xaxis=WEEK_AXIS if period == "week" else
                         month_axis((last.year - first.year) * 12 + last.month - first.month + 1))
    st.plotly_chart(figure, width="stretch", key=KEY_CHART, on_select=_bar_clicked, selection_mode="points")
    notes = [f"Articles per {period}, by publication date."]
    if undated:
        notes.append(f"{undated} article(s) without a publication date are left out.")
    st.caption(" ".join(notes) + " Click a bar to list its articles.")
    _bar_articles(period, by)


def _bar_articles(period: str, by: str) -> None:
    """The articles behind the bar named in the URL."""
    bucket = st.query_params.get(KEY_BUCKET)
    if not bucket:
        return
    series = st.query_params.get(KEY_SERIES)
    day = dt.date.fromisoformat(bucket)
    rows = coverage.bucket_articles(store.query, period, by, day, series)
    when = coverage.bucket_label(coverage.bucket_of(day, period), period)
    st.markdown(f"**{len(rows)} article(s) · {ui.literal(when)}"
                + (f" · {ui.literal(series)}**" if series else "**"))
    with st.container(key="coverage_articles"):
        sentences.article_table(rows, ["title", "source", "published"], "coverage_articles_table",
                                column_config={"title": st.column_config.TextColumn("title", width="large")})
        exports.download("coverage_articles", rows[["article_id", "title", "source", "published"]])

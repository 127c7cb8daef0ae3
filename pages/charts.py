"""Figures & charts: trade and energy figures over time, growth rates, actor attention and co-occurrence.

Every chart point leads back to its sentence: the hover shows it (escaped), the table under the
chart lists the rows behind it with a link into the article, and the CSV button exports them.
Filters live in the sidebar and are bound to the URL, so a filtered view can be shared.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import qualitative
from plotly.subplots import make_subplots

import links
import store
import ui
from lib import charts

# Widget keys, also the URL query parameter names.
KEY_METRIC = "metric"
KEY_PERIOD = "period"
KEY_SOURCES = "src"
KEY_TOP = "top"
KEY_MIN_WEIGHT = "minw"
KEY_MAX_EDGES = "edges"

DEFAULT_TOP = 15
DEFAULT_MAX_EDGES = 60
MAX_SOURCE_COLUMNS = 40  # heatmap columns: the sources with the most mentions
KIND_SYMBOLS = {"actual": "circle", "forecast": "diamond-open", "change": "triangle-up"}
KIND_DASH = {"actual": "solid", "forecast": "dash", "change": "dot"}
CONFLICT_COLOUR = "#dc2626"
PALETTE = qualitative.Plotly
FIGURE_COLUMNS = ["source", "metric", "period", "kind", "shown", "surface", "origin", "direction",
                  "point", "agreeing sources", "conflict", "sentence"]


def evidence_table(frame: pd.DataFrame, columns: list[str], name: str, at_column: str = "start") -> None:
    """The rows behind a chart, each with a link to its place in the article, and a CSV download.

    They sit in a container keyed `rows_<name>` so tests (and CSS) can find them.
    """
    shown = frame.assign(open=[ui.article_url(a, s) for a, s in zip(frame["article_id"], frame[at_column])])
    shown = shown[["open", *columns]]
    with st.container(key=f"rows_{name}"):
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={
                "open": st.column_config.LinkColumn("article", display_text="open"),
                "sentence": st.column_config.TextColumn("sentence", width="large"),
            },
        )
        st.download_button(
            "Download CSV", shown.to_csv(index=False).encode("utf-8"), file_name=f"{name}.csv",
            mime="text/csv", key=f"download_{name}",
        )


def scale_of(unit: str) -> tuple[float, str]:
    """Divisor and axis title of a unit: money in billions, the rest as extracted."""
    return (1e9, f"{unit} bn") if unit in charts.MONEY_UNITS else (1.0, unit)


def figures_chart(pts: pd.DataFrame, on_time_axis: bool) -> go.Figure:
    """Points by period, one row per unit, colour by metric, symbol by kind; conflicts ringed red.

    On a time axis a point sits at its period's midpoint with a bar over the whole period;
    otherwise periods are categories in time order (undated last).
    """
    pts = pts.fillna({"metric": "unknown", "kind": "unknown", "unit": "unknown"})
    units = sorted(pts["unit"].unique())
    figure = make_subplots(rows=len(units), cols=1, shared_xaxes=True, vertical_spacing=0.08)
    colours = {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(sorted(pts["metric"].unique()))}
    legend_seen: set[str] = set()
    for row, unit in enumerate(units, start=1):
        divisor, title = scale_of(unit)
        of_unit = pts[pts["unit"] == unit].assign(y=lambda f, d=divisor: f["value"] / d)
        if on_time_axis:
            add_spans(figure, of_unit, colours, row)
        x_column = "period_mid" if on_time_axis else "period_label"
        for (metric, kind), group in of_unit.groupby(["metric", "kind"], sort=True):
            name = f"{metric} ({kind})"
            figure.add_trace(
                go.Scatter(
                    x=group[x_column].tolist(), y=group["y"].tolist(), mode="markers", name=name,
                    legendgroup=name, showlegend=name not in legend_seen,
                    marker={"symbol": KIND_SYMBOLS.get(kind, "square"), "color": colours[metric],
                            "size": 9 + 4 * np.minimum(group["n_sources"], 5), "line": {"width": 2}},
                    hovertext=[charts.hover_label(p) for _, p in group.iterrows()],
                    hoverinfo="text", customdata=group["point"],
                ),
                row=row, col=1,
            )
            legend_seen.add(name)
        conflicts = of_unit[of_unit["conflict"]]
        if len(conflicts):
            figure.add_trace(
                go.Scatter(
                    x=conflicts[x_column], y=conflicts["y"], mode="markers", name="sources disagree",
                    legendgroup="conflict", showlegend="conflict" not in legend_seen, hoverinfo="skip",
                    marker={"symbol": "circle-open", "size": 26, "color": CONFLICT_COLOUR, "line": {"width": 3}},
                ),
                row=row, col=1,
            )
            legend_seen.add("conflict")
        figure.update_yaxes(title_text=title, rangemode="tozero", row=row, col=1)
    if not on_time_axis:
        order = pts.sort_values("period_start", na_position="last")["period_label"].unique().tolist()
        figure.update_xaxes(categoryorder="array", categoryarray=order)
    figure.update_layout(height=max(340, 300 * len(units)), margin={"l": 0, "r": 0, "t": 10, "b": 0},
                         legend_title_text="metric (kind)", hoverlabel={"align": "left"})
    return figure


def add_spans(figure: go.Figure, pts: pd.DataFrame, colours: dict[str, str], row: int) -> None:
    """A horizontal bar from the first to the last day of each dated point's period."""
    dated = pts[pts["period_start"].notna()]
    for (metric, kind), group in dated.groupby(["metric", "kind"], sort=True):
        xs, ys = [], []
        for point in group.itertuples():
            xs += [point.period_start, point.period_end + pd.Timedelta(days=1), None]
            ys += [point.y, point.y, None]
        figure.add_trace(
            go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                       legendgroup=f"{metric} ({kind})",
                       line={"color": colours[metric], "width": 3, "dash": KIND_DASH.get(kind, "solid")},
                       opacity=0.5),
            row=row, col=1,
        )


def figure_rows(rows: pd.DataFrame, pts: pd.DataFrame) -> pd.DataFrame:
    """The reports behind the points, with the point's agreement and a readable value."""
    agreeing = pts.set_index("point")["n_sources"]
    return rows.assign(
        shown=[charts.format_value(v, u) for v, u in zip(rows["value"], rows["unit"])],
        **{"agreeing sources": rows["point"].map(agreeing)},
    ).sort_values(["period_start", "metric", "point", "source"], na_position="last")


def figures_section(title: str, rows: pd.DataFrame, on_time_axis: bool, name: str) -> None:
    """One figures chart with its caption, evidence table and download."""
    st.subheader(title)
    if rows.empty:
        st.info("No figures of this kind match the filters.")
        return
    pts = charts.points(rows)
    plotted = pts[pts["period_start"].notna()] if on_time_axis else pts
    undated = len(pts) - len(plotted)
    if len(plotted):
        st.plotly_chart(figures_chart(plotted, on_time_axis), width="stretch", key=f"chart_{name}")
    notes = [f"{len(pts)} point(s) from {len(rows)} report(s)"]
    if (pts["n_sources"] > 1).any():
        notes.append(f"{int((pts['n_sources'] > 1).sum())} confirmed by several sources (bigger markers)")
    if pts["conflict"].any():
        notes.append(f"{int(pts['conflict'].sum())} where sources disagree (ringed red)")
    if undated:
        notes.append(f"{undated} undated, listed in the table only")
    st.caption(" · ".join(notes) + ".")
    evidence_table(figure_rows(rows, pts), FIGURE_COLUMNS, name)


def attention_chart(counts: pd.DataFrame, actors_shown: list[str]) -> go.Figure:
    """Heatmap of mentions per actor (rows, most mentioned first) and source (columns)."""
    totals = counts.groupby("source")["mentions"].sum().sort_values(ascending=False)
    source_order = totals.head(MAX_SOURCE_COLUMNS).index.tolist()
    cells = counts.set_index(["actor", "source"])
    z, hover = [], []
    for actor in actors_shown:
        z_row, hover_row = [], []
        for source in source_order:
            if (actor, source) in cells.index:
                cell = cells.loc[(actor, source)]
                z_row.append(int(cell["mentions"]))
                hover_row.append(
                    f"<b>{html.escape(actor)}</b> · {html.escape(source)}: {int(cell['mentions'])} mention(s)"
                    f"<br>first: “{charts.wrap_html(str(cell['sentence']))}”"
                )
            else:
                z_row.append(0)
                hover_row.append(f"{html.escape(actor)} · {html.escape(source)}: no mention")
        z.append(z_row)
        hover.append(hover_row)
    figure = go.Figure(go.Heatmap(z=z, x=source_order, y=actors_shown, hovertext=hover, hoverinfo="text",
                                  colorscale="Blues", colorbar={"title": {"text": "mentions"}}))
    figure.update_yaxes(autorange="reversed")
    figure.update_layout(height=max(320, 26 * len(actors_shown)), margin={"l": 0, "r": 0, "t": 10, "b": 0},
                         hoverlabel={"align": "left"})
    return figure


def network_chart(layout: pd.DataFrame, edges: pd.DataFrame, mentions_per_actor: pd.Series) -> go.Figure:
    """Actors as nodes (size by mentions), co-occurrence edges (width by shared sentences)."""
    position = layout.set_index("node")[["x", "y"]]
    figure = go.Figure()
    if len(edges):
        heaviest = edges["weight"].max()
        widths = 1 + 7 * np.sqrt(edges["weight"] / heaviest)
        for width, group in edges.assign(width=widths.round()).groupby("width"):
            xs, ys = [], []
            for edge in group.itertuples():
                xs += [position.at[edge.actor_a, "x"], position.at[edge.actor_b, "x"], None]
                ys += [position.at[edge.actor_a, "y"], position.at[edge.actor_b, "y"], None]
            figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                        line={"width": float(width), "color": "rgba(100,116,139,0.45)"}))
        middles = edges.assign(
            x=[(position.at[a, "x"] + position.at[b, "x"]) / 2 for a, b in zip(edges["actor_a"], edges["actor_b"])],
            y=[(position.at[a, "y"] + position.at[b, "y"]) / 2 for a, b in zip(edges["actor_a"], edges["actor_b"])],
        )
        figure.add_trace(go.Scatter(
            x=middles["x"], y=middles["y"], mode="markers", showlegend=False, hoverinfo="text",
            marker={"size": 8, "color": "rgba(100,116,139,0.25)"},
            hovertext=[
                f"<b>{html.escape(e.actor_a)} — {html.escape(e.actor_b)}</b>: {e.weight} sentence(s)"
                f"<br>e.g. {html.escape(str(e.source))}: “{charts.wrap_html(str(e.sentence))}”"
                for e in middles.itertuples()
            ],
        ))
    sizes = mentions_per_actor.reindex(layout["node"]).fillna(0).to_numpy(dtype=float)
    figure.add_trace(go.Scatter(
        x=layout["x"], y=layout["y"], mode="markers+text", text=layout["node"], textposition="top center",
        hovertext=[f"<b>{html.escape(n)}</b>: {int(s)} mention(s)" for n, s in zip(layout["node"], sizes)],
        hoverinfo="text", showlegend=False,
        marker={"size": 10 + 30 * np.sqrt(sizes / max(sizes.max(), 1)), "color": "#60a5fa",
                "line": {"width": 1, "color": "#1e3a8a"}},
    ))
    figure.update_xaxes(visible=False, range=[-1.3, 1.3])
    figure.update_yaxes(visible=False, range=[-1.25, 1.3], scaleanchor="x")
    figure.update_layout(height=620, margin={"l": 0, "r": 0, "t": 10, "b": 0}, hoverlabel={"align": "left"})
    return figure


def sourced_articles() -> pd.DataFrame:
    """The articles with the `source` name every chart and filter uses."""
    frame = store.table("articles")
    return frame.assign(source=ui.source_of(frame).values)


@st.cache_data(max_entries=4, show_spinner=False)
def all_figures(folder: str, version: str) -> pd.DataFrame:
    """Every figure with its period span, source and sentence; folder and version key the cache."""
    return charts.with_context(charts.with_spans(store.table("figures")), sourced_articles())


@st.cache_data(max_entries=32, show_spinner=False)
def chosen_figures(folder: str, version: str, metrics: tuple[str, ...], sources: tuple[str, ...],
                   years: tuple[int, int] | None) -> pd.DataFrame:
    """The figures passing the filters, grouped into points (agreeing sources share one)."""
    figures = all_figures(folder, version)
    return charts.assign_points(charts.select_figures(figures, list(metrics), list(sources), years))


@st.cache_data(max_entries=16, show_spinner=False)
def actor_mentions(folder: str, version: str, sources: tuple[str, ...],
                   years: tuple[int, int] | None) -> pd.DataFrame:
    """Mentions (with `source`) passing the filters; folder and version key the cache."""
    articles = sourced_articles()
    return charts.select_mentions(charts.with_source(store.table("actors"), articles), articles,
                                  list(sources), years)


@st.cache_data(max_entries=32, show_spinner="Counting mentions and co-occurrences…")
def actor_views(folder: str, version: str, sources: tuple[str, ...], years: tuple[int, int] | None,
                top_n: int) -> tuple[list[str], pd.Series, pd.DataFrame, pd.DataFrame]:
    """Top actors, mentions per actor, attention cells and co-occurrence edges (with sentences)."""
    articles = sourced_articles()
    mentions = actor_mentions(folder, version, sources, years)
    shown = charts.top_actors(mentions, top_n)
    counts = charts.with_context(charts.attention(mentions, shown), articles)
    edges = charts.cooccurrence(mentions[mentions["actor"].isin(shown)])
    return shown, mentions.groupby("actor").size(), counts, charts.with_context(edges, articles)


# --- page -----------------------------------------------------------------------------------------

st.title("Figures & charts")
articles = sourced_articles()
if articles.empty:
    st.warning(f"No articles in {store.data_dir()}.")
    st.stop()
data_key = (str(store.data_dir()), store.data_version())
figures = all_figures(*data_key)
metric_options = sorted(figures["metric"].dropna().unique())
source_options = sorted(articles["source"].unique())
span = charts.year_span(figures, articles)
links.share("charts", [
    links.choice(KEY_METRIC, metric_options, many=True),
    links.number(KEY_PERIOD, *(span if span and span[0] < span[1] else (1, 0)), values=2),
    links.choice(KEY_SOURCES, source_options, many=True),
    links.number(KEY_TOP, 1, 60),
    links.number(KEY_MIN_WEIGHT, 1),
    links.number(KEY_MAX_EDGES, 5, 300),
])

with st.sidebar:
    st.header("Filters")
    chosen_metrics = st.multiselect(
        "Metrics", metric_options, key=KEY_METRIC, bind="query-params",
        placeholder="all metrics",
    )
    chosen_years = None
    if span and span[0] < span[1]:
        picked = st.slider("Years", span[0], span[1], span, key=KEY_PERIOD, bind="query-params",
                           help="Figures whose period overlaps these years; actors of articles published in them.")
        chosen_years = None if tuple(picked) == span else tuple(picked)
    chosen_sources = st.multiselect(
        "Sources", source_options, key=KEY_SOURCES, bind="query-params",
        placeholder="all sources",
    )

shown_figures = chosen_figures(*data_key, tuple(chosen_metrics), tuple(chosen_sources), chosen_years)
figures_section(
    "Trade and other money figures over time",
    shown_figures[shown_figures["unit"].isin(charts.MONEY_UNITS)], on_time_axis=True, name="money_figures",
)
figures_section(
    "Growth rates and shares",
    shown_figures[shown_figures["unit"].isin(charts.SHARE_UNITS)], on_time_axis=False, name="growth_figures",
)
quantities = shown_figures[~shown_figures["unit"].isin(charts.MONEY_UNITS | charts.SHARE_UNITS)]
if len(quantities):
    figures_section("Volumes (energy and commodities)", quantities, on_time_axis=True, name="volume_figures")

st.subheader("Actor attention by source")
cache_key = (*data_key, tuple(chosen_sources), chosen_years)
actor_count = actor_mentions(*cache_key)["actor"].nunique()
if actor_count == 0:
    st.info("No actor mentions match the filters.")
    st.stop()
top_n = st.slider("Actors shown", min_value=1, max_value=max(2, min(60, actor_count)),
                  value=min(DEFAULT_TOP, actor_count), key=KEY_TOP, bind="query-params")
actors_shown, per_actor, counts, all_edges = actor_views(*cache_key, top_n)
st.plotly_chart(attention_chart(counts, actors_shown), width="stretch", key="chart_attention")
if counts["source"].nunique() > MAX_SOURCE_COLUMNS:
    st.caption(f"The {MAX_SOURCE_COLUMNS} sources with the most mentions are drawn; the table lists all.")
evidence_table(counts, ["actor", "source", "mentions", "sentence"], "actor_attention")

st.subheader("Who appears with whom")
st.caption("Two actors are linked when they are named in the same sentence; the width counts such sentences.")
heaviest = int(all_edges["weight"].max()) if len(all_edges) else 1
left, right = st.columns(2)
min_weight = left.slider("Minimum shared sentences", 1, max(heaviest, 2), 1, key=KEY_MIN_WEIGHT,
                         bind="query-params")
max_edges = right.slider("Most links drawn", 5, 300, DEFAULT_MAX_EDGES, step=5, key=KEY_MAX_EDGES,
                         bind="query-params")
edges = charts.strongest_edges(all_edges, min_weight, max_edges)
layout = charts.spring_layout(actors_shown, edges)
st.plotly_chart(network_chart(layout, edges, per_actor), width="stretch", key="chart_network")
st.caption(f"{len(edges)} of {len(all_edges)} link(s) among the top {len(actors_shown)} actors drawn.")
evidence_table(edges, ["actor_a", "actor_b", "weight", "source", "sentence"], "cooccurrence", at_column="sent_start")

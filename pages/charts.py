"""Figures & charts: trade and energy figures over time, growth rates, actor attention and co-occurrence.

Every chart point leads back to its sentence: the hover shows it (escaped), the table under the
chart lists the rows behind it with a link into the article, and the CSV button exports them.
Filters live in the sidebar and are bound to the URL, so a filtered view can be shared.

Large corpora: the figures with their points and sentences are built once per data version
(`figure_series.chart_figures`); each run asks SQL for the points drawn (at most MAX_POINTS a chart, the
most reported), one page of each table and the counts of the top actors only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import qualitative

from app import exports, links, markup, sentences, store, ui
from lib.views import figure_series

# Widget keys, also the URL query parameter names.
KEY_METRIC = "metric"
KEY_PERIOD = "period"
KEY_SOURCES = "src"
KEY_TOP = "top"
KEY_MIN_WEIGHT = "minw"
KEY_MAX_EDGES = "edges"
KEY_VIEW = "view"  # the open tab
TABS = ["Money", "Growth and shares", "Volumes", "Actor attention", "Who appears with whom"]
# The tables' pages, bound to the URL: table name → key.
PAGE_KEYS = {
    "money_figures": "money_page",
    "growth_figures": "growth_page",
    "volume_figures": "volume_page",
    "actor_attention": "attention_page",
    "cooccurrence": "links_page",
}

DEFAULT_TOP = 15
MOST_TOP = 60  # the "Actors shown" slider's largest value
DEFAULT_MAX_EDGES = 60
MAX_SOURCE_COLUMNS = 40  # heatmap columns: the sources with the most mentions
MAX_POINTS = 2000  # points drawn in one figures chart: the most reported ones
PER_PAGE = 50  # rows of a table page
KIND_SYMBOLS = {"actual": "circle", "forecast": "diamond-open", "change": "triangle-up"}
KIND_DASH = {"actual": "solid", "forecast": "dash", "change": "dot"}
CONFLICT_COLOUR = "#dc2626"
PALETTE = qualitative.Plotly
FIGURE_COLUMNS = ["source", "metric", "period", "kind", "shown", "surface", "origin", "direction",
                  "point", "agreeing sources", "agreeing stories", "conflict", "sentence"]


def first_pages() -> None:
    """A changed filter starts every table again at its first page."""
    for key in PAGE_KEYS.values():
        st.session_state[key] = 1


def page_offset(rows: int, name: str) -> int:
    """The first row of the page chosen for table `name` (a URL-bound pagination when needed)."""
    pages = max(1, -(-rows // PER_PAGE))
    links.confirm(links.number(PAGE_KEYS[name], 1, pages))
    page = st.pagination(pages, key=PAGE_KEYS[name], bind="query-params") if pages > 1 else 1
    return (min(max(1, int(page or 1)), pages) - 1) * PER_PAGE


def evidence_table(frame: pd.DataFrame, columns: list[str], name: str, total: int,
                   every_row: Callable[[], pd.DataFrame], at_column: str = "start") -> None:
    """One page of the rows behind a chart (a selected row shows its sentence in context, with a
    same-tab link to it), and a CSV download of all `total` rows (`every_row` reads them when asked).

    They sit in a container keyed `rows_<name>` so tests (and CSS) can find them.
    """
    shown = frame.reset_index(drop=True)
    if {"sent_start", "sent_end"} <= set(shown):
        sentence = ("sent_start", "sent_end")
    else:  # the sentence around one offset
        shown, sentence = sentences.around(shown, at_column), ("_at", "_after")
    mark = ("start", "end") if {"start", "end"} <= set(shown) else None
    with st.container(key=f"rows_{name}"):
        sentences.table(shown, columns, f"table_{name}", mark=mark, sentence=sentence,
                        column_config={"sentence": st.column_config.TextColumn("sentence", width="large")})
        if total > PER_PAGE:
            st.caption(f"{PER_PAGE} rows a page; the CSV holds all {total}.")
        exports.download(name, every_row)


def scale_of(unit: str) -> tuple[float, str]:
    """Divisor and axis title of a unit: money in billions, the rest as extracted."""
    return (1e9, f"{unit} bn") if unit in figure_series.MONEY_UNITS else (1.0, unit)


def figures_chart(pts: pd.DataFrame) -> go.Figure:
    """Points on a date axis, one panel per unit, colour by metric, symbol by kind; conflicts
    ringed red. A point sits at its period's middle with a bar over the whole period (a quarter is
    a quarter wide). Panels share one date range, each with its own labelled axis (no linked
    axes). Each marker carries its point id, so a click selects it."""
    pts = pts[pts["period_start"].notna()].fillna({"metric_label": "figure", "kind": "unknown", "unit": "unknown"})
    pts = pts.assign(hover=markup.figure_hovers(pts))
    units = sorted(pts["unit"].unique())
    colours = {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(sorted(pts["metric_label"].unique()))}
    layout = stacked_axes(len(units), date_range(pts))
    traces: list[dict] = []
    legend_seen: set[str] = set()
    for row, unit in enumerate(units, start=1):
        divisor, title = scale_of(unit)
        axes = {"xaxis": f"x{row if row > 1 else ''}", "yaxis": f"y{row if row > 1 else ''}"}
        layout[f"yaxis{row if row > 1 else ''}"]["title"] = {"text": title}
        of_unit = pts[pts["unit"] == unit].assign(y=lambda f, d=divisor: f["value"] / d)
        traces += spans(of_unit, colours, axes)
        for (metric, kind), group in of_unit.groupby(["metric_label", "kind"], sort=True):
            name = f"{metric} ({kind})"
            traces.append({
                "type": "scattergl", **axes, "x": x_values(group), "y": group["y"].to_numpy(float),
                "mode": "markers", "name": name, "legendgroup": name, "showlegend": name not in legend_seen,
                "marker": {"symbol": KIND_SYMBOLS.get(kind, "square"), "color": colours[metric],
                           "size": (9 + 4 * np.minimum(np.minimum(group["n_sources"], group["n_stories"]), 5)).to_numpy(float), "line": {"width": 2}},
                "customdata": group["point"].to_numpy(int), "hovertext": group["hover"].tolist(), "hoverinfo": "text",
            })
            legend_seen.add(name)
        conflicts = of_unit[of_unit["conflict"]]
        if len(conflicts):
            traces.append({
                "type": "scattergl", **axes, "x": x_values(conflicts), "y": conflicts["y"].to_numpy(float),
                "mode": "markers", "name": "sources disagree", "legendgroup": "conflict",
                "showlegend": "conflict" not in legend_seen, "hoverinfo": "skip",
                "customdata": conflicts["point"].to_numpy(int),
                "marker": {"symbol": "circle-open", "size": 26, "color": CONFLICT_COLOUR, "line": {"width": 3}},
            })
            legend_seen.add("conflict")
    layout.update(height=max(340, 300 * len(units)), margin={"l": 0, "r": 0, "t": 10, "b": 0},
                  legend={"title": {"text": "metric (kind)"}}, hoverlabel={"align": "left"}, clickmode="event+select")
    return go.Figure({"data": traces, "layout": layout})


def x_values(pts: pd.DataFrame) -> list[str]:
    """Where points sit: their period's middle (ISO text, quick to send)."""
    return np.datetime_as_string(pts["period_mid"].to_numpy("datetime64[s]"), unit="s").tolist()


def date_range(pts: pd.DataFrame) -> list[str]:
    """The dates every panel shows: from the first period's start to the last one's end, padded."""
    first, last = pts["period_start"].min(), pts["period_end"].max() + pd.Timedelta(days=1)
    pad = max((last - first) * 0.04, pd.Timedelta(days=15))
    return [str((first - pad).date()), str((last + pad).date())]


def stacked_axes(rows: int, x_range: list[str], gap: float = 0.1) -> dict:
    """Layout axes of `rows` panels stacked one above the other, each with its own date axis over
    `x_range` (the same for all, so periods line up without linking the axes)."""
    height = (1 - gap * (rows - 1)) / rows
    layout = {}
    for row in range(1, rows + 1):
        suffix = str(row) if row > 1 else ""
        top = 1 - (row - 1) * (height + gap)
        layout[f"xaxis{suffix}"] = {"anchor": f"y{suffix}", "domain": [0.0, 1.0], "type": "date", "range": x_range}
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "domain": [round(max(0.0, top - height), 6), round(top, 6)],
                                    "rangemode": "tozero"}
    return layout


def spans(pts: pd.DataFrame, colours: dict[str, str], axes: dict) -> list[dict]:
    """Horizontal bars from the first to the last day of each dated point's period: one WebGL
    trace per metric and kind, a missing y between two bars breaking the line."""
    traces = []
    dated = pts[pts["period_start"].notna()]
    for (metric, kind), group in dated.groupby(["metric_label", "kind"], sort=True):
        after = group["period_end"] + pd.Timedelta(days=1)
        xs = np.column_stack([group["period_start"].to_numpy("datetime64[D]"), after.to_numpy("datetime64[D]"),
                              after.to_numpy("datetime64[D]")]).ravel()
        ys = np.column_stack([group["y"], group["y"], np.full(len(group), np.nan)]).ravel()
        traces.append({
            "type": "scattergl", **axes, "x": np.datetime_as_string(xs, unit="D").tolist(),
            "y": ys.astype(float), "mode": "lines", "hoverinfo": "skip",
            "showlegend": False, "legendgroup": f"{metric} ({kind})", "opacity": 0.5,
            "line": {"color": colours[metric], "width": 3, "dash": KIND_DASH.get(kind, "solid")},
        })
    return traces


def figures_section(title: str, chart: str, name: str, figure_filter: tuple[str, list], optional: bool = False) -> None:
    """One figures chart with its caption, the sentences of the points clicked, the evidence
    table and download, for the figures passing `figure_filter` (SQL condition, parameters); an
    `optional` one is left out when none matches."""
    condition, params = figure_filter
    stats = store.query(figure_series.point_stats_sql(condition), chart, *params).iloc[0]
    if optional and not stats["reports"]:
        return
    st.subheader(title)
    if not stats["reports"]:
        st.info("No figures of this kind match the filters.")
        return
    pts = store.query(figure_series.points_sql(condition, True), chart, *params, MAX_POINTS)
    if len(pts):
        state = st.plotly_chart(figures_chart(pts), width="stretch", key=f"chart_{name}", on_select="rerun",
                                selection_mode=("points",))
        clicked_sentences(figure_series.selected_points(state, pts["point"].tolist()), name)
    drawable = int(stats["points"]) - int(stats["undated"])
    notes = [f"{int(stats['points'])} point(s) from {int(stats['reports'])} report(s)"
             + figure_series.story_note(int(stats["reports"]), int(stats["stories"]))]
    if drawable > len(pts):
        notes.append(f"the {len(pts)} most reported drawn")
    if stats["confirmed"]:
        notes.append(f"{int(stats['confirmed'])} confirmed by several sources and stories (bigger markers)")
    if stats["conflicts"]:
        notes.append(f"{int(stats['conflicts'])} where sources disagree (ringed red)")
    if stats["undated"]:
        notes.append(f"{int(stats['undated'])} undated, listed in the table only")
    st.caption(" · ".join(notes) + ". Click a point to read its sentence.")
    total = int(stats["reports"])
    start = page_offset(total, name)
    rows = store.query(figure_series.figure_rows_sql(condition), chart, *params, PER_PAGE, start)
    evidence_table(rows, FIGURE_COLUMNS, name, total,
                   partial(figure_series.figure_export, store.warehouse(), condition, [chart, *params]))


def clicked_sentences(points: list[int], name: str) -> None:
    """The sentences behind the points clicked on a chart, each with a link to it in its article."""
    if not points:
        return
    rows = store.query(figure_series.POINT_SENTENCES_SQL, points, PER_PAGE)
    with st.container(key=f"clicked_{name}", border=True):
        for row in rows.itertuples():
            st.markdown(f"**{ui.literal(row.shown)}** · {ui.literal(row.metric_label)} · {ui.literal(row.source)}")
            sentences.in_context(row.article_id, int(row.start), int(row.end), mark=(int(row.start), int(row.end)))


def attention_chart(cells: pd.DataFrame, actors_shown: list[str]) -> go.Figure:
    """Heatmap of mentions per actor (rows, most mentioned first) and source (columns)."""
    source_order = cells.groupby("source")["mentions"].sum().reset_index().sort_values(
        ["mentions", "source"], ascending=[False, True])["source"].tolist()
    columns = (cells[c].tolist() for c in ["actor", "source", "mentions", "sentence"])
    found = {(actor, source): (int(mentions), sentence) for actor, source, mentions, sentence in zip(*columns)}
    z, hover = [], []
    for actor in actors_shown:
        z_row, hover_row = [], []
        for source in source_order:
            mentions, sentence = found.get((actor, source), (0, None))
            z_row.append(mentions)
            hover_row.append(markup.attention_hover(actor, source, mentions, sentence))
        z.append(z_row)
        hover.append(hover_row)
    return go.Figure({
        "data": [{"type": "heatmap", "z": z, "x": markup.texts(source_order),
                  "y": markup.texts(actors_shown), "hovertext": hover, "hoverinfo": "text",
                  "colorscale": "Blues", "colorbar": {"title": {"text": "mentions"}}}],
        "layout": {"yaxis": {"autorange": "reversed"}, "height": max(320, 26 * len(actors_shown)),
                   "margin": {"l": 0, "r": 0, "t": 10, "b": 0}, "hoverlabel": {"align": "left"}},
    })


def network_chart(layout: pd.DataFrame, edges: pd.DataFrame, mentions_per_actor: pd.Series) -> go.Figure:
    """Actors as nodes (size by mentions), co-occurrence edges (width by shared sentences)."""
    position = dict(zip(layout["node"], zip(layout["x"], layout["y"])))
    traces: list[dict] = []
    if len(edges):
        widths = (1 + 7 * np.sqrt(edges["weight"] / edges["weight"].max())).round()
        for width, group in edges.assign(width=widths).groupby("width"):
            xs, ys = [], []
            for a, b in zip(group["actor_a"], group["actor_b"]):
                xs += [position[a][0], position[b][0], None]
                ys += [position[a][1], position[b][1], None]
            traces.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "hoverinfo": "skip",
                           "showlegend": False, "line": {"width": float(width), "color": "rgba(100,116,139,0.45)"}})
        pairs = list(zip(edges["actor_a"], edges["actor_b"]))
        traces.append({
            "type": "scatter", "mode": "markers", "showlegend": False, "hoverinfo": "text",
            "x": [(position[a][0] + position[b][0]) / 2 for a, b in pairs],
            "y": [(position[a][1] + position[b][1]) / 2 for a, b in pairs],
            "marker": {"size": 8, "color": "rgba(100,116,139,0.25)"},
            "hovertext": [markup.pair_hover(a, b, w, source, sentence)
                          for (a, b), w, source, sentence in zip(pairs, edges["weight"], edges["source"], edges["sentence"])],
        })
    sizes = mentions_per_actor.reindex(layout["node"]).fillna(0).to_numpy(dtype=float)
    traces.append({
        "type": "scatter", "x": layout["x"].tolist(), "y": layout["y"].tolist(), "mode": "markers+text",
        "text": markup.texts(layout["node"]), "textposition": "top center",
        "hovertext": [markup.actor_hover(n, s) for n, s in zip(layout["node"], sizes)],
        "hoverinfo": "text", "showlegend": False,
        "marker": {"size": (10 + 30 * np.sqrt(sizes / max(sizes.max(), 1))).tolist(), "color": "#60a5fa",
                   "line": {"width": 1, "color": "#1e3a8a"}},
    })
    return go.Figure({"data": traces, "layout": {
        "xaxis": {"visible": False, "range": [-1.3, 1.3]},
        "yaxis": {"visible": False, "range": [-1.25, 1.3], "scaleanchor": "x"},
        "height": 620, "margin": {"l": 0, "r": 0, "t": 10, "b": 0}, "hoverlabel": {"align": "left"},
    }})


def attention_section(mentions: str, mention_params: list, top_n: int, actors_shown: list[str],
                      actor_count: int) -> None:
    """The heatmap of mentions per actor and source, and the rows behind it."""
    st.subheader("Actor attention by source")
    cells = store.query(figure_series.attention_sql(mentions), *mention_params, top_n, MAX_SOURCE_COLUMNS)
    st.plotly_chart(attention_chart(cells, actors_shown), width="stretch", key="chart_attention")
    with st.container(key="top_actor_links"):
        st.html(markup.actor_links(actors_shown))  # each actor's page
    notes = [f"The {len(actors_shown)} most mentioned of {actor_count} actors"]
    source_count = int(cells["sources"].iat[0]) if len(cells) else 0
    if source_count > MAX_SOURCE_COLUMNS:
        notes.append(f"the {MAX_SOURCE_COLUMNS} of {source_count} sources with the most mentions are drawn; "
                     "the table lists all")
    st.caption("; ".join(notes) + ".")
    cell_count = int(cells["cells"].iat[0]) if len(cells) else 0
    start = page_offset(cell_count, "actor_attention")
    evidence_table(
        store.query(figure_series.attention_sql(mentions, paged=True), *mention_params, top_n, PER_PAGE, start),
        ["actor", "source", "mentions", "sentence"], "actor_attention", cell_count,
        partial(figure_series.attention_export, store.warehouse(), mentions, [*mention_params, top_n]),
    )


def network_section(mentions: str, mention_params: list, top_n: int, actors_shown: list[str],
                    top: pd.DataFrame) -> None:
    """The co-occurrence network of the top actors, and the pairs behind it."""
    st.subheader("Who appears with whom")
    st.caption("Two actors are linked when they are named in the same sentence; the width counts such sentences.")
    edge_stats = store.query(figure_series.edge_stats_sql(mentions), *mention_params, top_n).iloc[0]
    heaviest = int(edge_stats["heaviest"]) or 1
    left, right = st.columns(2)
    min_weight = left.slider("Minimum shared sentences", 1, max(heaviest, 2), 1, key=KEY_MIN_WEIGHT,
                             bind="query-params", on_change=first_pages)
    max_edges = right.slider("Most links drawn", 5, 300, DEFAULT_MAX_EDGES, step=5, key=KEY_MAX_EDGES,
                             bind="query-params", on_change=first_pages)
    edges = store.query(figure_series.edges_sql(mentions), *mention_params, top_n, min_weight, max_edges)
    layout = figure_series.spring_layout(actors_shown, edges)
    st.plotly_chart(network_chart(layout, edges, top.set_index("actor")["mentions"]), width="stretch",
                    key="chart_network")
    st.caption(f"{len(edges)} of {int(edge_stats['links'])} link(s) among the top {len(actors_shown)} actors drawn.")
    edge_columns = ["actor_a", "actor_b", "weight", "source", "sentence"]
    start = page_offset(len(edges), "cooccurrence")
    evidence_table(edges.iloc[start:start + PER_PAGE], edge_columns, "cooccurrence", len(edges),
                   lambda: edges[[*edge_columns, "article_id", "sent_start"]], at_column="sent_start")


# --- page -----------------------------------------------------------------------------------------

st.title("Figures & charts")
if not store.value("SELECT count(*) FROM articles"):
    st.warning(f"No articles in {store.data_dir()}.")
    st.stop()
store.derived(figure_series.CHART_FIGURES, figure_series.chart_figures)
metric_options = store.query(figure_series.FIGURE_OPTIONS_SQL)["metric"].tolist()
source_options = store.query("SELECT DISTINCT source FROM sources ORDER BY source")["source"].tolist()
years = store.query(figure_series.YEAR_SPAN_SQL).iloc[0]
span = (int(years["first"]), int(years["last"])) if pd.notna(years["first"]) else None
links.share("charts", [
    links.choice(KEY_METRIC, metric_options, many=True),
    links.number(KEY_PERIOD, *(span if span and span[0] < span[1] else (1, 0)), values=2),
    links.choice(KEY_SOURCES, source_options, many=True),
    links.number(KEY_TOP, 1, MOST_TOP),
    links.number(KEY_MIN_WEIGHT, 1),
    links.number(KEY_MAX_EDGES, 5, 300),
    links.choice(KEY_VIEW, TABS),
    *(links.number(key, 1) for key in PAGE_KEYS.values()),
])

with st.sidebar:
    st.header("Filters")
    chosen_metrics = st.multiselect(
        "Metrics", metric_options, key=KEY_METRIC, bind="query-params",
        placeholder="all metrics", on_change=first_pages,
    )
    chosen_years = None
    if span and span[0] < span[1]:
        picked = st.slider("Years", span[0], span[1], span, key=KEY_PERIOD, bind="query-params",
                           on_change=first_pages,
                           help="Figures whose period overlaps these years; actors of articles published in them.")
        chosen_years = None if tuple(picked) == span else tuple(picked)
    chosen_sources = st.multiselect(
        "Sources", source_options, key=KEY_SOURCES, bind="query-params",
        placeholder="all sources", on_change=first_pages,
    )

chosen = figure_series.Filters(tuple(chosen_metrics), tuple(chosen_sources), chosen_years)
figure_filter = figure_series.figure_filter(chosen)
money_tab, growth_tab, volume_tab, attention_tab, network_tab = st.tabs(TABS, key=KEY_VIEW, bind="query-params")
if money_tab.open:  # only the open tab is drawn: one chart at a time
    with money_tab:
        figures_section("Trade and other money figures over time", figure_series.MONEY, "money_figures", figure_filter)
if growth_tab.open:
    with growth_tab:
        figures_section("Growth rates and shares", figure_series.SHARES, "growth_figures", figure_filter)
if volume_tab.open:
    with volume_tab:
        figures_section("Volumes (energy and commodities)", figure_series.VOLUMES, "volume_figures", figure_filter)

mentions, mention_params = figure_series.mention_filter(chosen)
if attention_tab.open or network_tab.open:
    top = store.query(figure_series.top_actors_sql(mentions), *mention_params, MOST_TOP)
    actor_count = int(top["actors"].iat[0]) if len(top) else 0
    if actor_count == 0:
        st.info("No actor mentions match the filters.")
        st.stop()
    top_n = st.sidebar.slider("Actors shown", min_value=1, max_value=max(2, min(MOST_TOP, actor_count)),
                              value=min(DEFAULT_TOP, actor_count), key=KEY_TOP, bind="query-params",
                              on_change=first_pages, help="The most mentioned actors, in the attention and "
                              "co-occurrence charts.")
    actors_shown = top["actor"].head(top_n).tolist()

if attention_tab.open:
    with attention_tab:
        attention_section(mentions, mention_params, top_n, actors_shown, actor_count)
if network_tab.open:
    with network_tab:
        network_section(mentions, mention_params, top_n, actors_shown, top)

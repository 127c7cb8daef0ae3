"""Aggregations behind the Figures & charts page: figures placed in time, actor attention, co-occurrence.

Pure (no streamlit), so every number a chart shows can be unit-tested on a small `Warehouse`:

* `period_bounds` turns a period in the project notation (`2022`, `2023-Q1`, `2023-05`,
  `2023-01-01/2023-05-24`) into its first and last day, so a range is drawn as a span, not a day.
* `chart_figures` builds, once per data version, every figure with its span, source, sentence
  and `point`: reports of the same fact (the cross-article step's `fact_id`) share a point, and a
  point is a `conflict` when its figures are (the step's `conflict`): Charts and Compare read one
  definition. A range is drawn at its middle. The page registers it as CHART_FIGURES.
* The `*_sql` functions return the SQL (with `?` parameters) of what the page shows: the points
  of the chosen figures (agreeing sources counted, disagreeing points of one figure flagged
  `conflict`), a page of the reports behind them, mentions per actor and source, and the
  sentences two actors share. Sentences are cut from the article text in SQL, only for the rows
  returned.
* `spring_layout` places the network's nodes deterministically.

Everything here is data; the hovers built from it are HTML made in `app.markup`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.contract.periods import interval, to_quarter
from lib.contract.schema import signed
from lib.contract.values import metric_label, shown_value
from lib.views.quote_search import csv_bytes
from lib.views.warehouse import SOURCE_OF, STORY_OF

MONEY_UNITS = frozenset({"USD", "CNY", "EUR", "GBP", "INR", "RUB"})
SHARE_UNITS = frozenset({"percent", "ratio", "percentage_points"})
SENTENCE_CHARS = 240  # a sentence longer than this is cut in hovers and tables
UNDATED = "undated"
CHART_FIGURES = "chart_figures"  # the derived table of `chart_figures`
MONEY, SHARES, VOLUMES = "money", "shares", "volumes"  # the figure groups, one chart each


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices: metrics and sources (empty = all) and a year range (None = all)."""

    metrics: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    years: tuple[int, int] | None = None


# --- periods --------------------------------------------------------------------------------------


def period_bounds(period: str | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last day covered by a period (`2022`, `2023-Q1`, `A/B` ranges); None if unknown."""
    span = interval(period) if isinstance(period, str) else None
    return (pd.Timestamp(span[0]), pd.Timestamp(span[1])) if span else None


def period_label(period: str | None) -> str:
    """A readable period: whole quarters as `YYYY-Qn`, a missing period as "undated"."""
    if not isinstance(period, str) or period_bounds(period) is None:
        return UNDATED
    return str(to_quarter(period))


def with_spans(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures with `period_start`, `period_end` (inclusive), `period_mid` and `period_label`.

    Each distinct period is read once (a corpus repeats few periods many times).
    """
    periods = figures["period"].astype(object).where(figures["period"].notna(), None).tolist()
    known = {p: (period_bounds(p), period_label(p)) for p in set(periods)}
    bounds = [known[p][0] for p in periods]
    start = pd.to_datetime(pd.Series([b[0] if b else pd.NaT for b in bounds], index=figures.index, dtype=object))
    end = pd.to_datetime(pd.Series([b[1] if b else pd.NaT for b in bounds], index=figures.index, dtype=object))
    return figures.assign(
        period_start=start,
        period_end=end,
        period_mid=start + (end - start) / 2,
        period_label=pd.Series([known[p][1] for p in periods], index=figures.index, dtype=object),
    )


# --- sentences ------------------------------------------------------------------------------------


def sentence_sql(text: str, start: str, end: str) -> str:
    """SQL expression of the sentence `text[start:end]`: whitespace collapsed, cut at a word
    boundary to SENTENCE_CHARS characters with an ellipsis when cut (like `truncate`)."""
    flat = rf"trim(regexp_replace(substring({text}, {start} + 1, {end} - {start}), '[\s\x{{0b}}\x{{1c}}-\x{{1f}}\x{{85}}\pZ]+', ' ', 'g'))"
    return (f"CASE WHEN length({flat}) <= {SENTENCE_CHARS} THEN {flat} "
            f"ELSE regexp_replace(left({flat}, {SENTENCE_CHARS}), ' [^ ]*$', '') || '…' END")


def truncate(text: str, limit: int = SENTENCE_CHARS) -> str:
    """Text cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


# --- figures: agreeing sources become one point ---------------------------------------------------

FIGURES_SQL = f"""
SELECT f.article_id, f.surface, f.start, f."end",
       CASE WHEN f.value IS NULL OR isnan(f.value) THEN (f.low + f.high) / 2 ELSE f.value END AS value, f.trend, f.unit, f.metric,
       f.period, f.kind, f.direction, f.origin, f.sent_start, f.sent_end, {SOURCE_OF} AS source,
       {STORY_OF} AS story,
       f.fact_id, coalesce(f.conflict, false) AS conflict, (f.value IS NULL OR isnan(f.value)) AS ranged,
       {sentence_sql("a.text", "f.sent_start", "f.sent_end")} AS sentence
FROM figures f LEFT JOIN articles a USING (article_id) LEFT JOIN sources s USING (article_id)
     LEFT JOIN stories USING (article_id)
WHERE f.converted_from IS NULL  -- a restatement in another currency is the figure it restates
  AND NOT ((f.value IS NULL OR isnan(f.value)) AND (f.low IS NULL OR f.high IS NULL OR isnan(f.low) OR isnan(f.high)))
ORDER BY f.article_id, f.start
"""


def chart_figures(warehouse) -> pd.DataFrame:
    """Every figure with its span, `source`, `sentence`, `point`, `conflict`, `chart`, readable
    `metric_label` and `shown` value ("$190 bn", the article's words for a multiple or a range).

    Built once per data version: points are the facts of the whole corpus, so a filter only picks
    reports.
    """
    rows = warehouse.query(FIGURES_SQL)
    rows["value"] = [signed(v, t) for v, t in zip(rows["value"], rows["trend"])]  # a fall is charted below zero
    rows = with_spans(rows.drop(columns="trend"))
    own = pd.Series([f"row-{i}" for i in range(len(rows))], index=rows.index, dtype=object)  # in no fact: alone
    return rows.assign(
        chart=pd.Series([figure_group(u) for u in rows["unit"]], index=rows.index, dtype=object),
        shown=pd.Series([shown_value({"value": None if ranged else value, "unit": unit, "surface": surface})
                         for value, unit, surface, ranged in zip(rows["value"], rows["unit"], rows["surface"], rows["ranged"])],
                        index=rows.index, dtype=object),
        metric_label=pd.Series([metric_label(m) for m in rows["metric"]], index=rows.index, dtype=object),
        sentence=rows["sentence"].fillna("").astype(object),
        point=pd.Series(pd.factorize(rows["fact_id"].astype(object).where(rows["fact_id"].notna(), own))[0],
                        index=rows.index, dtype="int64"),
        conflict=rows["conflict"].astype(bool),
    ).drop(columns=["fact_id", "ranged"])


def figure_group(unit: str | None) -> str:
    """Which chart a unit belongs to: money, shares (growth rates, ratios) or volumes."""
    money = unit in MONEY_UNITS or (isinstance(unit, str) and len(unit) == 3 and unit.isalpha() and unit.isupper())
    return MONEY if money else SHARES if unit in SHARE_UNITS else VOLUMES  # any ISO currency code is money


def figure_filter(chosen: Filters) -> tuple[str, list]:
    """SQL condition on CHART_FIGURES for the chosen metrics, sources and years, and its parameters.

    With years, only figures whose period overlaps them are kept (undated ones drop out).
    """
    clauses, params = [], []
    if chosen.metrics:
        clauses.append("list_contains(?, metric)")
        params.append(list(chosen.metrics))
    if chosen.sources:
        clauses.append("list_contains(?, source)")
        params.append(list(chosen.sources))
    if chosen.years is not None:
        clauses.append("period_start <= ? AND period_end >= ?")
        params += [pd.Timestamp(chosen.years[1], 12, 31).to_pydatetime(),
                   pd.Timestamp(chosen.years[0], 1, 1).to_pydatetime()]
    return " AND ".join(clauses) or "TRUE", params


def _points_cte(condition: str) -> str:
    """CTEs `shown` (the chart's reports passing `condition`; first parameter: the chart) and
    `pts` (one row per point: agreement over the shown reports, `conflict` between points)."""
    return f"""
    WITH shown AS (SELECT * FROM {CHART_FIGURES} WHERE chart = ? AND {condition}),
    agg AS (
        SELECT point, any_value(metric) AS metric, any_value(unit) AS unit, any_value(kind) AS kind,
               any_value(period_start) AS period_start, any_value(period_end) AS period_end,
               any_value(period_mid) AS period_mid, any_value(period_label) AS period_label,
               median(value) AS value, bool_or(conflict) AS conflict, array_to_string(list_sort(list_distinct(list(source))), ', ') AS sources,
               count(DISTINCT source) AS n_sources, count(*) AS n_reports, count(DISTINCT story) AS n_stories,
               first(sentence ORDER BY article_id, start) AS sentence,
               first(article_id ORDER BY article_id, start) AS article_id,
               first(start ORDER BY article_id, start) AS start,
               any_value(metric_label) AS metric_label
        FROM shown GROUP BY point),
    pts AS (SELECT * FROM agg)
    """


def point_stats_sql(condition: str) -> str:
    """Counts for a chart's caption: points, reports, the stories reporting them (a story carried
    by several outlets once per point), confirmed (by several sources telling several stories: a
    copied story alone confirms nothing), conflicts, undated."""
    return _points_cte(condition) + """
    SELECT count(*) AS points, coalesce(sum(n_reports), 0) AS reports, coalesce(sum(n_stories), 0) AS stories,
           count(*) FILTER (n_sources > 1 AND n_stories > 1) AS confirmed, count(*) FILTER (conflict) AS conflicts,
           count(*) FILTER (period_start IS NULL) AS undated
    FROM pts
    """



def story_note(reports: int, stories: int) -> str:
    """" (4 counting a copied story once)" when copies of a story (or repeats in one article)
    make the reports more than the stories behind the points, else ""."""
    return f" ({stories} counting a copied story once)" if stories < reports else ""


def points_sql(condition: str, dated_only: bool) -> str:
    """The points drawn (parameters: chart, the filter's, limit): those in most stories (a copied
    story once) first when there are more than the limit. `dated_only` leaves undated points out (a time axis)."""
    dated = "WHERE period_start IS NOT NULL" if dated_only else ""
    return _points_cte(condition) + f"SELECT * FROM pts {dated} ORDER BY n_stories DESC, n_sources DESC, n_reports DESC, point LIMIT ?"


FIGURE_ROW_COLUMNS = """source, metric_label AS metric, period, kind, shown, surface, origin, direction, point,
       n_sources AS "agreeing sources", n_stories AS "agreeing stories", point_conflict AS conflict, sentence,
       article_id, start, "end", sent_start, sent_end"""


def figure_rows_sql(condition: str, paged: bool = True) -> str:
    """The reports behind a chart, by period (parameters: chart, the filter's, and limit, offset
    when `paged`), each with its point's agreeing sources and conflict over the shown reports."""
    page = "LIMIT ? OFFSET ?" if paged else ""
    return _points_cte(condition) + f"""
    SELECT {FIGURE_ROW_COLUMNS} FROM shown
    JOIN (SELECT point, n_sources, n_stories, conflict AS point_conflict FROM pts) USING (point)
    ORDER BY period_start NULLS LAST, metric NULLS LAST, point, source, article_id, start {page}
    """


POINT_SENTENCES_SQL = f"""
SELECT shown, metric_label, source, sentence, article_id, start, "end" FROM {CHART_FIGURES}
WHERE list_contains(?, point) ORDER BY point, article_id, start LIMIT ?
"""  # the reports of the points clicked (parameters: the points, how many rows)


def selected_points(state, drawn: list[int]) -> list[int]:
    """The points clicked on a chart (its selection state), among the points it draws."""
    selection = (state or {}).get("selection") or {}
    known = set(drawn)
    found = []
    for point in selection.get("points", []):
        value = point.get("customdata")
        value = value[0] if isinstance(value, list) and value else value
        if isinstance(value, (int, float)) and int(value) in known and int(value) not in found:
            found.append(int(value))
    return found


def figure_export(warehouse, condition: str, params: list) -> pd.DataFrame:
    """Every report behind a chart (the filters' rows, not a page), for a download."""
    return warehouse.query(figure_rows_sql(condition, paged=False), params)


def figure_csv(warehouse, condition: str, params: list) -> bytes:
    """CSV of every report behind a chart, formula-like cells defused."""
    return csv_bytes(figure_export(warehouse, condition, params))


FIGURE_OPTIONS_SQL = f"SELECT DISTINCT metric FROM {CHART_FIGURES} WHERE metric IS NOT NULL ORDER BY metric"
YEAR_SPAN_SQL = f"""
SELECT min(y) AS first, max(y) AS last FROM (
    SELECT year(period_start) AS y FROM {CHART_FIGURES} UNION ALL SELECT year(period_end) FROM {CHART_FIGURES}
    UNION ALL SELECT year(try_cast(published AS DATE)) FROM articles)
"""  # first and last year of any figure period or publication date (NULL when there is none)


def wrap(text: str, width: int = 70) -> list[str]:
    """Lines of at most `width` characters, broken between words; a word longer than a line
    fills the current line and goes on in the next ones.

    Like `textwrap.wrap` without breaking at hyphens, and faster: hovers wrap many sentences a run.
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        while word:
            gap = 1 if line else 0
            if len(line) + gap + len(word) <= width:
                line, word = line + " " * gap + word, ""
                continue
            room = width - len(line) - gap
            if len(word) > width and room > 0:
                line, word = line + " " * gap + word[:room], word[room:]
            lines.append(line)
            line = ""
    if line:
        lines.append(line)
    return lines


# --- actors: attention and co-occurrence ----------------------------------------------------------


def mention_filter(chosen: Filters) -> tuple[str, list]:
    """CTE `mentions` (actor mentions with `source`) of the chosen sources, in articles published
    in the chosen years, and its parameters; the metrics do not apply to actors."""
    clauses, params = [], []
    if chosen.sources:
        clauses.append("list_contains(?, s.source)")
        params.append(list(chosen.sources))
    if chosen.years is not None:
        clauses.append("year(try_cast(a.published AS DATE)) BETWEEN ? AND ?")
        params += list(chosen.years)
    condition = " AND ".join(clauses) or "TRUE"
    return f"""
    WITH picked AS (SELECT a.article_id, s.source FROM articles a JOIN sources s USING (article_id)
                    WHERE {condition}),
    mentions AS (SELECT m.actor, m.article_id, m.start, m.sent_start, m.sent_end, picked.source
                 FROM actors m JOIN picked USING (article_id))
    """, params


def top_actors_sql(mentions: str) -> str:
    """The most mentioned actors (ties by name) with their mentions and `actors`, how many
    actors are mentioned at all (parameters: the filter's, limit)."""
    return mentions + """
    SELECT actor, count(*) AS mentions, count(*) OVER () AS actors FROM mentions
    GROUP BY actor ORDER BY mentions DESC, actor LIMIT ?
    """


def _cells_cte(mentions: str) -> str:
    """CTEs `top` (the top actors; parameter: how many) and `cells` (mentions per actor and
    source with the first mention's place, most mentions first)."""
    return mentions + """,
    top AS (SELECT actor FROM mentions GROUP BY actor ORDER BY count(*) DESC, actor LIMIT ?),
    cells AS (
        SELECT actor, source, count(*) AS mentions,
               first(article_id ORDER BY article_id, start) AS article_id,
               first(start ORDER BY article_id, start) AS start,
               first(sent_start ORDER BY article_id, start) AS sent_start,
               first(sent_end ORDER BY article_id, start) AS sent_end
        FROM mentions JOIN top USING (actor) GROUP BY actor, source),
    totals AS (SELECT source, sum(mentions) AS total FROM cells GROUP BY source)
    """


def attention_sql(mentions: str, paged: bool = False) -> str:
    """Mentions per top actor and source with the first mention's sentence, most mentions first.

    Parameters: the filter's, the number of actors, then the number of sources (the most
    mentioned; a heatmap's columns) or, when `paged`, limit and offset over every cell.
    Column `cells` counts every cell and `sources` every source of them.
    """
    if paged:
        kept, page = "", "LIMIT ? OFFSET ?"
    else:
        kept = "WHERE source IN (SELECT source FROM totals ORDER BY total DESC, source LIMIT ?)"
        page = ""
    return _cells_cte(mentions) + f"""
    SELECT c.actor, c.source, c.mentions, c.article_id, c.start,
           {sentence_sql("a.text", "c.sent_start", "c.sent_end")} AS sentence, c.cells, c.sources
    FROM (SELECT *, count(*) OVER () AS cells, (SELECT count(*) FROM totals) AS sources FROM cells) c
    JOIN articles a USING (article_id) {kept}
    ORDER BY c.mentions DESC, c.actor, c.source {page}
    """


def attention_export(warehouse, mentions: str, params: list) -> pd.DataFrame:
    """Every attention cell (parameters: the filter's and the number of actors), for a download."""
    frame = warehouse.query(attention_sql(mentions, paged=True), [*params, 2**62, 0])
    return frame[["actor", "source", "mentions", "sentence", "article_id", "start"]]


def attention_csv(warehouse, mentions: str, params: list) -> bytes:
    """CSV of every attention cell, formula-like cells defused."""
    return csv_bytes(attention_export(warehouse, mentions, params))


def _pairs_cte(mentions: str) -> str:
    """CTEs `top` (the top actors; parameter: how many) and `pairs`: pairs of distinct top actors
    named in the same sentence, `weight` = number of such sentences, `actor_a` < `actor_b`, with
    the first shared sentence (by article and place) and its source."""
    return mentions + """,
    top AS (SELECT actor FROM mentions GROUP BY actor ORDER BY count(*) DESC, actor LIMIT ?),
    once AS (SELECT DISTINCT article_id, sent_start, sent_end, actor, source FROM mentions JOIN top USING (actor)),
    pairs AS (
        SELECT x.actor AS actor_a, y.actor AS actor_b, count(*) AS weight,
               first(x.article_id ORDER BY x.article_id, x.sent_start, x.sent_end) AS article_id,
               first(x.sent_start ORDER BY x.article_id, x.sent_start, x.sent_end) AS sent_start,
               first(x.sent_end ORDER BY x.article_id, x.sent_start, x.sent_end) AS sent_end,
               first(x.source ORDER BY x.article_id, x.sent_start, x.sent_end) AS source
        FROM once x JOIN once y USING (article_id, sent_start, sent_end)
        WHERE x.actor < y.actor GROUP BY x.actor, y.actor)
    """


def edge_stats_sql(mentions: str) -> str:
    """How many pairs of top actors share a sentence (`links`) and the `heaviest` weight (0 when
    none). Parameters: the filter's, the number of actors."""
    return _pairs_cte(mentions) + "SELECT count(*) AS links, coalesce(max(weight), 0) AS heaviest FROM pairs"


def edges_sql(mentions: str) -> str:
    """The heaviest pairs (ties by name) of at least a minimum weight, with their first shared
    `sentence`, `source`, `article_id` and `sent_start`. Parameters: the filter's, the number of
    actors, the minimum weight, the number of pairs."""
    return _pairs_cte(mentions) + f"""
    SELECT p.actor_a, p.actor_b, p.weight, p.source, p.article_id, p.sent_start,
           {sentence_sql("a.text", "p.sent_start", "p.sent_end")} AS sentence
    FROM (SELECT * FROM pairs WHERE weight >= ? ORDER BY weight DESC, actor_a, actor_b LIMIT ?) p
    JOIN articles a USING (article_id) ORDER BY p.weight DESC, p.actor_a, p.actor_b
    """


def circular_layout(nodes: list[str]) -> np.ndarray:
    """Nodes evenly on the unit circle, first at the top: the start of `spring_layout`."""
    angles = np.pi / 2 - 2 * np.pi * np.arange(len(nodes)) / max(len(nodes), 1)
    return np.column_stack([np.cos(angles), np.sin(angles)])


def spring_layout(nodes: list[str], edges: pd.DataFrame, iterations: int = 80) -> pd.DataFrame:
    """Deterministic Fruchterman–Reingold layout: `node`, `x`, `y` in about [-1, 1].

    Starts from the circle, so the same graph always gets the same picture; heavier edges pull
    harder (weights are log-scaled so one dominant pair does not collapse the drawing).
    """
    positions = circular_layout(nodes)
    count = len(nodes)
    if count > 1 and len(edges):
        index = {name: i for i, name in enumerate(nodes)}
        known = edges[edges["actor_a"].isin(index) & edges["actor_b"].isin(index)]
        a = known["actor_a"].map(index).to_numpy(dtype=int)
        b = known["actor_b"].map(index).to_numpy(dtype=int)
        weight = 1 + np.log(known["weight"].to_numpy(dtype=float))
        k = np.sqrt(4.0 / count)
        temperature = 0.1
        for _ in range(iterations):
            delta = positions[:, None, :] - positions[None, :, :]
            distance = np.maximum(np.linalg.norm(delta, axis=-1), 1e-3)
            force = (delta * (k * k / distance**2)[..., None]).sum(axis=1)
            pull = positions[a] - positions[b]
            length = np.maximum(np.linalg.norm(pull, axis=-1), 1e-3)
            step = pull * (weight * length / k)[:, None]
            np.add.at(force, a, -step)
            np.add.at(force, b, step)
            size = np.maximum(np.linalg.norm(force, axis=-1), 1e-9)
            positions = positions + force / size[:, None] * np.minimum(size, temperature)[:, None]
            temperature *= 0.97
        positions = positions - positions.mean(axis=0)
        positions = positions / max(np.abs(positions).max(), 1e-9)
    return pd.DataFrame({"node": nodes, "x": positions[:, 0], "y": positions[:, 1]})

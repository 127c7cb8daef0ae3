"""Aggregations behind the Figures & charts page: figures placed in time, actor attention, co-occurrence.

Pure pandas/numpy (no streamlit), so every number a chart shows can be unit-tested:

* `period_bounds` turns a period in the project notation (`2022`, `2023-Q1`, `2023-05`,
  `2023-01-01/2023-05-24`) into its first and last day, so a range is drawn as a span, not a day.
* `assign_points` / `points` merge reports of the same figure: same metric, unit, kind and period,
  values within `AGREEMENT_TOLERANCE` → one point listing every source. Reports of the same
  metric and period that disagree stay separate points, all flagged `conflict`.
* `attention` counts mentions per actor per source; `cooccurrence` counts the sentences in which
  two actors appear together; `spring_layout` places the network's nodes deterministically.
  They run on every mention, so they take `with_source` rows and return the place of one example
  sentence; `with_context` then adds its text to the few rows shown.

Frames named `articles` here need `article_id`, `text` and a `source` column (the page adds the
source name); text is untrusted, so `hover_label` escapes everything it puts into plotly HTML.
"""

from __future__ import annotations

import html
import textwrap

import numpy as np
import pandas as pd

from lib.dates import interval, to_quarter

MONEY_UNITS = frozenset({"USD", "CNY", "EUR", "GBP", "INR", "RUB"})
SHARE_UNITS = frozenset({"percent", "ratio", "percentage_points"})
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}
SCALE_WORDS = ((1e12, "trn"), (1e9, "bn"), (1e6, "m"))
AGREEMENT_TOLERANCE = 0.01  # relative difference under which two reports give the same figure
SENTENCE_CHARS = 240  # a sentence longer than this is cut in hovers and tables
UNDATED = "undated"
POINT_KEY = ["metric", "unit", "kind", "period_start", "period_end"]


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
    """Figures with `period_start`, `period_end` (inclusive), `period_mid` and `period_label`."""
    bounds = [period_bounds(p) for p in figures["period"]]
    start = pd.to_datetime(pd.Series([b[0] if b else pd.NaT for b in bounds], index=figures.index))
    end = pd.to_datetime(pd.Series([b[1] if b else pd.NaT for b in bounds], index=figures.index))
    return figures.assign(
        period_start=start,
        period_end=end,
        period_mid=start + (end - start) / 2,
        period_label=[period_label(p) for p in figures["period"]],
    )


def overlaps_years(starts: pd.Series, ends: pd.Series, first: int, last: int) -> pd.Series:
    """Whether each span overlaps the years `first`..`last` (a missing span never does)."""
    low, high = pd.Timestamp(first, 1, 1), pd.Timestamp(last, 12, 31)
    return (starts <= high) & (ends >= low) & starts.notna() & ends.notna()


# --- context: sources and sentences ---------------------------------------------------------------


def truncate(text: str, limit: int = SENTENCE_CHARS) -> str:
    """Text cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def with_source(rows: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Rows with the `source` of their article (cheap: use it before aggregating many rows)."""
    sources = dict(zip(articles["article_id"], articles["source"]))
    return rows.assign(source=[sources.get(a, a) for a in rows["article_id"]])


def with_context(rows: pd.DataFrame, articles: pd.DataFrame, limit: int = SENTENCE_CHARS) -> pd.DataFrame:
    """Rows with the `source` of their article and their `sentence` (truncated plain text)."""
    texts = dict(zip(articles["article_id"], articles["text"]))
    sentences = [
        truncate((texts.get(a) or "")[int(s) : int(e)], limit)
        for a, s, e in zip(rows["article_id"], rows["sent_start"], rows["sent_end"])
    ]
    return with_source(rows, articles).assign(sentence=pd.Series(sentences, index=rows.index, dtype="object"))


# --- figures: agreeing sources become one point ---------------------------------------------------


def _clusters(values: np.ndarray, tolerance: float) -> np.ndarray:
    """Cluster number of each value: sorted values within `tolerance` of a cluster's first join it."""
    order = np.argsort(values, kind="stable")
    labels = np.empty(len(values), dtype=int)
    cluster, reference = -1, None
    for i in order:
        value = values[i]
        if reference is None or abs(value - reference) > tolerance * max(abs(reference), 1e-12):
            cluster, reference = cluster + 1, value
        labels[i] = cluster
    return labels


def assign_points(figures: pd.DataFrame, tolerance: float = AGREEMENT_TOLERANCE) -> pd.DataFrame:
    """Figures (with spans) plus `point` (shared by agreeing reports) and `conflict`.

    Reports agree when metric, unit, kind and period span are equal and values lie within
    `tolerance` (relative). Several values for one metric, kind and span flag every point there.
    """
    if figures.empty:
        return figures.assign(point=pd.Series(dtype="int64"), conflict=pd.Series(dtype=bool))
    frame = figures.copy()
    key = pd.Series(["|".join(map(str, row)) for row in frame[POINT_KEY].itertuples(index=False)],
                    index=frame.index)
    cluster = pd.Series(0, index=frame.index)
    for _, group in frame.groupby(key, sort=False):
        cluster.loc[group.index] = _clusters(group["value"].to_numpy(dtype=float), tolerance)
    full_key = key + "|" + cluster.astype(str)
    frame["point"] = pd.factorize(full_key, sort=True)[0]
    frame["conflict"] = cluster.groupby(key).transform("nunique").gt(1).to_numpy()
    return frame


def points(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per point of `assign_points` output (needs `source` and `sentence` columns).

    `value` is the median of the agreeing reports; `sources` lists them (sorted, unique);
    the first report gives the example `sentence`, `article_id` and `start` to link to.
    """
    columns = POINT_KEY + ["period_mid", "period_label", "point", "conflict", "value", "sources",
                           "n_sources", "n_reports", "sentence", "article_id", "start"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    ordered = rows.sort_values(["point", "article_id", "start"])
    grouped = ordered.groupby("point", sort=True)
    out = grouped.agg(
        metric=("metric", "first"),
        unit=("unit", "first"),
        kind=("kind", "first"),
        period_start=("period_start", "first"),
        period_end=("period_end", "first"),
        period_mid=("period_mid", "first"),
        period_label=("period_label", "first"),
        conflict=("conflict", "first"),
        value=("value", "median"),
        sources=("source", lambda s: sorted(set(s))),
        n_reports=("source", "size"),
        sentence=("sentence", "first"),
        article_id=("article_id", "first"),
        start=("start", "first"),
    ).reset_index()
    out["n_sources"] = out["sources"].map(len)
    return out[columns]


def format_value(value: float, unit: str | None) -> str:
    """A figure as a reader writes it: "$190 bn", "40%", "×2", "12 bn CNY", "5 pp"."""
    if unit == "percent":
        return f"{value:g}%"
    if unit == "percentage_points":
        return f"{value:g} pp"
    if unit == "ratio":
        return f"×{value:g}"
    number = f"{value:g}"
    for factor, word in SCALE_WORDS:
        if abs(value) >= factor:
            number = f"{value / factor:.3g} {word}"
            break
    sign = CURRENCY_SIGNS.get(str(unit))
    return f"{sign}{number}" if sign else f"{number} {unit or ''}".strip()


def wrap_html(text: str, width: int = 70) -> str:
    """Escaped text with `<br>` line breaks, for plotly hovers (which do not wrap)."""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text, width)) or ""


def hover_label(point: pd.Series) -> str:
    """Hover HTML of one point: value, metric, period, kind, sources and sentence, all escaped."""
    sources = ", ".join(point["sources"]) if isinstance(point["sources"], list) else str(point["sources"])
    lines = [
        f"<b>{html.escape(format_value(point['value'], point['unit']))}</b> "
        f"{html.escape(str(point['metric']))} · {html.escape(str(point['period_label']))} "
        f"({html.escape(str(point['kind']))})",
        f"sources ({int(point['n_sources'])}): {wrap_html(sources)}",
    ]
    if bool(point["conflict"]):
        lines.append("<b>⚠ sources disagree on this figure</b>")
    lines.append("“" + wrap_html(str(point["sentence"])) + "”")
    return "<br>".join(lines)


# --- actors: attention and co-occurrence ----------------------------------------------------------


def top_actors(actors: pd.DataFrame, n: int) -> list[str]:
    """The `n` actors with the most mentions (ties broken by name, so the choice is stable)."""
    counts = actors.groupby("actor").size().reset_index(name="mentions")
    counts = counts.sort_values(["mentions", "actor"], ascending=[False, True])
    return counts["actor"].head(n).tolist()


def attention(mentions: pd.DataFrame, actors_shown: list[str]) -> pd.DataFrame:
    """Mentions per actor per source (needs `source`), with the first mention's place as example.

    Add the example `sentence` afterwards with `with_context` (cheaper than on every mention).
    """
    columns = ["actor", "source", "mentions", "article_id", "start", "sent_start", "sent_end"]
    kept = mentions[mentions["actor"].isin(actors_shown)]
    if kept.empty:
        return pd.DataFrame(columns=columns)
    ordered = kept.sort_values(["article_id", "start"])
    out = ordered.groupby(["actor", "source"], as_index=False).agg(
        mentions=("start", "size"),
        **{c: (c, "first") for c in ["article_id", "start", "sent_start", "sent_end"]},
    )
    return out.sort_values(["mentions", "actor", "source"], ascending=[False, True, True])[columns]


def cooccurrence(mentions: pd.DataFrame) -> pd.DataFrame:
    """Pairs of distinct actors named in the same sentence: `weight` = number of such sentences.

    `actor_a` < `actor_b`; the first shared sentence (`article_id`, `sent_start`, `sent_end`) is kept
    as an example (add its text with `with_context`).
    """
    sentence_key = ["article_id", "sent_start", "sent_end"]
    columns = ["actor_a", "actor_b", "weight", *sentence_key]
    once = mentions.drop_duplicates(sentence_key + ["actor"])[sentence_key + ["actor"]]
    pairs = once.merge(once, on=sentence_key, suffixes=("_a", "_b"))
    pairs = pairs[pairs["actor_a"] < pairs["actor_b"]]
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    out = pairs.sort_values(sentence_key).groupby(["actor_a", "actor_b"], as_index=False).agg(
        weight=("sent_start", "size"),
        **{c: (c, "first") for c in sentence_key},
    )
    return out.sort_values(["weight", "actor_a", "actor_b"], ascending=[False, True, True])[columns]


def strongest_edges(edges: pd.DataFrame, min_weight: int, max_edges: int) -> pd.DataFrame:
    """Edges of at least `min_weight`, the `max_edges` heaviest (ties by name, stable)."""
    kept = edges[edges["weight"] >= min_weight]
    return kept.sort_values(["weight", "actor_a", "actor_b"], ascending=[False, True, True]).head(max_edges)


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


# --- filters --------------------------------------------------------------------------------------


def select_figures(figures: pd.DataFrame, metrics: list[str], sources: list[str],
                   years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Figures (with spans and `source`) of the chosen metrics and sources (empty list = all).

    With `years`, only figures whose period overlaps those years are kept (undated ones drop out).
    """
    keep = pd.Series(True, index=figures.index)
    if metrics:
        keep &= figures["metric"].isin(metrics)
    if sources:
        keep &= figures["source"].isin(sources)
    if years is not None:
        keep &= overlaps_years(figures["period_start"], figures["period_end"], *years)
    return figures[keep]


def select_mentions(mentions: pd.DataFrame, articles: pd.DataFrame, sources: list[str],
                    years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Actor mentions (with `source`) of the chosen sources, in articles published in `years`."""
    keep = pd.Series(True, index=mentions.index)
    if sources:
        keep &= mentions["source"].isin(sources)
    if years is not None:
        published = pd.to_datetime(articles["published"], errors="coerce")
        in_years = articles["article_id"][published.dt.year.between(*years)]
        keep &= mentions["article_id"].isin(set(in_years))
    return mentions[keep]


def year_span(figures: pd.DataFrame, articles: pd.DataFrame) -> tuple[int, int] | None:
    """First and last year of any figure period or publication date (None when there is none)."""
    published = pd.to_datetime(articles["published"], errors="coerce")
    years = pd.concat([figures["period_start"].dt.year, figures["period_end"].dt.year, published.dt.year])
    years = years.dropna()
    return (int(years.min()), int(years.max())) if len(years) else None

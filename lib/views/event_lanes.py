"""Events as spans on a timeline: reports of one event grouped into one bar, and the queries.

Each event's normalised date (day, month, quarter, year, `START/END` range…) becomes the span of
days it covers, so a month is drawn a month wide and a day one day wide. Reports of the same
event in several articles share an `event_id` (see `lib.crossarticle.linking.link_events`) and become one row
listing all their sources.

Large corpora: `build_reports` and `build_events` run once per data version and become the
warehouse tables `REPORTS` and `EVENTS`; the page then filters them with the SQL below (values in
parameters, see `filter_params`) and reads article text only for the sentences it lists.
Pure pandas and SQL text: the Timeline page draws what this module computes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

from lib.contract.periods import interval
from lib.views.labels import UNKNOWN_DATE, carriers_label
from lib.views.warehouse import STORY_OF

ONE_DAY = dt.timedelta(days=1)
SEVERAL_SOURCES = "several sources"
NO_ACTOR = "no actor"
OTHER = "other"
# Which actor leads an event when colouring by actor: people act, countries are the backdrop.
LEAD_TYPE_ORDER = ("person", "organization", "bloc", "country")
FIT_SHARE = 0.1  # the default window leaves out this share of the earliest and of the latest events
FIT_MARGIN = dt.timedelta(days=31)  # and adds this much on either side
LABEL_CHARS = 34  # a row label's length: the bars get most of the chart's width
HOVER_NAMES = 12  # bylines and actors named in a hover label; the rest are counted

REPORT_COLUMNS = ["event_id", "article_id", "story", "source", "published", "date", "precision", "kind", "first_day",
                  "last_day", "days", "actors", "summary", "start", "end"]
EVENT_COLUMNS = ["event_id", "first_day", "last_day", "days", "date", "precision", "kind", "summary", "sources",
                 "bylines", "article_ids", "actors", "reports", "n_sources", "n_articles", "n_stories", "article_id",
                 "start"]
LIST_COLUMNS = ("sources", "bylines", "article_ids", "actors")
_ARROW_TYPES = {"first_day": pa.date32(), "last_day": pa.date32(), "days": pa.int64(), "start": pa.int64(),
                "end": pa.int64(), "reports": pa.int64(), "n_sources": pa.int64(), "n_articles": pa.int64(),
                "n_stories": pa.int64(),
                **{column: pa.list_(pa.string()) for column in LIST_COLUMNS}}

# Warehouse tables built once per data version (store.derived).
REPORTS = "timeline_reports"
EVENTS = "timeline_events"

# Reports with what the page shows of their article (never its text).
REPORTS_SQL = f"""
SELECT e.event_id, e.article_id, {STORY_OF} AS story, e.date, e.precision, coalesce(e.kind, 'actual') AS kind, e.actors, e.summary, e.start, e."end",
       s.source, coalesce(p.published_label, '{UNKNOWN_DATE}') AS published
FROM events e LEFT JOIN sources s USING (article_id) LEFT JOIN published_labels p USING (article_id)
     LEFT JOIN stories USING (article_id)
"""

ARTICLES_SQL = """
SELECT count(*) AS articles, min(try_cast(published AS DATE)) AS earliest,
       coalesce(bool_or(published_inferred), false) AS inferred
FROM articles
"""
BOUNDS_SQL = f"""
SELECT count(*) AS events, min(first_day) AS first_day, max(last_day) AS last_day,
       quantile_disc(first_day, {FIT_SHARE}) FILTER (WHERE kind IS DISTINCT FROM 'forecast') AS usual_first,
       quantile_disc(last_day, {1 - FIT_SHARE}) FILTER (WHERE kind IS DISTINCT FROM 'forecast') AS usual_last
FROM {EVENTS}
"""
ACTOR_OPTIONS_SQL = f"SELECT DISTINCT unnest(actors) AS name FROM {EVENTS} ORDER BY name"
SOURCE_OPTIONS_SQL = f"SELECT DISTINCT unnest(sources) AS name FROM {EVENTS} ORDER BY name"

# Each event flagged by the filters; parameters from `filter_params`: $1 first day, $2 last day,
# $3 actors, $4 sources (empty: any), $5 longest span in days (NULL: any), $6 forecasts shown.
_FLAGGED = f"""
WITH flagged AS (
    SELECT *,
        last_day >= $1::DATE AND first_day <= $2::DATE AS in_window,
        (len($3::VARCHAR[]) = 0 OR list_has_any(actors, $3::VARCHAR[]))
            AND (len($4::VARCHAR[]) = 0 OR list_has_any(sources, $4::VARCHAR[]))
            AND ($6::BOOLEAN OR kind IS DISTINCT FROM 'forecast') AS chosen,
        ($5::BIGINT IS NULL OR days <= $5::BIGINT) AS short
    FROM {EVENTS}
)
"""
_SHOWN = "in_window AND chosen AND short"

# Counts for the caption: all events, those shown, and those only dates or the span limit hide.
COUNTS_SQL = _FLAGGED + f"""
SELECT count(*) AS events, coalesce(sum(reports), 0)::BIGINT AS sentences,
       count(*) FILTER (WHERE {_SHOWN}) AS shown,
       coalesce(sum(reports) FILTER (WHERE {_SHOWN}), 0)::BIGINT AS shown_sentences,
       count(*) FILTER (WHERE chosen AND short AND NOT in_window) AS outside,
       count(*) FILTER (WHERE in_window AND chosen AND NOT short) AS too_long
FROM flagged
"""

# The bars: the $7 shown events reported in most stories (a copied story once), in date order; $8 bylines each.
DRAWN_SQL = _FLAGGED + f"""
SELECT event_id, first_day, last_day, days, date, precision, kind, summary, sources,
       bylines[1:$8] AS bylines, len(bylines) AS n_bylines, actors, reports, n_sources, n_articles,
       n_stories
FROM (
    SELECT * FROM flagged WHERE {_SHOWN}
    ORDER BY n_stories DESC, n_sources DESC, n_articles DESC, reports DESC, first_day, last_day, event_id
    LIMIT $7
)
ORDER BY first_day, last_day, event_id
"""

_REPORT_ORDER = "e.first_day, e.last_day, r.event_id, r.source, r.start, r.article_id"


def _with_sentences(extra: str = "") -> str:
    """The `listed` reports in date order with their sentence cut from the article text in SQL
    (only those rows' text is read); `extra` adds columns of `listed`."""
    return f"""
SELECT l.event_id, l.article_id, l.source, l.published, l.date, l.precision, l.summary, l.actors,
       l.start, l."end", substring(a.text, l.start + 1, l."end" - l.start) AS sentence{extra}
FROM listed l LEFT JOIN articles a USING (article_id)
ORDER BY l.event_first, l.event_last, l.event_id, l.source, l.start, l.article_id
"""


# One page of the reports of the shown events ($7 rows from row $8), in date order.
LISTING_SQL = _FLAGGED + f"""
, listed AS (
    SELECT r.*, e.first_day AS event_first, e.last_day AS event_last
    FROM flagged e JOIN {REPORTS} r USING (event_id)
    WHERE {_SHOWN}
    ORDER BY {_REPORT_ORDER} LIMIT $7 OFFSET $8
)
""" + _with_sentences()

# The first $2 reports of the events $1 (those selected on the chart), with `total` reports.
SELECTED_SQL = f"""
WITH listed AS (
    SELECT r.*, e.first_day AS event_first, e.last_day AS event_last,
           (SELECT count(*) FROM {REPORTS} WHERE list_contains($1::VARCHAR[], event_id)) AS total
    FROM {EVENTS} e JOIN {REPORTS} r USING (event_id)
    WHERE list_contains($1::VARCHAR[], r.event_id)
    ORDER BY {_REPORT_ORDER} LIMIT $2
)
""" + _with_sentences(", l.total")

# Each actor's most frequent type, for the actors $1.
ACTOR_TYPES_SQL = """
SELECT actor, actor_type FROM actors
WHERE list_contains($1::VARCHAR[], actor) AND actor_type IS NOT NULL
GROUP BY actor, actor_type
QUALIFY row_number() OVER (PARTITION BY actor ORDER BY count(*) DESC, actor_type) = 1
"""


def filter_params(
    between: tuple[dt.date, dt.date],
    actors: Iterable[str] = (),
    sources: Iterable[str] = (),
    max_days: int | None = None,
    forecasts: bool = False,
) -> list:
    """The parameters $1–$6 of the filter queries: events overlapping the dates, involving any
    chosen actor, reported by any chosen source, spanning at most `max_days` days (empty: any),
    forecasts and plans only when asked for."""
    return [between[0], between[1], list(actors), list(sources), None if max_days is None else int(max_days),
            bool(forecasts)]


def span_of(value: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by a normalised date value (None when it cannot be placed)."""
    return interval(value) if isinstance(value, str) else None


def bar_ends(first_day: dt.date, last_day: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Chart coordinates of a span: from the start of its first day to the end of its last day."""
    return pd.Timestamp(first_day), pd.Timestamp(last_day + ONE_DAY)


def reports(events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per event report with its span, source and publication label.

    `articles` needs `article_id`, `source` and `published` (the label to show). Reports whose
    date cannot be placed on a calendar are dropped. A report without a `story` (the first copy
    of its article's story, `warehouse.stories`) is its article's own.
    """
    if events.empty:
        return pd.DataFrame(columns=REPORT_COLUMNS)
    meta = articles.drop_duplicates("article_id").set_index("article_id")[["source", "published"]]
    values = events["date"].dropna().unique()
    spans = events["date"].map(dict(zip(values, map(span_of, values))))  # each distinct value once
    placed = events[spans.notna()].copy()
    spans = spans[spans.notna()]
    placed["first_day"] = [s[0] for s in spans]
    placed["last_day"] = [s[1] for s in spans]
    placed["days"] = [(s[1] - s[0]).days + 1 for s in spans]
    placed["source"] = placed["article_id"].map(meta["source"]).fillna(placed["article_id"])
    placed["published"] = placed["article_id"].map(meta["published"]).fillna("unknown")
    placed["actors"] = placed["actors"].map(_names)
    placed["kind"] = placed["kind"].fillna("actual") if "kind" in placed else "actual"
    placed["story"] = placed["story"].fillna(placed["article_id"]) if "story" in placed else placed["article_id"]
    placed["start"] = placed["start"].astype("int64")
    placed["end"] = placed["end"].astype("int64")
    return placed[REPORT_COLUMNS].reset_index(drop=True)


def build_reports(warehouse, part: int = 0, parts: int = 1) -> pd.DataFrame:
    """The `REPORTS` table: every placeable report with its span, source and publication label
    (of the events of one `part` of `parts`: `_placed_reports`)."""
    return _arrow_backed(_placed_reports(warehouse, part, parts))


def build_events(warehouse, part: int = 0, parts: int = 1) -> pd.DataFrame:
    """The `EVENTS` table: the reports grouped into one row per event (see `group_events`), of
    one `part` of `parts` of the events."""
    return _arrow_backed(group_events(_placed_reports(warehouse, part, parts)))


def _placed_reports(warehouse, part: int = 0, parts: int = 1) -> pd.DataFrame:
    """Every report placed on the calendar, with its source and publication label (`reports`).
    With `parts` > 1, only the events whose id hashes to `part`: every report of one event falls
    in the same part, so the parts together make the whole table (`lib.views.derived` builds a
    large corpus's timeline part by part, in bounded memory)."""
    rows = warehouse.query(REPORTS_SQL + " WHERE hash(e.event_id) % ? = ?", [parts, part])
    return reports(rows.drop(columns=["source", "published"]), rows[["article_id", "source", "published"]])


def _arrow_backed(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with Arrow columns of fixed types, which SQL scans without converting Python
    objects row by row (and types right even when empty: dates, lists of names)."""
    schema = pa.schema([(c, _ARROW_TYPES.get(c, pa.string())) for c in frame.columns])
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False).to_pandas(types_mapper=pd.ArrowDtype)


def _names(values: object) -> list[str]:
    """A list of distinct names, whatever list-like (or missing) value the table holds."""
    if values is None or isinstance(values, str):
        return [values] if values else []
    if isinstance(values, np.ndarray):
        values = values.tolist()
    try:
        return [str(v) for v in dict.fromkeys(values)]
    except TypeError:
        return []


def _unique_lists(frame: pd.DataFrame, column: str) -> pd.Series:
    """Per event_id, the distinct values of `column` in the frame's row order."""
    kept = frame.drop_duplicates(["event_id", column])
    lists: dict[str, list] = {}
    for event_id, value in zip(kept["event_id"].tolist(), kept[column].tolist()):
        lists.setdefault(event_id, []).append(value)
    return pd.Series(lists, dtype=object)


def group_events(report_rows: pd.DataFrame) -> pd.DataFrame:
    """One row per `event_id`: its span, every source and actor, and a representative report.

    Reports of one event may give dates of different precision; the most precise one (the
    shortest span) stands for the event, and its sentence is the one linked to.
    """
    if report_rows.empty:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    ordered = report_rows.sort_values(["days", "published", "article_id", "start"], kind="stable")
    best = ordered.drop_duplicates("event_id").set_index("event_id")
    by_source = ordered.assign(byline=ordered["source"] + " (" + ordered["published"] + ")").sort_values(
        ["event_id", "source"], kind="stable")
    mentions = ordered.sort_values(["event_id", "article_id", "start"], kind="stable")
    mentions = mentions[["event_id", "actors"]].explode("actors").dropna(subset=["actors"])
    events = best[["first_day", "last_day", "days", "date", "precision", "kind", "summary", "article_id", "start"]].assign(
        sources=_unique_lists(by_source, "source"),
        bylines=_unique_lists(by_source, "byline"),
        article_ids=_unique_lists(ordered, "article_id"),
        actors=_unique_lists(mentions, "actors"),
        reports=ordered.groupby("event_id").size(),
    )
    events["actors"] = events["actors"].map(lambda names: names if isinstance(names, list) else [])
    events["n_sources"] = events["sources"].map(len)
    events["n_articles"] = events["article_ids"].map(len)
    events["n_stories"] = ordered.groupby("event_id")["story"].nunique()
    events = events.astype({"days": "int64", "start": "int64", "reports": "int64"})
    return sort_events(events.rename_axis("event_id").reset_index()[EVENT_COLUMNS])


def sort_events(events: pd.DataFrame) -> pd.DataFrame:
    """Chronological order: by first day, then the shorter span first, then id (stable)."""
    return events.sort_values(["first_day", "last_day", "event_id"], kind="stable").reset_index(drop=True)


def as_events(rows: pd.DataFrame) -> pd.DataFrame:
    """Events as SQL returns them made ready to draw: days as dates, lists as lists, bar ends."""
    events = rows.copy()
    for column in ("first_day", "last_day"):
        events[column] = [as_day(value) for value in events[column]]
    for column in LIST_COLUMNS:
        if column in events:
            events[column] = events[column].map(_names)
    ends = [bar_ends(first, last) for first, last in zip(events["first_day"], events["last_day"])]
    events["x_start"] = pd.to_datetime([start for start, _ in ends])
    events["x_end"] = pd.to_datetime([end for _, end in ends])
    return events


def as_day(value: object) -> dt.date | None:
    """A calendar day from a date, a timestamp or a numpy datetime (None when missing)."""
    if value is None or pd.isna(value):
        return None
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    return value.date() if isinstance(value, dt.datetime) else value


def as_reports(rows: pd.DataFrame) -> pd.DataFrame:
    """Listed reports as SQL returns them: actor names joined, sentences stripped of spaces."""
    return rows.assign(
        actors=rows["actors"].map(lambda names: ", ".join(_names(names))),
        sentence=rows["sentence"].fillna("").map(str.strip),
    )


def actor_types(rows: pd.DataFrame) -> dict[str, str]:
    """Actor → type from the `ACTOR_TYPES_SQL` rows."""
    return dict(zip(rows["actor"], rows["actor_type"]))


def lead_actor(names: Iterable[str], types: Mapping[str, str], preferred: Iterable[str] = ()) -> str:
    """The actor an event is coloured by: a chosen (filtered) actor if present, else the first
    person, then organization, bloc, country mentioned; `NO_ACTOR` when there is none."""
    names = list(names)
    for wanted in preferred:
        if wanted in names:
            return wanted
    rank = {kind: i for i, kind in enumerate(LEAD_TYPE_ORDER)}
    ranked = sorted(names, key=lambda name: rank.get(types.get(name, ""), len(rank)))
    return ranked[0] if ranked else NO_ACTOR


def colour_labels(
    events: pd.DataFrame,
    by: str,
    types: Mapping[str, str] | None = None,
    preferred: Iterable[str] = (),
    top: int = 10,
) -> pd.Series:
    """Per event, the legend entry it is coloured by.

    By "source": the source's name, or `SEVERAL_SOURCES` for an event reported by several. By
    "actor": the lead actor; beyond the `top` most frequent leads the rest share `OTHER`.
    """
    if by == "source":
        return events["sources"].map(lambda s: s[0] if len(s) == 1 else SEVERAL_SOURCES)
    preferred = list(preferred)
    leads = events["actors"].map(lambda names: lead_actor(names, types or {}, preferred))
    kept = set(leads.value_counts().head(top).index) | set(preferred)
    return leads.where(leads.isin(kept), OTHER)


def hover_lines(event: Mapping, most: int = HOVER_NAMES) -> list[str]:
    """The text lines of one event's hover (plain text; `app.markup.event_hover` escapes them):
    its date (with the span of a longer period), its summary wrapped, its sources and actors.

    At most `most` bylines and actors are named; the others are counted ("and 40 more").
    """
    when = str(event["date"])
    if event["days"] > 1:
        when += f" ({event['precision']}: {event['first_day']} → {event['last_day']})"
    bylines = list(event.get("bylines") or event["sources"])
    lines = [when, *_wrap(str(event["summary"] or "")).split("\n"),
             carriers_label(event.get("n_sources") or len(bylines), event.get("n_stories")) + ": "
             + _named(bylines, event.get("n_bylines") or len(bylines), most, "; ")]
    actors = list(event["actors"])
    if actors:
        lines += ("actors: " + _wrap(_named(actors, len(actors), most, ", "))).split("\n")
    return lines



def _named(names: list[str], total: int, most: int, separator: str) -> str:
    """The first `most` names joined, and how many of `total` are left out."""
    text = separator.join(names[:most])
    left = int(total) - min(len(names), most)
    return f"{text} and {left} more" if left > 0 else text


def _wrap(text: str, width: int = 80) -> str:
    """Line breaks between words so a long summary does not make a page-wide hover box."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line] if line else lines)


def row_label(event: Mapping, width: int = LABEL_CHARS) -> str:
    """Short text naming an event's row on the chart: the start of its summary (the date is on the
    axis and in the hover label)."""
    summary = " ".join(str(event["summary"] or "").split())
    if len(summary) > width:
        summary = summary[: width - 1].rstrip() + "…"
    return summary


def selected_event_ids(selection: Mapping | None) -> list[str]:
    """Event ids of the points in a plotly selection state (the bars clicked or boxed)."""
    points = ((selection or {}).get("selection") or {}).get("points") or []
    found = []
    for point in points:
        custom = point.get("customdata")
        event_id = custom[0] if isinstance(custom, (list, tuple)) and custom else point.get("y")
        if isinstance(event_id, str):
            found.append(event_id)
    return list(dict.fromkeys(found))


def default_window(
    first: dt.date, last: dt.date, earliest_published: dt.date | None, lookback_years: int = 5
) -> tuple[dt.date, dt.date]:
    """The date range shown first: from `lookback_years` before the earliest publication (or the
    first event, if later) to the last event day, so a lone 19th-century mention does not squeeze
    this decade's events into slivers. Every event stays reachable by widening the range."""
    if earliest_published is not None:
        horizon = dt.date(max(earliest_published.year - lookback_years, dt.MINYEAR), 1, 1)
        if last >= horizon:
            first = max(first, horizon)
    return first, last


def fitted_window(
    first: dt.date, last: dt.date, usual_first: dt.date | None, usual_last: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The date range shown first, fitted to the data: from the usual first to the usual last day of
    the events (`BOUNDS_SQL`, leaving out outliers and forecasts) with a month's margin, within
    `first`..`last`. Every event stays reachable by widening the range."""
    if usual_first is None or usual_last is None or usual_first > usual_last:
        return first, last
    return max(first, usual_first - FIT_MARGIN), min(last, usual_last + FIT_MARGIN)


def page_count(rows: int, per_page: int) -> int:
    """Pages needed to list `rows` rows, `per_page` a page (at least one)."""
    return max(1, -(-int(rows) // per_page))

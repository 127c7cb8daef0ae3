"""Events as spans on a timeline: reports of one event grouped into one bar, and the filters.

Each event's normalised date (day, month, quarter, year, `START/END` range…) becomes the span of
days it covers, so a month is drawn a month wide and a day one day wide. Reports of the same
event in several articles share an `event_id` (see `lib.events.link_events`) and become one row
listing all their sources. Pure pandas: the Timeline page draws what this module computes.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping

import pandas as pd

from lib.dates import interval

ONE_DAY = dt.timedelta(days=1)
SEVERAL_SOURCES = "several sources"
NO_ACTOR = "no actor"
OTHER = "other"
# Which actor leads an event when colouring by actor: people act, countries are the backdrop.
LEAD_TYPE_ORDER = ("person", "organization", "bloc", "country")

REPORT_COLUMNS = ["event_id", "article_id", "source", "published", "date", "precision", "first_day",
                  "last_day", "days", "actors", "summary", "start", "end"]
EVENT_COLUMNS = ["event_id", "first_day", "last_day", "x_start", "x_end", "days", "date", "precision",
                 "summary", "sources", "bylines", "article_ids", "actors", "reports", "article_id", "start"]


def span_of(value: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by a normalised date value (None when it cannot be placed)."""
    return interval(value) if isinstance(value, str) else None


def bar_ends(first_day: dt.date, last_day: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Chart coordinates of a span: from the start of its first day to the end of its last day."""
    return pd.Timestamp(first_day), pd.Timestamp(last_day + ONE_DAY)


def reports(events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per event report with its span, source and publication label.

    `articles` needs `article_id`, `source` and `published` (the label to show). Reports whose
    date cannot be placed on a calendar are dropped.
    """
    if events.empty:
        return pd.DataFrame(columns=REPORT_COLUMNS)
    meta = articles.set_index("article_id")[["source", "published"]]
    spans = events["date"].map(span_of)
    placed = events[spans.notna()].copy()
    spans = spans[spans.notna()]
    placed["first_day"] = [s[0] for s in spans]
    placed["last_day"] = [s[1] for s in spans]
    placed["days"] = [(s[1] - s[0]).days + 1 for s in spans]
    placed["source"] = placed["article_id"].map(meta["source"]).fillna(placed["article_id"])
    placed["published"] = placed["article_id"].map(meta["published"]).fillna("unknown")
    placed["actors"] = placed["actors"].map(_names)
    return placed[REPORT_COLUMNS].reset_index(drop=True)


def _names(values: object) -> list[str]:
    """A list of distinct names, whatever list-like (or missing) value the table holds."""
    if values is None or isinstance(values, str):
        return [values] if values else []
    try:
        return list(dict.fromkeys(str(v) for v in values))
    except TypeError:
        return []


def _unique(lists: Iterable[Iterable[str]]) -> list[str]:
    """Items of several lists, each once, in first-seen order."""
    return list(dict.fromkeys(item for items in lists for item in items))


def group_events(report_rows: pd.DataFrame) -> pd.DataFrame:
    """One row per `event_id`: its span, every source and actor, and a representative report.

    Reports of one event may give dates of different precision; the most precise one (the
    shortest span) stands for the event, and its sentence is the one linked to.
    """
    if report_rows.empty:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    ordered = report_rows.sort_values(["days", "published", "article_id", "start"], kind="stable")
    rows = []
    for event_id, group in ordered.groupby("event_id", sort=False):
        best = group.iloc[0]
        x_start, x_end = bar_ends(best["first_day"], best["last_day"])
        rows.append({
            "event_id": event_id,
            "first_day": best["first_day"],
            "last_day": best["last_day"],
            "x_start": x_start,
            "x_end": x_end,
            "days": int(best["days"]),
            "date": best["date"],
            "precision": best["precision"],
            "summary": best["summary"],
            "sources": _unique([[s] for s in group.sort_values("source")["source"]]),
            "bylines": _unique([[f"{r.source} ({r.published})"] for r in group.sort_values("source").itertuples()]),
            "article_ids": _unique([[a] for a in group["article_id"]]),
            "actors": _unique(group.sort_values(["article_id", "start"])["actors"]),
            "reports": len(group),
            "article_id": best["article_id"],
            "start": int(best["start"]),
        })
    return sort_events(pd.DataFrame(rows, columns=EVENT_COLUMNS))


def sort_events(events: pd.DataFrame) -> pd.DataFrame:
    """Chronological order: by first day, then the shorter span first, then id (stable)."""
    return events.sort_values(["first_day", "last_day", "event_id"], kind="stable").reset_index(drop=True)


def filter_events(
    events: pd.DataFrame,
    between: tuple[dt.date, dt.date] | None = None,
    actors: Iterable[str] = (),
    sources: Iterable[str] = (),
    max_days: int | None = None,
) -> pd.DataFrame:
    """Grouped events that overlap the date range, involve any chosen actor, were reported by any
    chosen source, and span at most `max_days` days. Empty choices do not filter."""
    keep = pd.Series(True, index=events.index)
    if between is not None:
        first, last = between
        keep &= (events["last_day"] >= first) & (events["first_day"] <= last)
    wanted_actors, wanted_sources = set(actors), set(sources)
    if wanted_actors:
        keep &= events["actors"].map(lambda names: bool(wanted_actors & set(names)))
    if wanted_sources:
        keep &= events["sources"].map(lambda names: bool(wanted_sources & set(names)))
    if max_days is not None:
        keep &= events["days"] <= max_days
    return events[keep].reset_index(drop=True)


def actor_types(actors: pd.DataFrame) -> dict[str, str]:
    """Each canonical actor's most frequent type (from the `actors` table)."""
    if actors.empty:
        return {}
    counts = actors.groupby(["actor", "actor_type"]).size().reset_index(name="n")
    best = counts.sort_values(["n", "actor_type"], ascending=[False, True]).drop_duplicates("actor")
    return dict(zip(best["actor"], best["actor_type"]))


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


def hover_text(event: Mapping) -> str:
    """Hover label of one event (plotly renders it as HTML, so every text piece is escaped)."""
    when = str(event["date"])
    if event["days"] > 1:
        when += f" ({event['precision']}: {event['first_day']} → {event['last_day']})"
    lines = [
        f"<b>{html.escape(when)}</b>",
        html.escape(_wrap(str(event["summary"] or ""))).replace("\n", "<br>"),
        "sources: " + html.escape("; ".join(event.get("bylines") or event["sources"])),
    ]
    if len(event["actors"]):
        lines.append("actors: " + html.escape(_wrap(", ".join(event["actors"]))).replace("\n", "<br>"))
    return "<br>".join(lines)


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


def row_label(event: Mapping, width: int = 60) -> str:
    """Short text naming an event's row on the chart: its date and the start of its summary."""
    summary = " ".join(str(event["summary"] or "").split())
    if len(summary) > width:
        summary = summary[: width - 1].rstrip() + "…"
    return f"{event['date']} · {summary}"


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


def default_window(events: pd.DataFrame, published: Iterable[str], lookback_years: int = 5) -> tuple[dt.date, dt.date]:
    """The date range shown first: from `lookback_years` before the earliest publication (or the
    first event, if later) to the last event day, so a lone 19th-century mention does not squeeze
    this decade's events into slivers. Every event stays reachable by widening the range."""
    first, last = min(events["first_day"]), max(events["last_day"])
    days = sorted(d for d in (_iso_day(p) for p in published) if d is not None)
    if days:
        horizon = dt.date(max(days[0].year - lookback_years, dt.MINYEAR), 1, 1)
        if (events["last_day"] >= horizon).any():
            first = max(first, horizon)
    return first, last


def _iso_day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def report_listing(events: pd.DataFrame, report_rows: pd.DataFrame) -> pd.DataFrame:
    """Reports of the given grouped events, in the events' order (for the table under the chart)."""
    order = {event_id: i for i, event_id in enumerate(events["event_id"])}
    chosen = report_rows[report_rows["event_id"].isin(order)].copy()
    chosen["_order"] = chosen["event_id"].map(order)
    chosen = chosen.sort_values(["_order", "source", "start"], kind="stable").drop(columns="_order")
    return chosen.reset_index(drop=True)

"""Coverage over time: how many articles each outlet, or each outlet group, published per week or
month (SQL over the tables), and the articles behind one bar.

A bar is a bucket (the Monday of its week, or the first day of its month) and a series: an
outlet ("unknown outlet" for articles without one), or an outlet group (`lib.contract.outlet_groups`).
Beyond `TOP_SERIES` outlets, the ones with fewest articles share one series, `OTHER`, so that the
chart stays readable at any corpus size. Articles without a publication date are left out (and counted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from lib.contract.outlet_groups import UNKNOWN

Query = Callable[..., pd.DataFrame]

PERIODS = ("week", "month")
BY = ("outlet", "group")
WEEKLY_SPAN_DAYS = 183  # a corpus spanning up to half a year is counted per week, a longer one per month
TOP_SERIES = 12
OTHER = "other outlets (fewer articles)"

_SERIES = {  # the SQL expression naming an article's series, by `by`
    "outlet": f"coalesce(nullif(trim(a.outlet), ''), '{UNKNOWN}')",
    "group": "p.outlet_group",
}


def _dated(by: str) -> str:
    """The articles with a publication date: article_id, day, series."""
    return (f"SELECT a.article_id, try_cast(a.published AS DATE) AS day, {_SERIES[by]} AS series "
            "FROM articles a JOIN profiles p USING (article_id) WHERE try_cast(a.published AS DATE) IS NOT NULL")


def span(run: Query) -> tuple[dt.date | None, dt.date | None, int]:
    """(first, last) publication day of the corpus (None without dates) and the undated articles."""
    row = run("SELECT min(try_cast(published AS DATE)) AS first, max(try_cast(published AS DATE)) AS last, "
              "count(*) FILTER (WHERE try_cast(published AS DATE) IS NULL) AS undated FROM articles").iloc[0]
    first, last = (None if pd.isna(row[k]) else pd.Timestamp(row[k]).date() for k in ("first", "last"))
    return first, last, int(row["undated"])


def period_for(first: dt.date | None, last: dt.date | None) -> str:
    """The bucket that suits a span of dates: "week" up to half a year, else "month"."""
    if first is None or last is None:
        return "month"
    return "week" if (last - first).days <= WEEKLY_SPAN_DAYS else "month"


def bucket_of(day: dt.date, period: str) -> dt.date:
    """The first day of the week (Monday) or month that holds `day`."""
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def bucket_label(bucket: dt.date, period: str) -> str:
    """"week of 2023-05-15" or "May 2023"."""
    return f"week of {bucket.isoformat()}" if period == "week" else bucket.strftime("%B %Y")


def series_names(run: Query, by: str) -> list[str]:
    """Every series a bar can belong to when counting by `by` (including `OTHER` for outlets)."""
    names = run(f"SELECT DISTINCT {_SERIES[by]} AS series FROM articles a JOIN profiles p USING (article_id) "
                "ORDER BY series")["series"].tolist()
    return [*names, OTHER] if by == "outlet" else names


def top_series(run: Query, by: str, n: int | None = None) -> list[str]:
    """The series drawn in their own colour: every group, or the `n` (`TOP_SERIES`) outlets with most
    dated articles."""
    ranked = run(f"SELECT series, count(*) AS n FROM ({_dated(by)}) GROUP BY series ORDER BY n DESC, series")
    names = ranked["series"].tolist()
    return names if by == "group" else names[:TOP_SERIES if n is None else n]


def counts(run: Query, period: str, by: str) -> pd.DataFrame:
    """Articles per (bucket, series), oldest bucket first: bucket (a date), series, articles.
    Outlets beyond the `top_series` share the series `OTHER`."""
    rows = run(f"SELECT date_trunc('{_period(period)}', day)::DATE AS bucket, series, count(*) AS articles "
               f"FROM ({_dated(by)}) GROUP BY ALL ORDER BY bucket, series")
    rows["bucket"] = [pd.Timestamp(b).date() for b in rows["bucket"]]
    top = set(top_series(run, by))
    rows["series"] = [s if s in top else OTHER for s in rows["series"]]
    return rows.groupby(["bucket", "series"], as_index=False, sort=False)["articles"].sum()


def bucket_articles(run: Query, period: str, by: str, bucket: dt.date, series: str | None = None) -> pd.DataFrame:
    """The articles behind one bar (or, without `series`, one whole bucket), newest first: article_id,
    title, source, published, series."""
    start = bucket_of(bucket, _period(period))
    found = run(f"SELECT d.article_id, a.title, s.source, a.published, d.series FROM ({_dated(by)}) d "
                "JOIN articles a USING (article_id) JOIN sources s USING (article_id) "
                "WHERE d.day >= ? AND d.day < ? ORDER BY a.published DESC, d.article_id", start, _next_bucket(start, period))
    if series is None:
        return found
    if series == OTHER:
        return found[~found["series"].isin(top_series(run, by))].reset_index(drop=True)
    return found[found["series"] == series].reset_index(drop=True)


def _period(period: str) -> str:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    return period


def _next_bucket(start: dt.date, period: str) -> dt.date:
    if period == "week":
        return start + dt.timedelta(days=7)
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)

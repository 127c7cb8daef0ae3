"""Coverage over time: articles per week or month, per outlet or outlet group, and the articles
behind one bar, on the outlet test corpus (six articles from 2023-03-01 to 2023-06-20)."""

from __future__ import annotations

import datetime as dt

import pytest

from lib.views import coverage
from tests.views.outlet_run import open_run

D = dt.date


@pytest.fixture(scope="module")
def run(outlet_tables):
    query, warehouse = open_run(outlet_tables)
    yield query
    warehouse.close()


@pytest.mark.parametrize(
    ("first", "last", "period"),
    [(D(2023, 3, 1), D(2023, 6, 20), "week"), (D(2023, 1, 1), D(2023, 7, 3), "week"),
     (D(2023, 1, 1), D(2023, 7, 4), "month"), (D(2020, 1, 1), D(2024, 1, 1), "month"), (None, None, "month")],
)
def test_period_follows_the_span(first, last, period):
    assert coverage.period_for(first, last) == period


@pytest.mark.parametrize(
    ("day", "period", "bucket", "label"),
    [(D(2023, 5, 17), "week", D(2023, 5, 15), "week of 2023-05-15"),  # a Wednesday: its Monday
     (D(2023, 5, 15), "week", D(2023, 5, 15), "week of 2023-05-15"),
     (D(2023, 5, 31), "month", D(2023, 5, 1), "May 2023")],
)
def test_buckets(day, period, bucket, label):
    assert coverage.bucket_of(day, period) == bucket
    assert coverage.bucket_label(bucket, period) == label


def test_span_of_the_corpus(run):
    assert coverage.span(run) == (D(2023, 3, 1), D(2023, 6, 20), 0)


def test_weekly_counts_per_outlet(run):
    counts = coverage.counts(run, "week", "outlet")
    bars = {(b.isoformat(), s): n for b, s, n in zip(counts["bucket"], counts["series"], counts["articles"])}
    assert bars == {("2023-02-27", "TASS"): 1, ("2023-02-27", "Xinhua"): 1, ("2023-04-10", "Reuters"): 1,
                    ("2023-05-15", "TASS"): 1, ("2023-05-15", "Eurasia Wire Daily"): 1,
                    ("2023-06-19", "Xinhua"): 1}
    assert counts["articles"].sum() == 6


def test_monthly_counts_per_group(run):
    counts = coverage.counts(run, "month", "group")
    may = counts[counts["bucket"] == D(2023, 5, 1)]
    assert dict(zip(may["series"], may["articles"])) == {"Russian state media": 1, "unknown outlet": 1}
    march = counts[counts["bucket"] == D(2023, 3, 1)]
    assert dict(zip(march["series"], march["articles"])) == {"Chinese state media": 1, "Russian state media": 1}


def test_outlets_beyond_the_top_share_one_series(run):
    assert coverage.top_series(run, "outlet", 2) == ["TASS", "Xinhua"]
    assert set(coverage.series_names(run, "outlet")) >= {"TASS", coverage.OTHER}


@pytest.mark.parametrize(
    ("period", "by", "bucket", "series", "articles"),
    [("week", "outlet", D(2023, 5, 15), "TASS", ["d_tass"]),
     ("week", "outlet", D(2023, 5, 18), None, ["e_unknown", "d_tass"]),  # any day of the week: its bucket
     ("month", "group", D(2023, 3, 1), "Chinese state media", ["a_xinhua"]),
     ("month", "group", D(2023, 5, 1), "unknown outlet", ["e_unknown"]),
     ("month", "outlet", D(2023, 4, 1), "Xinhua", [])],
)
def test_the_articles_behind_a_bar(run, period, by, bucket, series, articles):
    assert coverage.bucket_articles(run, period, by, bucket, series)["article_id"].tolist() == articles


def test_the_articles_behind_the_shared_series(run, monkeypatch):
    monkeypatch.setattr(coverage, "TOP_SERIES", 1)
    assert coverage.top_series(run, "outlet", coverage.TOP_SERIES) == ["TASS"]
    rows = coverage.bucket_articles(run, "month", "outlet", D(2023, 5, 1), coverage.OTHER)
    assert rows["article_id"].tolist() == ["e_unknown"]  # May's articles but TASS's

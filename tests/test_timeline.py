"""Events as timeline spans: span per precision, one row per event_id, filters, colours, hover."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lib import timeline
from lib.schema import conform

D = dt.date


@pytest.mark.parametrize(
    "value, first, last",
    [
        ("2023-05-24", D(2023, 5, 24), D(2023, 5, 24)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2023-Q2", D(2023, 4, 1), D(2023, 6, 30)),
        ("2022", D(2022, 1, 1), D(2022, 12, 31)),
        ("2023-05-15/2023-05-21", D(2023, 5, 15), D(2023, 5, 21)),
        ("2020-01-01/2023-10-25", D(2020, 1, 1), D(2023, 10, 25)),
    ],
)
def test_each_precision_covers_its_days(value, first, last):
    assert timeline.span_of(value) == (first, last)


@pytest.mark.parametrize("value", [None, "", "soon", "2023-13", "2023-Q5"])
def test_unplaceable_values_have_no_span(value):
    assert timeline.span_of(value) is None


def test_a_day_is_drawn_one_day_wide_and_a_month_a_month_wide():
    start, end = timeline.bar_ends(D(2023, 5, 24), D(2023, 5, 24))
    assert end - start == pd.Timedelta(days=1)
    start, end = timeline.bar_ends(*timeline.span_of("2023-02"))
    assert (start, end) == (pd.Timestamp("2023-02-01"), pd.Timestamp("2023-03-01"))


ARTICLES = pd.DataFrame({
    "article_id": ["a1", "a2", "a3"],
    "source": ["Reuters", "TASS", "CNN"],
    "published": ["2023-05-24", "2023-05-25 (inferred)", "2023-10-25"],
})


def event(article_id, event_id, date, precision, actors, start=0, summary="Something happened"):
    return {"article_id": article_id, "event_id": event_id, "date": date, "precision": precision,
            "actors": actors, "summary": summary, "start": start, "end": start + 40}


def grouped(rows) -> pd.DataFrame:
    return timeline.group_events(timeline.reports(conform(pd.DataFrame(rows), "events"), ARTICLES))


SAMPLE = [
    event("a1", "ev-visit", "2023-03", "month", ["Xi Jinping", "Russia"], 10, "Xi visited Russia in March"),
    event("a2", "ev-visit", "2023-03", "month", ["Vladimir Putin", "Xi Jinping"], 50, "Putin hosted Xi"),
    event("a3", "ev-visit", "2023-03-20/2023-03-22", "range", ["Xi Jinping"], 90, "Xi's three-day visit"),
    event("a1", "ev-trade", "2022", "year", ["China", "Russia"], 200, "Trade hit a record"),
    event("a2", "ev-talks", "2023-05-24", "day", ["Mikhail Mishustin", "Li Qiang"], 300, "Talks in Beijing"),
    event("a3", "ev-since", "2020-01-01/2023-10-25", "range", ["China"], 400, "Coal shipments doubled"),
    event("a3", "ev-vague", None, None, ["China"], 500, "Some time ago"),
]


def test_reports_of_one_event_become_one_row_listing_all_sources():
    events = grouped(SAMPLE)
    assert events["event_id"].is_unique
    visit = events.set_index("event_id").loc["ev-visit"]
    assert visit["sources"] == ["CNN", "Reuters", "TASS"]
    assert visit["reports"] == 3
    assert set(visit["actors"]) == {"Xi Jinping", "Russia", "Vladimir Putin"}
    assert "TASS (2023-05-25 (inferred))" in visit["bylines"]


def test_the_most_precise_report_places_the_event_and_is_linked():
    visit = grouped(SAMPLE).set_index("event_id").loc["ev-visit"]
    assert (visit["first_day"], visit["last_day"]) == (D(2023, 3, 20), D(2023, 3, 22))
    assert visit["days"] == 3
    assert (visit["article_id"], visit["start"]) == ("a3", 90)


def test_events_without_a_calendar_date_are_left_out():
    assert "ev-vague" not in set(grouped(SAMPLE)["event_id"])


def test_events_are_in_chronological_order():
    assert list(grouped(SAMPLE)["event_id"]) == ["ev-since", "ev-trade", "ev-visit", "ev-talks"]


def test_actor_lists_read_from_parquet_arrays_are_kept():
    rows = [event("a1", "ev-x", "2023", "year", np.array(["China", "Russia"], dtype=object))]
    frame = timeline.reports(pd.DataFrame(rows), ARTICLES)
    assert frame.loc[0, "actors"] == ["China", "Russia"]


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({}, {"ev-since", "ev-trade", "ev-visit", "ev-talks"}),
        ({"actors": ["Xi Jinping"]}, {"ev-visit"}),
        ({"actors": ["Putin's dog"]}, set()),
        ({"actors": ["Li Qiang", "Vladimir Putin"]}, {"ev-visit", "ev-talks"}),
        ({"sources": ["TASS"]}, {"ev-visit", "ev-talks"}),
        ({"sources": ["CNN"], "actors": ["China"]}, {"ev-since"}),
        ({"between": (D(2023, 5, 1), D(2023, 5, 31))}, {"ev-since", "ev-talks"}),
        ({"between": (D(2023, 3, 21), D(2023, 3, 21))}, {"ev-since", "ev-visit"}),
        ({"between": (D(2023, 6, 1), D(2024, 1, 1))}, {"ev-since"}),
        ({"between": (D(2019, 1, 1), D(2019, 12, 31))}, set()),
        ({"max_days": 366}, {"ev-trade", "ev-visit", "ev-talks"}),
        ({"max_days": 1}, {"ev-talks"}),
    ],
)
def test_filters(filters, expected):
    assert set(timeline.filter_events(grouped(SAMPLE), **filters)["event_id"]) == expected


TYPES = {"Xi Jinping": "person", "Vladimir Putin": "person", "Russia": "country", "China": "country",
         "Kremlin": "organization"}


@pytest.mark.parametrize(
    "names, preferred, lead",
    [
        (["Russia", "Xi Jinping"], [], "Xi Jinping"),
        (["China", "Kremlin"], [], "Kremlin"),
        (["Russia", "Xi Jinping", "Vladimir Putin"], ["Vladimir Putin"], "Vladimir Putin"),
        (["China"], ["Vladimir Putin"], "China"),
        ([], [], timeline.NO_ACTOR),
    ],
)
def test_lead_actor_prefers_chosen_actors_then_people(names, preferred, lead):
    assert timeline.lead_actor(names, TYPES, preferred) == lead


def test_colour_by_source_marks_events_with_several_sources():
    events = grouped(SAMPLE)
    labels = dict(zip(events["event_id"], timeline.colour_labels(events, "source")))
    assert labels["ev-visit"] == timeline.SEVERAL_SOURCES
    assert labels["ev-talks"] == "TASS"


def test_colour_by_actor_keeps_the_top_leads_and_groups_the_rest():
    events = grouped(SAMPLE)
    every = dict(zip(events["event_id"], timeline.colour_labels(events, "actor", TYPES)))
    assert every == {"ev-since": "China", "ev-trade": "China", "ev-visit": "Xi Jinping",
                     "ev-talks": "Mikhail Mishustin"}
    top = dict(zip(events["event_id"], timeline.colour_labels(events, "actor", TYPES, top=1)))
    assert top == {"ev-since": "China", "ev-trade": "China", "ev-visit": timeline.OTHER,
                   "ev-talks": timeline.OTHER}
    chosen = timeline.colour_labels(events, "actor", TYPES, preferred=["Vladimir Putin"], top=1)
    assert dict(zip(events["event_id"], chosen))["ev-visit"] == "Vladimir Putin"


def test_hover_escapes_article_text_and_lists_sources():
    rows = [event("a1", "ev-x", "2023", "year", ["<b>Evil</b>"], summary='Xi <script>alert("x")</script> & co')]
    hover = timeline.hover_text(grouped(rows).iloc[0])
    assert "<script>" not in hover and "<b>Evil</b>" not in hover
    assert "&lt;script&gt;" in hover and "&amp; co" in hover
    assert "Reuters (2023-05-24)" in hover
    assert "2023-01-01 → 2023-12-31" in hover


@pytest.mark.parametrize(
    "state, ids",
    [
        ({"selection": {"points": [{"y": "ev-b", "customdata": ["ev-a", "hover"]}]}}, ["ev-a"]),
        ({"selection": {"points": [{"y": "ev-b"}, {"y": "ev-b"}, {"y": "ev-c"}]}}, ["ev-b", "ev-c"]),
        ({"selection": {"points": []}}, []),
        ({}, []),
        (None, []),
    ],
)
def test_selected_event_ids(state, ids):
    assert timeline.selected_event_ids(state) == ids


def test_default_window_leaves_out_a_lone_old_mention():
    rows = SAMPLE + [event("a1", "ev-old", "1860", "year", [], 700)]
    events = grouped(rows)
    assert timeline.default_window(events, ["2023-05-24", "2023-10-25"]) == (D(2018, 1, 1), D(2023, 10, 25))


def test_default_window_is_everything_when_all_events_are_old():
    events = grouped([event("a1", "ev-old", "1860", "year", []), event("a2", "ev-old2", "1900", "year", [])])
    assert timeline.default_window(events, ["2023-05-24"]) == (D(1860, 1, 1), D(1900, 12, 31))


def test_row_label_is_short_and_dated():
    label = timeline.row_label({"date": "2023-03", "summary": "word " * 40})
    assert label.startswith("2023-03 · word") and label.endswith("…") and len(label) < 80


def test_report_listing_follows_event_order():
    rows = timeline.reports(conform(pd.DataFrame(SAMPLE), "events"), ARTICLES)
    events = timeline.group_events(rows)
    listing = timeline.report_listing(events[events["event_id"].isin(["ev-talks", "ev-visit"])], rows)
    assert list(listing["event_id"]) == ["ev-visit"] * 3 + ["ev-talks"]


def test_no_events_gives_empty_frames():
    assert timeline.group_events(timeline.reports(conform(pd.DataFrame(), "events"), ARTICLES)).empty

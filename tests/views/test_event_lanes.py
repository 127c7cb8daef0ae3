"""Events as timeline spans: span per precision, one row per event_id, SQL filters, colours, hover."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lib.contract.schema import conform, from_rows
from lib.views import event_lanes
from lib.views.warehouse import Warehouse

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
    assert event_lanes.span_of(value) == (first, last)


@pytest.mark.parametrize("value", [None, "", "soon", "2023-13", "2023-Q5"])
def test_unplaceable_values_have_no_span(value):
    assert event_lanes.span_of(value) is None


def test_a_day_is_drawn_one_day_wide_and_a_month_a_month_wide():
    start, end = event_lanes.bar_ends(D(2023, 5, 24), D(2023, 5, 24))
    assert end - start == pd.Timedelta(days=1)
    start, end = event_lanes.bar_ends(*event_lanes.span_of("2023-02"))
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
    return event_lanes.group_events(event_lanes.reports(conform(pd.DataFrame(rows), "events"), ARTICLES))


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
    frame = event_lanes.reports(pd.DataFrame(rows), ARTICLES)
    assert frame.loc[0, "actors"] == ["China", "Russia"]


# The articles behind ARTICLES, with a text whose slices show where each sentence is cut.
TEXT = "😀" + "".join(chr(65 + i % 26) for i in range(999))
ARTICLE_ROWS = [
    {"article_id": "a1", "outlet": "Reuters", "published": "2023-05-24", "published_inferred": False, "text": TEXT},
    {"article_id": "a2", "outlet": "TASS", "published": "2023-05-25", "published_inferred": True, "text": TEXT},
    {"article_id": "a3", "outlet": "CNN", "published": "2023-10-25", "published_inferred": False, "text": TEXT},
]
ACTOR_ROWS = [
    {"article_id": "a1", "actor": "Xi Jinping", "actor_type": "person"},
    {"article_id": "a2", "actor": "Xi Jinping", "actor_type": "person"},
    {"article_id": "a3", "actor": "Xi Jinping", "actor_type": "country"},
    {"article_id": "a1", "actor": "Russia", "actor_type": "country"},
]
ALL_DAYS = (D(1, 1, 1), D(9999, 12, 31))


@pytest.fixture
def warehouse(tmp_path):
    """SQL over the sample corpus with the timeline tables registered, as the page has them."""
    found = Warehouse(tmp_path)
    found.register("articles", from_rows(ARTICLE_ROWS, "articles"))
    found.register("events", conform(pd.DataFrame(SAMPLE), "events"))
    found.register("actors", from_rows(ACTOR_ROWS, "actors"))
    found.register(event_lanes.REPORTS, event_lanes.build_reports(found))
    found.register(event_lanes.EVENTS, event_lanes.build_events(found))
    yield found
    found.close()


def shown(warehouse, between=ALL_DAYS, most=100, **filters) -> pd.DataFrame:
    params = event_lanes.filter_params(between, **filters)
    return warehouse.query(event_lanes.DRAWN_SQL, [*params, most, event_lanes.HOVER_NAMES])


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
def test_filters(warehouse, filters, expected):
    assert set(shown(warehouse, **filters)["event_id"]) == expected


def test_the_bars_are_the_most_reported_events_in_date_order(warehouse):
    assert list(shown(warehouse)["event_id"]) == ["ev-since", "ev-trade", "ev-visit", "ev-talks"]
    assert list(shown(warehouse, most=2)["event_id"]) == ["ev-since", "ev-visit"]  # visit: 3 articles


@pytest.mark.parametrize(
    "between, max_days, counts",
    [
        (ALL_DAYS, None, {"events": 4, "sentences": 6, "shown": 4, "shown_sentences": 6, "outside": 0, "too_long": 0}),
        ((D(2023, 5, 1), D(2023, 5, 31)), None, {"shown": 2, "shown_sentences": 2, "outside": 2, "too_long": 0}),
        ((D(2023, 5, 1), D(2023, 5, 31)), 31, {"shown": 1, "outside": 1, "too_long": 1}),
    ],
)
def test_counts_for_the_caption(warehouse, between, max_days, counts):
    found = warehouse.query(event_lanes.COUNTS_SQL, event_lanes.filter_params(between, max_days=max_days)).iloc[0]
    assert {key: int(found[key]) for key in counts} == counts


@pytest.mark.parametrize("offset, expected", [(0, ["ev-since", "ev-trade", "ev-visit"]), (3, ["ev-visit"] * 2 + ["ev-talks"])])
def test_listing_pages_through_the_reports_with_their_sentences(warehouse, offset, expected):
    rows = warehouse.query(event_lanes.LISTING_SQL, [*event_lanes.filter_params(ALL_DAYS), 3, offset])
    assert list(rows["event_id"]) == expected
    assert list(rows["sentence"]) == [TEXT[s:e] for s, e in zip(rows["start"], rows["end"])]


def test_selected_events_list_their_first_reports_and_count_all(warehouse):
    rows = warehouse.query(event_lanes.SELECTED_SQL, [["ev-visit", "ev-talks"], 2])
    assert list(rows["source"]) == ["CNN", "Reuters"] and set(rows["total"]) == {4}
    assert rows.loc[0, "sentence"] == TEXT[90:130]
    listed = event_lanes.as_reports(rows)
    assert listed.loc[1, "actors"] == "Xi Jinping, Russia"


def test_filter_options_and_bounds(warehouse):
    assert list(warehouse.query(event_lanes.SOURCE_OPTIONS_SQL)["name"]) == ["CNN", "Reuters", "TASS"]
    assert "Vladimir Putin" in set(warehouse.query(event_lanes.ACTOR_OPTIONS_SQL)["name"])
    bounds = warehouse.query(event_lanes.BOUNDS_SQL).iloc[0]
    assert int(bounds["events"]) == 4
    assert (event_lanes.as_day(bounds["first_day"]), event_lanes.as_day(bounds["last_day"])) == (D(2020, 1, 1), D(2023, 10, 25))
    corpus = warehouse.query(event_lanes.ARTICLES_SQL).iloc[0]
    assert (int(corpus["articles"]), event_lanes.as_day(corpus["earliest"]), bool(corpus["inferred"])) == (
        3, D(2023, 5, 24), True)


def test_reports_carry_the_publication_label(warehouse):
    rows = warehouse.query(f"SELECT article_id, published FROM {event_lanes.REPORTS} ORDER BY article_id")
    assert dict(zip(rows["article_id"], rows["published"]))["a2"] == "2023-05-25 (inferred)"


def test_actor_types_are_the_most_frequent(warehouse):
    rows = warehouse.query(event_lanes.ACTOR_TYPES_SQL, [["Xi Jinping", "Russia", "Nobody"]])
    assert event_lanes.actor_types(rows) == {"Xi Jinping": "person", "Russia": "country"}


def test_events_from_sql_are_ready_to_draw(warehouse):
    events = event_lanes.as_events(shown(warehouse))
    visit = events.set_index("event_id").loc["ev-visit"]
    assert (visit["first_day"], visit["last_day"]) == (D(2023, 3, 20), D(2023, 3, 22))
    assert (visit["x_start"], visit["x_end"]) == (pd.Timestamp("2023-03-20"), pd.Timestamp("2023-03-23"))
    assert visit["sources"] == ["CNN", "Reuters", "TASS"] and visit["n_articles"] == 3
    assert "sources (3): CNN (2023-10-25); Reuters (2023-05-24); TASS (2023-05-25 (inferred))" in event_lanes.hover_lines(visit)


def test_a_corpus_without_events_gives_typed_empty_tables(tmp_path):
    empty = Warehouse(tmp_path)
    empty.register(event_lanes.EVENTS, event_lanes.build_events(empty))
    assert int(empty.query(event_lanes.BOUNDS_SQL).iloc[0]["events"]) == 0
    assert empty.query(event_lanes.COUNTS_SQL, event_lanes.filter_params(ALL_DAYS, ["China"])).iloc[0]["shown"] == 0
    empty.close()


TYPES = {"Xi Jinping": "person", "Vladimir Putin": "person", "Russia": "country", "China": "country",
         "Kremlin": "organization"}


@pytest.mark.parametrize(
    "names, preferred, lead",
    [
        (["Russia", "Xi Jinping"], [], "Xi Jinping"),
        (["China", "Kremlin"], [], "Kremlin"),
        (["Russia", "Xi Jinping", "Vladimir Putin"], ["Vladimir Putin"], "Vladimir Putin"),
        (["China"], ["Vladimir Putin"], "China"),
        ([], [], event_lanes.NO_ACTOR),
    ],
)
def test_lead_actor_prefers_chosen_actors_then_people(names, preferred, lead):
    assert event_lanes.lead_actor(names, TYPES, preferred) == lead


def test_colour_by_source_marks_events_with_several_sources():
    events = grouped(SAMPLE)
    labels = dict(zip(events["event_id"], event_lanes.colour_labels(events, "source")))
    assert labels["ev-visit"] == event_lanes.SEVERAL_SOURCES
    assert labels["ev-talks"] == "TASS"


def test_colour_by_actor_keeps_the_top_leads_and_groups_the_rest():
    events = grouped(SAMPLE)
    every = dict(zip(events["event_id"], event_lanes.colour_labels(events, "actor", TYPES)))
    assert every == {"ev-since": "China", "ev-trade": "China", "ev-visit": "Xi Jinping",
                     "ev-talks": "Mikhail Mishustin"}
    top = dict(zip(events["event_id"], event_lanes.colour_labels(events, "actor", TYPES, top=1)))
    assert top == {"ev-since": "China", "ev-trade": "China", "ev-visit": event_lanes.OTHER,
                   "ev-talks": event_lanes.OTHER}
    chosen = event_lanes.colour_labels(events, "actor", TYPES, preferred=["Vladimir Putin"], top=1)
    assert dict(zip(events["event_id"], chosen))["ev-visit"] == "Vladimir Putin"


def test_hover_lines_give_the_span_summary_and_sources_as_plain_text():
    rows = [event("a1", "ev-x", "2023", "year", ["<b>Evil</b>"], summary='Xi <script>alert("x")</script> & co')]
    lines = event_lanes.hover_lines(grouped(rows).iloc[0])
    assert lines[0] == "2023 (year: 2023-01-01 → 2023-12-31)"
    assert lines[1] == 'Xi <script>alert("x")</script> & co'  # text: app.markup escapes it
    assert "sources (1): Reuters (2023-05-24)" in lines and "actors: <b>Evil</b>" in lines


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
    assert event_lanes.selected_event_ids(state) == ids


@pytest.mark.parametrize(
    "first, last, earliest, window",
    [
        (D(1860, 1, 1), D(2023, 10, 25), D(2023, 5, 24), (D(2018, 1, 1), D(2023, 10, 25))),  # a lone old mention
        (D(1860, 1, 1), D(1900, 12, 31), D(2023, 5, 24), (D(1860, 1, 1), D(1900, 12, 31))),  # all events old
        (D(2020, 1, 1), D(2023, 10, 25), D(2023, 5, 24), (D(2020, 1, 1), D(2023, 10, 25))),  # all recent
        (D(1860, 1, 1), D(2023, 10, 25), None, (D(1860, 1, 1), D(2023, 10, 25))),  # no publication date
    ],
)
def test_default_window(first, last, earliest, window):
    assert event_lanes.default_window(first, last, earliest) == window


def test_row_label_is_short():
    label = event_lanes.row_label({"date": "2023-03", "summary": "word " * 40})
    assert label.startswith("word") and label.endswith("…") and len(label) <= event_lanes.LABEL_CHARS


D = dt.date


@pytest.mark.parametrize(
    ("usual", "window"),
    [
        ((D(2023, 3, 1), D(2023, 5, 31)), (D(2023, 1, 29), D(2023, 7, 1))),  # a month either side
        ((D(1999, 1, 1), D(2030, 1, 1)), (D(2000, 1, 1), D(2025, 12, 31))),  # within the events
        ((None, None), (D(2000, 1, 1), D(2025, 12, 31))),
    ],
)
def test_the_default_window_fits_the_usual_events(usual, window):
    assert event_lanes.fitted_window(D(2000, 1, 1), D(2025, 12, 31), *usual) == window


@pytest.mark.parametrize("rows, pages", [(0, 1), (1, 1), (50, 1), (51, 2), (120, 3)])
def test_page_count(rows, pages):
    assert event_lanes.page_count(rows, 50) == pages


def test_hover_names_the_first_bylines_and_counts_the_rest():
    visit = grouped(SAMPLE).set_index("event_id").loc["ev-visit"]
    lines = event_lanes.hover_lines(visit.to_dict() | {"bylines": visit["bylines"][:2], "n_bylines": 3}, most=2)
    assert "sources (3): CNN (2023-10-25); Reuters (2023-05-24) and 1 more" in lines
    assert lines[-1].startswith("actors: ") and lines[-1].endswith(" and 1 more")  # three actors, two named


def test_no_events_gives_empty_frames():
    assert event_lanes.group_events(event_lanes.reports(conform(pd.DataFrame(), "events"), ARTICLES)).empty

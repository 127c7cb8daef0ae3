"""The Timeline page on the seed corpus: spans per event, filters, colours, URL state, selection."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

from tests.conftest import page

ARTICLE = "003_8d543dddf1d6987b"
SOURCE = "Bloomberg"  # the outlet of ARTICLE (seeds/sources.csv)
ONE_DAY_MS = 86_400_000


def chart(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def values(data) -> list:
    """A plotly data array, decoding the typed-array form ({"dtype", "bdata"}) plotly may use."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def bars(at) -> list[tuple[str, str, float]]:
    """(legend entry, event id, width in ms) of every bar drawn."""
    return [(trace["name"], y, x) for trace in chart(at)["data"]
            for y, x in zip(values(trace["y"]), values(trace["x"]))]


def events_table(at):
    return at.dataframe[-1].value


def test_timeline_draws_one_bar_per_event_with_links_to_sentences(app_data):
    at = page("timeline").run()
    assert not at.exception
    drawn = bars(at)
    assert len(drawn) >= 10
    ids = [event_id for _, event_id, _ in drawn]
    assert len(ids) == len(set(ids))
    assert all(width >= ONE_DAY_MS for _, _, width in drawn)
    assert any(width == ONE_DAY_MS for _, _, width in drawn)  # a day is a one-day span
    assert any(width > 300 * ONE_DAY_MS for _, _, width in drawn)  # a year is a year
    table = events_table(at)
    assert set(table["event_id"]) == set(ids)
    at.session_state["events_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    link = next(e for e in at.get("page_link") if e.proto.label == "Open the sentence in the article")
    assert re.fullmatch(r"article=[\w-]+&at=\d+", link.proto.query_string)  # the first row's sentence, same tab


def test_an_event_reported_by_several_articles_is_one_bar_listing_them(app_data):
    at = page("timeline").run()
    several = [event_id for name, event_id, _ in bars(at) if name == "several sources"]
    assert several
    table = events_table(at)
    assert table[table["event_id"] == several[0]]["source"].nunique() >= 2
    hover = next(h for trace in chart(at)["data"] for e, h in trace["customdata"] if e == several[0])
    assert hover.count("(2023-") >= 2


def test_filtering_by_an_actor_narrows_the_table(app_data):
    at = page("timeline").run()
    everything = events_table(at)
    at.multiselect(key="actor").set_value(["Xi Jinping"]).run()
    assert not at.exception
    narrowed = events_table(at)
    assert 0 < len(narrowed) < len(everything)
    for _, reports in narrowed.groupby("event_id"):
        assert reports["actors"].str.contains("Xi Jinping").any()
    assert {event_id for _, event_id, _ in bars(at)} == set(narrowed["event_id"])


def test_colour_switches_from_sources_to_actors(app_data):
    at = page("timeline").run()
    by_source = {name for name, _, _ in bars(at)}
    assert SOURCE in by_source
    at.radio(key="color").set_value("actor").run()
    assert not at.exception
    by_actor = {name for name, _, _ in bars(at)}
    assert by_actor != by_source
    assert SOURCE not in by_actor
    assert chart(at)["layout"]["legend"]["title"]["text"] == "Lead actor" and chart(at)["layout"]["showlegend"]


@pytest.mark.parametrize("param, value", [("src", SOURCE), ("actor", "Vladimir Putin")])
def test_url_parameter_seeds_a_filter(app_data, param, value):
    at = page("timeline")
    at.query_params[param] = value
    at.run()
    assert not at.exception
    assert at.multiselect(key=param).value == [value]
    column = "source" if param == "src" else "actors"
    table = events_table(at)
    assert len(table) and all(table.groupby("event_id")[column].agg(lambda s: s.str.contains(value).any()))


def test_url_dates_and_colour_seed_the_view(app_data):
    at = page("timeline")
    at.query_params["dates"] = ["2023-05-01", "2023-05-31"]
    at.query_params["color"] = "actor"
    at.run()
    assert not at.exception
    first, last = at.date_input(key="dates").value
    assert (str(first), str(last)) == ("2023-05-01", "2023-05-31")
    assert at.radio(key="color").value == "actor"
    assert events_table(at)["date"].str.startswith(("2023", "2020")).all()


@pytest.mark.parametrize(
    "params",
    [
        {"dates": "yesterday"},
        {"dates": ["1700-01-01", "1701-01-01"]},
        {"dates": "2023-05-20"},
        {"actor": "<script>alert(1)</script>"},
        {"src": "nowhere"},
        {"color": "rainbow"},
        {"hide": "maybe", "days": "-3"},
        {"page": "0"},
    ],
)
def test_invalid_url_values_do_not_break_the_page(app_data, params):
    at = page("timeline")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1


def test_the_events_table_says_how_many_sentences_it_lists(app_data):
    at = page("timeline")
    at.query_params["page"] = "1"
    at.run()
    assert not at.exception and not at.warning
    rows = len(events_table(at))
    assert any(c.value.startswith(f"The {rows} sentences reporting the {len(bars(at))} events") for c in at.caption)


def test_hiding_long_spans_drops_multi_year_ranges(app_data):
    at = page("timeline").run()
    at.checkbox(key="hide").check().run()
    at.number_input(key="days").set_value(31).run()
    assert not at.exception
    assert all(width <= 31 * ONE_DAY_MS for _, _, width in bars(at))
    assert "hidden" in at.caption[0].value


def test_selecting_a_bar_shows_its_sentences_with_links(app_data):
    at = page("timeline").run()
    event_id = bars(at)[0][1]
    at.session_state["timeline_chart"] = {"selection": {"points": [{"y": event_id, "customdata": [event_id]}],
                                                        "point_indices": [0], "box": [], "lasso": []}}
    at.run()
    assert not at.exception
    assert at.subheader[0].value.startswith("Selected: 1")
    assert len(at.expander) >= 1  # one row per sentence, opened to read it in place
    readings = [m.value for m in at.markdown if ":orange-background[" in m.value]
    assert readings and all(len(text) > 10 for text in readings)  # each sentence in its context
    links = [e.proto.query_string for e in at.get("page_link") if e.proto.label == "Open the sentence in the article"]
    assert len(links) == len(readings) and all(q.startswith("article=") for q in links)


def test_timeline_without_data_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA", str(tmp_path))
    at = page("timeline").run()
    assert not at.exception
    assert "No articles" in at.warning[0].value

"""The Overview's "Coverage over time" section on the outlet test corpus: a stacked bar chart per
week or month, per outlet or group, and the articles behind the bar the URL names."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from tests.conftest import page


def overview(**params: str):
    at = page("overview")
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def coverage_chart(at) -> dict:
    """The coverage chart's Plotly spec (the second chart: the first is the top actors)."""
    return json.loads(at.get("plotly_chart")[1].proto.spec)


def values(column) -> list:
    """A trace's column as a list (Plotly sends numeric arrays base64-encoded)."""
    if isinstance(column, dict):
        return np.frombuffer(base64.b64decode(column["bdata"]), dtype=column["dtype"]).tolist()
    return list(column)


def bars(spec: dict) -> dict[tuple[str, str], int]:
    """(bucket, series) → articles, as the chart draws them."""
    return {(point[0], point[1]): y for trace in spec["data"]
            for point, y in zip(trace["customdata"], values(trace["y"]))}


def test_weekly_per_outlet_by_default_for_a_short_span(outlet_data):
    at = overview()
    assert not at.exception and not at.warning
    assert at.radio(key="per").value == "week" and at.radio(key="by").value == "outlet"
    spec = coverage_chart(at)
    assert spec["layout"]["barmode"] == "stack"
    drawn = bars(spec)
    assert sum(drawn.values()) == 6
    assert drawn[("2023-02-27", "TASS")] == 1 and drawn[("2023-05-15", "Eurasia Wire Daily")] == 1
    assert not any("published" in d.value.columns for d in at.dataframe)  # no bar chosen: no bar listing


def test_monthly_per_group_from_the_link(outlet_data):
    at = overview(per="month", by="outlet group")
    assert not at.exception and not at.warning
    drawn = bars(coverage_chart(at))
    assert drawn == {("2023-03-01", "Chinese state media"): 1, ("2023-03-01", "Russian state media"): 1,
                     ("2023-04-01", "Western private media"): 1, ("2023-05-01", "Russian state media"): 1,
                     ("2023-05-01", "unknown outlet"): 1, ("2023-06-01", "Chinese state media"): 1}


@pytest.mark.parametrize(
    ("params", "heading", "titles"),
    [({"bucket": "2023-05-15", "series": "TASS"}, "1 article(s) · week of 2023\\-05\\-15 · TASS", ["Gas deliveries grow"]),
     ({"per": "month", "by": "outlet group", "bucket": "2023-03-01", "series": "Chinese state media"},
      "1 article(s) · March 2023 · Chinese state media", ["Trade hits a record"]),
     ({"bucket": "2023-05-15"}, "2 article(s) · week of 2023\\-05\\-15", ["Gas deliveries grow"] * 2)],
)
def test_the_articles_behind_the_bar_in_the_link(outlet_data, params, heading, titles):
    at = overview(**params)
    assert not at.exception and not at.warning
    assert any(heading in m.value for m in at.markdown)
    listing = next(d.value for d in at.dataframe if "published" in d.value.columns)
    assert listing["title"].tolist() == titles
    at.session_state["coverage_articles_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    [link] = [e for e in at.get("page_link") if e.proto.label.startswith("Open “")]
    assert titles[0] in link.proto.label and link.proto.query_string.startswith("article=")


@pytest.mark.parametrize(
    ("params", "dropped"),
    [({"per": "day"}, "per"), ({"by": "<b>x</b>"}, "by"), ({"bucket": "1850-01-01"}, "bucket"),
     ({"bucket": "2023-05-15", "series": "Nobody"}, "series")],
)
def test_a_bad_value_is_left_out_with_one_warning(outlet_data, params, dropped):
    at = overview(**params)
    assert not at.exception
    assert len(at.warning) == 1 and dropped in at.warning[0].value

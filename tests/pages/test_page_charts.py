"""The Figures & charts page on the seed corpus."""

from __future__ import annotations

import base64
import datetime as dt
import json

import numpy as np
import pytest
from streamlit.testing.v1.element_tree import Block

from tests.conftest import page, serve_tables


def traces(at, key: str) -> list[dict]:
    """The traces of one chart, numeric arrays (sent in binary) decoded to lists."""
    chart = next(c for c in at.get("plotly_chart") if json.loads(c.proto.spec) and key in c.proto.id)
    return [{name: decoded(value) for name, value in trace.items()} for trace in json.loads(chart.proto.spec)["data"]]


def decoded(value):
    """A plotly typed array ({"dtype", "bdata"}) as a list; any other value as it is."""
    if isinstance(value, dict) and set(value) == {"dtype", "bdata"}:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    return value


def blocks(node):
    """Every container below `node` (elements excluded)."""
    for child in getattr(node, "children", {}).values():
        if isinstance(child, Block):
            yield child
            yield from blocks(child)


def keyed(at, name: str) -> list[Block]:
    """Containers of the main area created with `key=name`."""
    return [b for b in blocks(at.main) if str(getattr(b.proto, "id", "")).endswith(f"-{name}")]


def has_table(at, name: str) -> bool:
    return bool(keyed(at, f"rows_{name}"))


def table(at, name: str):
    """The evidence table under one chart (in the container keyed `rows_<name>`)."""
    return keyed(at, f"rows_{name}")[0].dataframe[0].value


UNKNOWN_004 = "unknown outlet · 2023-05-24 · As part of bilateral…"  # no outlet in seeds/sources.csv


def test_charts_page_shows_the_trade_point_confirmed_by_two_sources(app_data):
    at = page("charts").run()
    assert not at.exception
    markers = [t for t in traces(at, "chart_money_figures") if t.get("mode") == "markers" and t.get("hovertext")]
    points = [(y, text) for t in markers for y, text in zip(t["y"], t["hovertext"])]
    trade_2022 = [text for y, text in points if abs(y - 190) < 1e-6 and "· 2022 (actual)" in text]
    assert len(trade_2022) == 1
    assert "sources (2)" in trade_2022[0]
    rows = table(at, "money_figures")
    behind = rows[(rows["period"] == "2022") & (rows["shown"] == "$190 bn")]
    assert len(behind) == 2 and set(behind["agreeing sources"]) == {2}
    at.session_state["table_money_figures"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    link = next(e for e in at.get("page_link") if e.proto.label == "Open the sentence in the article")
    assert "at=" in link.proto.query_string  # the first row opens its sentence in the same tab


def opened(tab: str):
    """The Charts page run with one tab open (only the open tab is drawn)."""
    at = page("charts")
    at.query_params["view"] = tab
    return at


def test_only_the_open_tab_is_drawn(app_data):
    at = page("charts").run()
    assert not at.exception
    assert [c.proto.id for c in at.get("plotly_chart") if "chart_money_figures" in c.proto.id]
    assert not has_table(at, "growth_figures") and not has_table(at, "actor_attention")


def test_metric_filter_narrows_the_tables(app_data):
    at = opened("Growth and shares").run()
    before = len(table(at, "growth_figures"))
    at.multiselect(key="metric").set_value(["energy_supply"]).run()
    assert not at.exception
    after = table(at, "growth_figures")
    assert 0 < len(after) < before
    assert set(after["metric"]) == {"energy supply"}  # as a reader says it


def test_url_parameter_seeds_the_metric_filter(app_data):
    at = opened("Growth and shares")
    at.query_params["metric"] = "energy_supply"
    at.run()
    assert not at.exception
    assert at.multiselect(key="metric").value == ["energy_supply"]
    assert set(table(at, "growth_figures")["metric"]) == {"energy supply"}
    assert not has_table(at, "money_figures")


def test_url_parameters_seed_the_period_and_source_filters(app_data):
    at = page("charts")
    at.query_params["period"] = ["2023", "2024"]
    at.query_params["src"] = UNKNOWN_004
    at.run()
    assert not at.exception
    assert at.slider(key="period").value == (2023, 2024)
    rows = table(at, "money_figures")
    assert set(rows["source"]) == {UNKNOWN_004}
    assert "2022" not in set(rows["period"]) and len(rows)


def test_actor_charts_and_network_controls(app_data):
    at = opened("Actor attention").run()
    at.slider(key="top").set_value(5).run()
    assert not at.exception
    attention = table(at, "actor_attention")
    assert {"China", "Russia"} <= set(attention["actor"]) and attention["actor"].nunique() == 5
    at = opened("Who appears with whom")
    at.query_params["top"] = "5"
    at.run()
    at.slider(key="minw").set_value(3).run()
    assert not at.exception
    edges = table(at, "cooccurrence")
    assert len(edges) and (edges["weight"] >= 3).all()
    pair = edges[(edges["actor_a"] == "China") & (edges["actor_b"] == "Russia")]
    assert len(pair) == 1


@pytest.fixture
def many_figures(tmp_path, monkeypatch):
    """2,100 distinct trade figures (one a day) and 70 actors in 30 articles."""
    text = "Trade reached a new high. Leaders met."
    articles = [{"article_id": f"a{i:02d}", "outlet": f"Outlet {i % 3}", "published": "2024-01-10", "text": text}
                for i in range(30)]
    figures = [{"article_id": f"a{i % 30:02d}", "surface": "$1 billion", "start": 0, "end": 5, "value": (i + 1) * 1e9,
                "unit": "USD", "metric": "bilateral_trade",
                "period": (dt.date(2015, 1, 1) + dt.timedelta(days=i)).isoformat(), "kind": "actual",
                "sent_start": 0, "sent_end": 25} for i in range(2100)]
    actors = [{"article_id": f"a{i % 30:02d}", "actor": f"Actor {i % 70:02d}", "actor_type": "person",
               "start": 26, "end": 33, "sent_start": 26, "sent_end": 38} for i in range(700)]
    return serve_tables(tmp_path, monkeypatch, articles=articles, figures=figures, actors=actors)


def test_large_point_sets_are_capped_drawn_with_webgl_and_tables_paginated(many_figures):
    at = page("charts")
    at.query_params["money_page"] = "3"
    at.run()
    assert not at.exception
    data = traces(at, "chart_money_figures")
    assert {t["type"] for t in data} == {"scattergl"}
    markers = [t for t in data if t.get("mode") == "markers"]
    assert sum(len(t["y"]) for t in markers) == 2000
    captions = " ".join(c.value for c in at.caption)
    assert "2100 point(s) from 2100 report(s)" in captions and "the 2000 most reported drawn" in captions
    assert "the CSV holds all 2100" in captions
    rows = table(at, "money_figures")
    assert len(rows) == 50 and rows["period"].iloc[0] == "2015-04-11"  # rows 101-150 by period
    assert at.pagination(key="money_page").value == 3


def test_the_heatmap_shows_the_top_actors_of_all(many_figures):
    at = opened("Actor attention").run()
    assert not at.exception
    heatmap = traces(at, "chart_attention")[0]
    assert len(heatmap["y"]) == 15
    assert any("The 15 most mentioned of 70 actors" in c.value for c in at.caption)

"""The Figures & charts page on the seed corpus."""

from __future__ import annotations

import json

from streamlit.testing.v1.element_tree import Block

from .conftest import page


def traces(at, key: str) -> list[dict]:
    chart = next(c for c in at.get("plotly_chart") if json.loads(c.proto.spec) and key in c.proto.id)
    return json.loads(chart.proto.spec)["data"]


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
    assert rows["open"].str.contains("at=").all()


def test_metric_filter_narrows_the_tables(app_data):
    at = page("charts").run()
    before = len(table(at, "growth_figures"))
    at.multiselect(key="metric").set_value(["energy_supply"]).run()
    assert not at.exception
    after = table(at, "growth_figures")
    assert 0 < len(after) < before
    assert set(after["metric"]) == {"energy_supply"}


def test_url_parameter_seeds_the_metric_filter(app_data):
    at = page("charts")
    at.query_params["metric"] = "energy_supply"
    at.run()
    assert not at.exception
    assert at.multiselect(key="metric").value == ["energy_supply"]
    assert set(table(at, "growth_figures")["metric"]) == {"energy_supply"}
    assert not has_table(at, "money_figures")


def test_url_parameters_seed_the_period_and_source_filters(app_data):
    at = page("charts")
    at.query_params["period"] = ["2023", "2024"]
    at.query_params["src"] = "004_37be19fe9c2cb324"
    at.run()
    assert not at.exception
    assert at.slider(key="period").value == (2023, 2024)
    rows = table(at, "money_figures")
    assert set(rows["source"]) == {"004_37be19fe9c2cb324"}
    assert "2022" not in set(rows["period"]) and len(rows)


def test_actor_charts_and_network_controls(app_data):
    at = page("charts").run()
    at.slider(key="top").set_value(5).run()
    at.slider(key="minw").set_value(3).run()
    assert not at.exception
    attention = table(at, "actor_attention")
    assert {"China", "Russia"} <= set(attention["actor"]) and attention["actor"].nunique() == 5
    edges = table(at, "cooccurrence")
    assert len(edges) and (edges["weight"] >= 3).all()
    pair = edges[(edges["actor_a"] == "China") & (edges["actor_b"] == "Russia")]
    assert len(pair) == 1

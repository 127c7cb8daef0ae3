"""The Overview page on the seed corpus."""

from __future__ import annotations

from app import ui
from tests.conftest import page


def test_overview_shows_corpus_figures_chart_and_articles(app_data):
    at = page("overview").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "5"
    assert (metrics["First published"], metrics["Last published"]) == ("2023-05-24", "2024-08-21")
    assert int(metrics["Distinct actors"]) >= 20
    assert metrics["Outlets"] == "3"  # the seeds name three outlets; two articles name none
    assert any(c.value == "and 2 article(s) whose outlet is unknown" for c in at.caption)
    listing = at.dataframe[0].value
    assert len(listing) == 5 and listing["title"].notna().all()


def test_a_selected_article_opens_in_the_same_tab(app_data):
    at = page("overview").run()
    first = at.dataframe[0].value.iloc[0]
    at.session_state["articles_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    [link] = [e for e in at.get("page_link") if e.proto.label.startswith("Open “")]
    assert first["title"][:20] in link.proto.label and link.proto.query_string.startswith("article=")


def test_top_actors_link_to_their_pages(app_data):
    at = page("overview").run()
    html = "".join(e.proto.body for e in at.get("html"))
    assert f'href="{ui.actor_url("China")}"' in html and f'href="{ui.actor_url("Russia")}"' in html


def test_the_articles_table_has_a_csv_download(app_data):
    at = page("overview").run()
    assert any(e.proto.label == "Download CSV" for e in at.get("download_button"))


def test_overview_top_actor_slider_changes_chart(app_data):
    at = page("overview").run()
    at.slider(key="top").set_value(5).run()
    assert not at.exception
    chart = at.get("plotly_chart")[0]
    import json

    spec = json.loads(chart.proto.spec)
    shown = {y for trace in spec["data"] for y in trace["y"]}
    assert len(shown) == 5
    assert {"China", "Russia"} <= shown


def test_overview_without_data_says_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA", str(tmp_path))
    at = page("overview").run()
    assert not at.exception
    assert "No articles" in at.warning[0].value

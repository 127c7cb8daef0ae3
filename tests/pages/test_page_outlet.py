"""The Outlet page on the outlet test corpus: a known outlet, one the outlets file does not know,
a name that is not in the corpus, a hostile name, and no name at all."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest

from tests.conftest import page


def opened(name: str | None):
    at = page("outlet")
    if name is not None:
        at.query_params["name"] = name
    return at.run()


def frame_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_a_known_outlet(outlet_data):
    at = opened("TASS")
    assert not at.exception and not at.warning
    assert at.selectbox(key="name").value == "TASS"
    profile = " ".join(m.value for m in at.markdown)
    for shown in ("Russia", "state", "agency", "Russian state media"):
        assert shown in profile
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Articles"], metrics["Stories"], metrics["First published"], metrics["Last published"]) == \
        ("2", "2", "2023-03-02", "2023-05-15")
    articles = frame_with(at, "title")
    assert articles["title"].tolist() == ["Gas deliveries grow", "Putin hails talks"]
    assert articles["original"].tolist() == ["https://tass.com/economy/2", "https://tass.com/economy/1"]
    contested = frame_with(at, "others say")
    assert contested["says"].tolist() == ["$185 billion"]
    assert contested["others say"].tolist() == ["$190 bn (Reuters, Xinhua)"]
    at.session_state["outlet_contested"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    [link] = [e for e in at.get("page_link") if e.proto.label == "Open the sentence in the article"]
    assert parse_qs(link.proto.query_string)["article"] == ["b_tass"]
    assert sum(e.proto.label == "Download CSV" for e in at.get("download_button")) == 5
    assert set(frame_with(at, "metric")["metric"]) == {"bilateral trade", "gas supply"}


def test_an_outlet_the_outlets_file_does_not_know(outlet_data):
    at = opened("Eurasia Wire Daily")
    assert not at.exception and not at.warning
    assert any("not in the outlets data file" in c.value for c in at.caption)
    articles = frame_with(at, "copy")
    assert articles["copy"].tolist() == ["copy of “Gas deliveries grow” (TASS)"]
    assert any("No other outlet gives another value" in i.value for i in at.info)


@pytest.mark.parametrize("name", ["Global Times", "<script>alert(1)</script>", "TASS<img src=x onerror=alert(1)>"])
def test_a_name_not_in_the_corpus_gets_one_warning_and_the_picker(outlet_data, name):
    at = opened(name)
    assert not at.exception
    assert len(at.warning) == 1 and "left out" in at.warning[0].value
    assert not re.search(r"(?<!\\)<", at.warning[0].value)  # every "<" escaped: shown, never rendered
    assert at.selectbox(key="name").value is None
    assert any("Choose an outlet" in i.value for i in at.info)


def test_no_name_shows_the_picker_most_articles_first(outlet_data):
    at = opened(None)
    assert not at.exception and not at.warning
    assert at.selectbox(key="name").options[:2] == ["TASS", "Xinhua"]
    at.selectbox(key="name").select("Reuters").run()
    assert not at.exception
    assert frame_with(at, "title")["title"].tolist() == ["Oil flows east"]

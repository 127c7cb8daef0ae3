"""The Actor page on the seeds (a known actor, an unknown one, a hostile name), and the actor links
the other pages carry to it."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from app import ui
from tests.conftest import page

KEY = "name"


def actor_page(name: str | None):
    at = page("actor")
    if name is not None:
        at.query_params[KEY] = name
    return at.run()


def html_of(at) -> str:
    return "".join(block.proto.body for block in at.get("html"))


def tables(seed_tables) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(seed_tables / f"{name}.parquet") for name in ("actors", "quotes", "events")}


@pytest.mark.parametrize("name", ["Xi Jinping", "Vladimir Putin", "China"])
def test_a_known_actor_shows_counts_true_to_the_tables(app_data, name):
    seeds = tables(app_data)
    at = actor_page(name)
    assert not at.exception and not at.warning
    assert at.selectbox(key=KEY).value == name
    assert at.header[0].value == ui.literal(name)
    mentions = seeds["actors"][seeds["actors"]["actor"] == name]
    assert f"{len(mentions)} mention(s) in {mentions['article_id'].nunique()} article(s)" in at.caption[0].value
    names = next(d.value for d in at.dataframe if "how" in d.value)
    assert names["mentions"].sum() == len(mentions)
    assert set(names["name"]) == set(mentions["surface"])
    quoted = (seeds["quotes"]["speaker"] == name).sum()
    said = f"{quoted} quotation(s)" if quoted else "No quotation"
    assert any(c.value.startswith(said) for c in at.caption)
    taking_part = sum(name in list(a) for a in seeds["events"]["actors"])
    if taking_part:
        events = next(d.value for d in at.dataframe if "summary" in d.value)
        assert len(events) == taking_part
        at.session_state["actor_events"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
        at.run()
        [link] = [e for e in at.get("page_link") if e.proto.label == "Open the sentence in the article"]
        assert link.proto.query_string.startswith("article=")  # the same tab, at the sentence


def test_quotations_show_their_sentence_and_open_it(app_data):
    seeds = tables(app_data)
    own = seeds["quotes"][seeds["quotes"]["speaker"] == "Xi Jinping"]
    at = actor_page("Xi Jinping")
    links = [link for link in at.get("page_link") if link.proto.label == "Open the sentence"]
    assert len(links) == len(own)
    opened = sorted(link.proto.query_string for link in links)
    assert opened == sorted(f"article={a}&at={s}" for a, s in zip(own["article_id"], own["start"]))
    shown = " ".join(m.value for m in at.markdown)
    first = own.iloc[0]["text"].split()[0]
    assert ui.literal(first) in shown


def test_companions_link_to_their_own_pages(app_data):
    at = actor_page("Xi Jinping")
    companions = next(d.value for d in at.dataframe if "sentences" in d.value)
    assert "Xi Jinping" not in set(companions["actor"])
    markup = html_of(at)
    for other in companions["actor"]:
        assert f'href="{ui.actor_url(other)}"' in markup.replace("&amp;", "&")


def test_an_actor_only_quoted_has_a_page(app_data):
    at = actor_page("communique")
    assert not at.exception and not at.warning
    assert "speaker of quotations" in at.caption[0].value
    assert any(c.value.startswith("1 quotation(s)") for c in at.caption)


def test_an_unknown_actor_gets_one_warning_and_the_picker(app_data):
    at = actor_page("Nobody Inparticular")
    assert not at.exception
    assert len(at.warning) == 1 and "left out" in at.warning[0].value
    assert at.selectbox(key=KEY).value is None
    assert KEY not in at.query_params
    assert not at.header


@pytest.mark.parametrize("name", ['<script>alert("x")</script>', "Xi Jinping<img src=x onerror=alert(1)>",
                                  "[click](javascript:alert(1))", "\x00\x07"])
def test_a_hostile_name_is_shown_escaped_and_the_page_still_renders(app_data, name):
    at = actor_page(name)
    assert not at.exception
    assert len(at.warning) == 1 and "left out" in at.warning[0].value
    assert not re.search(r"(?<!\\)[<\[\]()]", at.warning[0].value.split("left out:")[1])  # all escaped
    assert at.selectbox(key=KEY).value is None
    assert "<script" not in html_of(at)


def test_choosing_an_actor_puts_it_in_the_url(app_data):
    at = actor_page(None)
    assert not at.exception and not at.header
    at.selectbox(key=KEY).set_value("Li Qiang").run()
    assert not at.exception
    assert at.query_params[KEY] in ("Li Qiang", ["Li Qiang"])
    assert at.header[0].value == ui.literal("Li Qiang")


@pytest.mark.parametrize(("name", "url"), [
    ("Xi Jinping", "actor?name=Xi+Jinping"),
    ("A&B <x>", "actor?name=A%26B+%3Cx%3E"),
])
def test_actor_url_encodes_the_name(name, url):
    assert ui.actor_url(name) == url


def test_quote_speakers_link_to_their_page(app_data):
    at = page("quotes")
    at.query_params["q"] = "unprecedented"
    at.run()
    assert f'href="{ui.actor_url("Mikhail Mishustin")}"' in html_of(at)


def test_article_mentions_link_to_their_page(app_data):
    at = page("article").run()
    assert 'href="actor?name=' in html_of(at)


def test_charts_top_actors_link_to_their_pages(app_data):
    at = page("charts")
    at.query_params["view"] = "Actor attention"
    at.run()
    assert not at.exception
    assert f'href="{ui.actor_url("China")}"' in html_of(at)


def test_compare_actors_link_to_their_pages(app_data):
    at = page("compare")
    at.query_params["view"] = "Actors and events"
    at.run()
    assert not at.exception
    assert f'href="{ui.actor_url("Russia")}"' in html_of(at)


def test_timeline_selected_events_link_their_actors(app_data):
    seeds = tables(app_data)
    at = page("timeline").run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    event_id = spec["layout"]["yaxis"]["categoryarray"][0]  # the first bar drawn
    at.session_state["timeline_chart"] = {"selection": {"points": [{"y": event_id, "customdata": [event_id]}],
                                                        "point_indices": [0], "box": [], "lasso": []}}
    at.run()
    assert not at.exception
    markup = html_of(at).replace("&amp;", "&")
    names = {n for names in seeds["events"][seeds["events"]["event_id"] == event_id]["actors"] for n in names}
    assert names
    for name in names:
        assert f'href="{ui.actor_url(name)}"' in markup

"""The Article page: escaped text, highlighted actors, extracted rows, URL-selected article."""

from __future__ import annotations

import pandas as pd

from app import markup, ui
from tests.conftest import page

ARTICLE = "003_8d543dddf1d6987b"


def test_article_from_url_is_shown_with_its_rows(app_data):
    at = page("article")
    at.query_params["article"] = ARTICLE
    at.run()
    assert not at.exception
    assert at.selectbox(key=ui.KEY_ARTICLE).value == ARTICLE
    assert at.title[0].value.startswith("Chinese Premier Li Qiang told")
    html = at.get("html")[0].proto.body
    assert "<mark" in html and "Li Qiang" in html
    actors = at.dataframe[0].value
    assert {"Li Qiang", "China", "Russia", "Vladimir Putin"} <= set(actors["actor"])


def test_choosing_an_article_updates_the_url(app_data):
    at = page("article").run()
    at.selectbox(key=ui.KEY_ARTICLE).set_value(ARTICLE).run()
    assert not at.exception
    assert at.query_params["article"] == [ARTICLE] or at.query_params["article"] == ARTICLE


def test_unknown_article_in_url_gives_notice_not_failure(app_data):
    at = page("article")
    at.query_params["article"] = "<script>alert(1)</script>"
    at.run()
    assert not at.exception
    assert "left out" in at.warning[0].value and r"\<script\>" in at.warning[0].value
    assert at.selectbox(key=ui.KEY_ARTICLE).index == 0  # the first article


def test_highlight_escapes_article_text():
    text = 'Putin said <script>alert("x")</script> & <img src=x onerror=alert(1)>.'
    mentions = pd.DataFrame([{"start": 0, "end": 5, "actor": "Vladimir Putin", "actor_type": "person"}])
    body = markup.highlight(text, mentions)
    assert "<script>" not in body and "<img" not in body
    assert "&lt;script&gt;" in body and "&amp;" in body
    assert body.count("<mark") == 1


def test_a_large_corpus_picks_an_article_by_title_words(app_data, monkeypatch):
    from lib.views import search

    monkeypatch.setattr(search, "PICKER_LISTS_ALL", 2)  # the seeds' five articles count as many
    at = page("article").run()
    assert not at.exception
    everything = at.selectbox(key=ui.KEY_ARTICLE).options
    at.text_input(key="find").input("premier LI").run()
    picker = at.selectbox(key=ui.KEY_ARTICLE)
    assert len(picker.options) == 2 < len(everything)  # the article shown and the one that matches
    assert any(ARTICLE in option and "Li Qiang" in option for option in picker.options)
    picker.set_value(ARTICLE).run()
    assert not at.exception
    assert at.title[0].value.startswith("Chinese Premier Li Qiang told")
    assert at.query_params["article"] in ([ARTICLE], ARTICLE) and "find" not in at.query_params


def test_title_matches_need_every_word_as_typed():
    from lib.views.search import title_matches

    sql, *words = title_matches("  Power  SIBERIA ", 5)
    assert words == ["power", "siberia"] and sql.count("contains(") == 2 and sql.endswith("LIMIT 5")
    assert title_matches("", 3)[1:] == () and "WHERE true" in title_matches(None, 3)[0]
    assert "%" not in title_matches("100% gas", 3)[0]  # typed text is a parameter, never SQL

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

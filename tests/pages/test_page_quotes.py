"""The Quotes page: seed data, search, URL-bound filters, pagination, escaped quote text."""

from __future__ import annotations

import re

import pytest

from lib.views import quote_search
from lib.views.quote_search import UNKNOWN
from tests.conftest import page, serve_tables

# The widget keys are the URL parameter names: q, fuzzy, speaker, src, kind, from, to, page, view.


def link_box(at) -> str:
    """The link to the view, as the sidebar shows it."""
    return next(c.value for c in at.code if "v=" in c.value or c.value.startswith("/"))


def cards(at) -> str:
    """The HTML of the quote list (empty when no quote is listed)."""
    return "".join(block.proto.body for block in at.get("html"))


def test_seed_quotes_page_runs(app_data):
    at = page("quotes").run()
    assert not at.exception
    assert cards(at).count("border-left") > 0
    assert at.dataframe[0].value["speaker"].notna().all()  # table view
    summary = at.dataframe[1].value
    assert summary["quotes"].sum() == len(at.dataframe[0].value)


def test_search_narrows_to_mishustin(app_data):
    at = page("quotes")
    at.query_params["q"] = "unprecedented"
    at.run()
    assert not at.exception
    assert at.text_input(key="q").value == "unprecedented"
    table = at.dataframe[0].value
    assert len(table) >= 1
    assert set(table["speaker"]) == {"Mikhail Mishustin"}
    assert "Mikhail Mishustin" in cards(at)
    assert "article?article=" in cards(at)  # every quote links to its place in the article


def test_typing_a_search_filters_the_list(app_data):
    at = page("quotes").run()
    everything = len(at.dataframe[0].value)
    at.text_input(key="q").input("unprecedented").run()
    assert not at.exception
    assert 0 < len(at.dataframe[0].value) < everything


def test_speaker_filter_from_url(app_data):
    at = page("quotes")
    at.query_params["speaker"] = ["Ryan Hass", UNKNOWN]
    at.run()
    assert not at.exception
    assert at.multiselect(key="speaker").value == ["Ryan Hass", UNKNOWN]
    speakers = set(at.dataframe[0].value["speaker"])
    assert "Ryan Hass" in speakers and speakers <= {"Ryan Hass", UNKNOWN}


def test_kind_and_unknown_speaker_in_url_are_ignored_gracefully(app_data):
    at = page("quotes")
    at.query_params["kind"] = "fragment"
    at.query_params["speaker"] = "<script>alert(1)</script>"  # not a speaker: dropped, not an error
    at.run()
    assert not at.exception
    assert at.radio(key="kind").value == "fragment"
    assert at.multiselect(key="speaker").value == []
    assert set(at.dataframe[0].value["kind"]) == {"fragment"}


@pytest.fixture
def tiny_data(tmp_path, monkeypatch):
    articles = [
        {
            "article_id": "x1",
            "title": "<b>Bold</b> title",
            "outlet": "Wire & Co",
            "published": "2024-03-01",
            "published_inferred": True,
            "text": "He said it.",
        },
        {
            "article_id": "x2",
            "title": "Second",
            "outlet": "Daily",
            "published": "2024-04-01",
            "text": "More.",
        },
    ]
    quotes = [
        {
            "article_id": "x1",
            "text": '<script>alert("x")</script> & more',
            "start": 3,
            "end": 40,
            "speaker": "<img src=x onerror=alert(1)>",
            "cue": "say",
            "kind": "full",
        },
    ] + [
        {
            "article_id": "x2",
            "text": f"statement number {i}",
            "start": i,
            "end": i + 1,
            "speaker": None,
            "kind": "full",
        }
        for i in range(30)
    ]
    return serve_tables(tmp_path, monkeypatch, articles=articles, quotes=quotes)


def test_markup_in_quotes_is_shown_escaped(tiny_data):
    at = page("quotes")
    at.query_params["q"] = "script"
    at.run()
    assert not at.exception
    body = cards(at)
    assert "<script>" not in body and "<img" not in body and "<b>Bold" not in body
    assert "&lt;script&gt;" in body and "&lt;img" in body and "&lt;b&gt;Bold" in body
    assert "Wire &amp; Co" in body
    assert "2024-03-01 (inferred)" in body  # inferred dates are marked
    assert 'href="article?article=x1&amp;at=3"' in body


def test_many_quotes_are_paginated_and_a_filter_goes_back_to_page_one(tiny_data):
    at = page("quotes").run()
    assert not at.exception
    assert cards(at).count("border-left") == 25
    at.pagination(key="page").select(2).run()
    assert cards(at).count("border-left") == 6
    at.multiselect(key="speaker").set_value([UNKNOWN]).run()
    assert at.pagination(key="page").value == 1
    assert cards(at).count("border-left") == 25


def test_date_range_from_url(tiny_data):
    at = page("quotes")
    at.query_params["from"] = "2024-03-15"
    at.run()
    assert not at.exception
    assert set(at.dataframe[0].value["title"]) == {"Second"}


@pytest.fixture
def many_quotes(tmp_path, monkeypatch):
    """130 quotes by 35 speakers in two articles."""
    articles = [
        {"article_id": "m1", "title": "First", "outlet": "Wire", "published": "2024-03-01", "text": "x"},
        {"article_id": "m2", "title": "Second", "outlet": "Daily", "published": "2024-04-01", "text": "y"},
    ]
    quotes = [
        {"article_id": f"m{1 + i % 2}", "text": f"statement number {i}", "start": i, "end": i + 1,
         "speaker": f"Speaker {i % 35:02d}", "kind": "full"}
        for i in range(130)
    ]
    return serve_tables(tmp_path, monkeypatch, articles=articles, quotes=quotes)


def test_the_table_tab_is_paginated_from_the_url_apart_from_the_list(many_quotes):
    at = page("quotes")
    at.query_params["table_page"] = "3"
    at.run()
    assert not at.exception
    assert cards(at).count("border-left") == 25  # the list stays on its first page
    assert len(at.dataframe[0].value) == 30  # 130 quotes, 50 a page
    assert at.pagination(key="table_page").value == 3
    assert any("the CSV holds all 130" in c.value for c in at.caption)
    assert at.get("download_button")


def test_the_speaker_chart_draws_the_most_quoted_speakers(many_quotes):
    at = page("quotes").run()
    assert not at.exception
    summary = at.dataframe[1].value
    assert len(summary) == 35 and summary["quotes"].sum() == 130
    assert any("30 most quoted of 35 speakers" in c.value for c in at.caption)


def test_fuzzy_search_from_the_url_matches_misspellings(many_quotes):
    at = page("quotes")
    at.query_params["q"] = "statment"
    at.query_params["fuzzy"] = "true"
    at.run()
    assert not at.exception
    assert any(c.value.startswith("130 of 130 quotes") for c in at.caption)
    at.toggle(key="fuzzy").set_value(False).run()
    assert any(c.value.startswith("0 of 130 quotes") for c in at.caption)


@pytest.fixture
def few_options(many_quotes, monkeypatch):
    """The many quotes with filters listing 10 names: Speaker 00-09 (4 quotes each) of the 35."""
    monkeypatch.setattr(quote_search, "MAX_OPTIONS", 10)
    return many_quotes


def test_the_speaker_filter_lists_only_the_most_quoted(few_options):
    at = page("quotes").run()
    assert not at.exception
    speakers = at.multiselect(key="speaker")
    assert speakers.options == [f"Speaker {i:02d}" for i in range(10)]
    assert "10 most quoted" in speakers.help and "type any other name" in speakers.help
    assert at.multiselect(key="src").options == ["Daily", "Wire"]


def test_a_rare_speaker_in_the_url_is_listed_selected_and_filters(few_options):
    at = page("quotes")
    at.query_params["speaker"] = "Speaker 34"  # 3 quotes: not among the 10 most quoted
    at.run()
    assert not at.exception and not at.warning
    speakers = at.multiselect(key="speaker")
    assert speakers.value == ["Speaker 34"]
    assert len(speakers.options) == 11 and speakers.options[-1] == "Speaker 34"
    assert set(at.dataframe[0].value["speaker"]) == {"Speaker 34"}
    assert any(c.value.startswith("3 of 130 quotes") for c in at.caption)


def test_an_unknown_speaker_in_the_url_is_still_rejected(few_options):
    at = page("quotes")
    at.query_params["speaker"] = ["Speaker 34", "speaker 33", "<b>Nobody</b>"]
    at.run()
    assert not at.exception
    assert at.multiselect(key="speaker").value == ["Speaker 34"]
    assert at.query_params["speaker"] == "Speaker 34"
    notice = at.warning[0].value
    assert "left out" in notice and r"\<b\>Nobody\</b\>" in notice and "speaker 33" in notice


def test_a_typed_name_gets_its_corpus_spelling(few_options):
    at = page("quotes").run()
    at.query_params["speaker"] = "speaker 30"  # a browser puts the typed value in the URL at once
    at.multiselect(key="speaker").set_value(["speaker 30"]).run()
    assert not at.exception and not at.warning
    assert at.multiselect(key="speaker").value == ["Speaker 30"]
    assert at.query_params["speaker"] == "Speaker 30"
    assert "speaker=Speaker+30" in link_box(at)  # the link shares the corpus spelling
    assert set(at.dataframe[0].value["speaker"]) == {"Speaker 30"}
    at.multiselect(key="src").set_value(["DAILY"]).run()
    assert at.multiselect(key="src").value == ["Daily"]
    assert set(at.dataframe[0].value["source"]) == {"Daily"}


def test_a_typed_name_the_corpus_lacks_is_dropped_with_a_note(few_options):
    at = page("quotes").run()
    at.multiselect(key="speaker").set_value(["Speaker 01", "*Nobody*"]).run()
    assert not at.exception and not at.warning
    assert at.multiselect(key="speaker").value == ["Speaker 01"]
    assert any(c.value == r"No speaker named “\*Nobody\*” in this corpus." for c in at.caption)
    assert "Nobody" not in link_box(at)
    at.run()  # the note answers the typing; it goes with the next run
    assert not any("No speaker named" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [(None, {"full", "fragment"}), ("both", {"full", "fragment"}), ("term", {"term"}),
     ("all", {"full", "fragment", "term"})],
)
def test_terms_in_quote_marks_are_left_out_unless_asked_for(app_data, kind, expected):
    """A term in quote marks (the “no limits” partnership) is no statement: hidden by default."""
    at = page("quotes")
    if kind:
        at.query_params["kind"] = kind
    at.query_params["view"] = "Table"
    at.run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert set(shown["kind"]) == expected
    assert ("no limits" in set(shown["text"])) == ("term" in expected)


def test_each_quote_reads_in_context_with_a_citation(app_data):
    at = page("quotes").run()
    assert not at.exception
    readings = [e for e in at.expander if e.label == "In context · cite"]
    assert len(readings) == cards(at).count("border-left")  # one per quote listed
    assert not readings[0].markdown  # drawn only when opened
    article_id, start = re.search(r"article=([\w-]+)&amp;at=(\d+)", cards(at)).groups()  # the first quote
    at.session_state[f"context_{article_id}_{start}"] = True  # opened
    at.run()
    first = next(e for e in at.expander if e.label == "In context · cite" and e.markdown)
    context = next(m.value for m in first.markdown if ":orange-background[" in m.value)
    citation = first.code[0].value
    quote = citation[1:citation.index("”")]
    assert quote.split()[0] in context  # the quote, within its highlighted sentence
    assert len(context) > len(quote) + 40  # and the sentences around it
    assert re.search(r"— .+, \d{4}-\d{2}-\d{2}\.", citation)  # speaker, outlet, date (a URL when one is known)
    link = next(e for e in first.get("page_link") if e.proto.label == "Open the sentence in the article")
    assert link.proto.query_string.startswith("article=")


def test_a_page_beyond_the_last_leaves_the_url_and_the_link(app_data):
    at = page("quotes")
    at.query_params["page"] = "999"
    at.run()
    assert not at.exception
    assert len(at.warning) == 1 and "page" in at.warning[0].value
    assert "page" not in at.query_params
    assert "page=" not in link_box(at)

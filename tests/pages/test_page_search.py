"""The Search page: the query in the URL, ranked hits of articles, quotes and events with their
sentence and a link, counts per kind, escaped text, and links it cannot serve."""

from __future__ import annotations

import re

import pytest

from lib.contract.schema import from_rows
from lib.contract.searchtext import INDEX_FILE
from lib.run import search_index
from tests.conftest import page, serve_tables


def cards(at) -> str:
    """The HTML of the hit list (empty when none is shown)."""
    blocks = at.get("html")
    return blocks[0].proto.body if blocks else ""


def searched(words: str, **params: str):
    at = page("search")
    at.query_params["q"] = words
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def test_without_a_query_the_page_asks_for_words(app_data):
    at = page("search").run()
    assert not at.exception
    assert at.text_input(key="q").value == ""
    assert "Type one or more words" in at.info[0].value
    assert not cards(at)


def test_a_word_form_finds_the_sentence_and_links_to_it(app_data):
    at = searched("unprecedentedly")
    assert not at.exception
    html = cards(at)
    # every seed article that says "unprecedented" or "unprecedentedly" is a hit, the word marked
    marked = re.findall(r"<mark[^>]*>([^<]*)</mark>", html)
    assert {"unprecedented", "unprecedentedly"} <= set(marked)
    links = re.findall(r'href="(article\?article=[^"]+)"', html)
    assert len(links) == html.count('class="search-hit"') >= 3
    assert all("&amp;at=" in link for link in links)  # each opens at its sentence


def test_counts_per_kind_and_the_kind_in_the_url(app_data):
    at = searched("unprecedented", **{"in": "Quotes"})
    assert not at.exception
    counts = re.fullmatch(r"(\d+) stor(?:y|ies) · (\d+) quotes? · (\d+) events? match; best match first\.", at.caption[0].value)
    assert counts, at.caption[0].value
    html = cards(at)
    assert html.count('class="search-hit"') == int(counts.group(2)) > 0
    assert "Mikhail Mishustin" in html and "“" in html  # quotes with their speaker


def test_events_list_their_date_and_actors(app_data):
    at = searched("Mishustin", **{"in": "Events"})
    assert not at.exception
    html = cards(at)
    assert html.count('class="search-hit"') > 0 and "Mishustin</mark>" in html
    assert re.search(r">\d{4}(-\d{2})?(-\d{2})?</a>", html)  # each event headed by its date


def test_fts_syntax_in_the_query_is_plain_words(app_data):
    at = searched('NEAR("unprecedented" level) * ^ title:')
    assert not at.exception
    assert not at.warning


def test_markup_in_the_link_is_dropped_with_one_warning(app_data):
    at = searched("<script>alert(1)</script>")
    assert not at.exception
    assert len(at.warning) == 1 and "left out" in at.warning[0].value
    assert at.text_input(key="q").value == ""
    assert "<script>" not in cards(at)


def test_too_long_a_query_is_dropped(app_data):
    at = searched("sanctions " * 40)
    assert not at.exception
    assert len(at.warning) == 1 and at.text_input(key="q").value == ""


def test_no_hit_says_so(app_data):
    at = searched("zeppelin")
    assert not at.exception
    assert "No articles match" in at.info[0].value


def test_typing_a_query_shows_hits(app_data):
    at = page("search").run()
    at.text_input(key="q").input("sanction").run()
    assert not at.exception
    assert cards(at).count('class="search-hit"') > 0
    assert "sanctions</mark>" in cards(at)


@pytest.fixture
def hostile_data(tmp_path, monkeypatch):
    """One article, its copy in another outlet, with markup in its title, outlet and text."""
    text = "Sanctions <b>bite</b> & [link](javascript:alert(1)) hurt trade, a *source* said."
    articles = [
        {"article_id": "x1", "title": "<img src=x onerror=alert(1)> sanctions", "outlet": "<i>Outlet</i>",
         "published": "2024-01-02", "text": text, "words": 12},
        {"article_id": "x2", "title": "Copy", "outlet": "Other outlet", "published": "2024-01-03", "text": text,
         "words": 12, "copy_of": "x1"},
    ]
    folder = serve_tables(tmp_path, monkeypatch, articles=articles)
    search_index.build({"articles": from_rows(articles, "articles")}, folder / INDEX_FILE)
    return folder


def test_hits_are_escaped_and_copies_are_one_story(hostile_data):
    at = searched("sanction")
    assert not at.exception
    html = cards(at)
    assert html.count('class="search-hit"') == 1
    assert "carried by 2 outlets" in html
    assert "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;b&gt;bite&lt;/b&gt;" in html


def test_tables_without_an_index_say_how_to_build_it(tmp_path, monkeypatch):
    serve_tables(tmp_path, monkeypatch, articles=[{"article_id": "a", "title": "t", "text": "Gas talks."}])
    at = searched("gas")
    assert not at.exception
    assert "no search index" in at.warning[0].value


def test_pages_of_hits_from_the_url(tmp_path, monkeypatch):
    articles = [{"article_id": f"a{k:02d}", "title": f"Report {k}", "outlet": f"Outlet {k}", "published": "2024-02-01",
                 "text": f"Gas flows rose by {k} percent." + " More gas." * (k % 3), "words": 6} for k in range(45)]
    folder = serve_tables(tmp_path, monkeypatch, articles=articles)
    search_index.build({"articles": from_rows(articles, "articles")}, folder / INDEX_FILE)
    first = searched("gas")
    assert not first.exception
    assert first.caption[0].value.startswith("45 stories")
    assert cards(first).count('class="search-hit"') == 20
    last = searched("gas", page="3")
    assert not last.exception
    shown = re.findall(r"article=(a\d\d)", cards(last))
    assert len(shown) == 5
    assert not set(shown) & set(re.findall(r"article=(a\d\d)", cards(first)))


def test_quotes_name_their_speaker_or_say_what_they_are(tmp_path, monkeypatch):
    text = "Officials hailed the “no limits” partnership. “Trade will grow,” Li said. “Ties are strong,” one said."
    articles = [{"article_id": "q1", "title": "Quotes", "outlet": "Wire", "published": "2024-03-01", "text": text,
                 "words": 16}]
    quotes = [
        {"article_id": "q1", "text": "no limits", "start": 22, "end": 31, "speaker": None, "kind": "term"},
        {"article_id": "q1", "text": "Trade will grow,", "start": 47, "end": 63, "speaker": "Li Qiang", "kind": "full"},
        {"article_id": "q1", "text": "Ties are strong,", "start": 75, "end": 91, "speaker": None, "kind": "full"},
    ]
    folder = serve_tables(tmp_path, monkeypatch, articles=articles, quotes=quotes)
    search_index.build({"articles": from_rows(articles, "articles"), "quotes": from_rows(quotes, "quotes")},
                       folder / INDEX_FILE)
    html = cards(searched("limits", **{"in": "Quotes"}))
    assert "a name or term in quote marks</a>" in html and "(unknown)" not in html
    html = cards(searched("grows", **{"in": "Quotes"}))
    assert "Li Qiang</a>" in html and "<mark" in html and "grow</mark>" in html
    html = cards(searched("strong", **{"in": "Quotes"}))
    assert "(unknown)</a>" in html

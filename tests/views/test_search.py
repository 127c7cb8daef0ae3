"""Search queries: word forms, ranking, copies as one story, the best sentence, marked words, and
queries that look like FTS5 syntax."""

from __future__ import annotations

import pytest

from lib.contract.schema import from_rows
from lib.contract.searchtext import INDEX_FILE
from lib.run import search_index
from lib.views import search
from lib.views.search import SearchIndex

ARTICLES = [
    {"article_id": "ties", "title": "Ties at a high",
     "text": "Leaders met in Kazan. Relations are unprecedentedly close, an aide said. Trade grew."},
    {"article_id": "sanctions", "title": "New sanctions on banks",
     "text": "Washington sanctioned three banks. The sanctions target payments. Beijing objected."},
    {"article_id": "sanctions-copy", "title": "New sanctions on banks",
     "text": "Washington sanctioned three banks. The sanctions target payments. Beijing objected.",
     "copy_of": "sanctions"},
    {"article_id": "gas", "title": "Pipeline talks",
     "text": "Talks on the Power of Siberia 2 pipeline stalled. A sanction was mentioned once."},
    {"article_id": "power", "title": "Power cuts", "text": "Power went out in Siberia for 2 days."},
]
QUOTES = [
    {"article_id": "ties", "text": "relations are at an unprecedented level", "start": 22, "end": 60,
     "speaker": "Mikhail Mishustin", "kind": "full"},
    {"article_id": "sanctions", "text": "illegitimate sanctions", "start": 40, "end": 60, "speaker": None,
     "kind": "fragment"},
]
EVENTS = [
    {"article_id": "ties", "date": "2024-10", "actors": ["Vladimir Putin", "Xi Jinping"],
     "summary": "Leaders met in Kazan.", "start": 0, "end": 21},
    {"article_id": "gas", "date": None, "actors": ["Gazprom"], "summary": "Pipeline talks stalled.",
     "start": 0, "end": 49},
]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    folder = tmp_path_factory.mktemp("search")
    search_index.build({"articles": from_rows(ARTICLES, "articles"), "quotes": from_rows(QUOTES, "quotes"),
                        "events": from_rows(EVENTS, "events")}, folder / INDEX_FILE)
    return SearchIndex.open(folder)


def found(index: SearchIndex, query: str) -> list[str]:
    return index.article_hits(query, 10)["article_id"].tolist()


@pytest.mark.parametrize("query, expected", [
    ("unprecedented", ["ties"]),
    ("UNPRECEDENTED", ["ties"]),
    ("relation unprecedented", ["ties"]),
    ("Kazan unprecedented trade", ["ties"]),  # words of different sentences of one article
    ("objects", ["sanctions"]),
    ("pipelines", ["gas"]),
    ("unprecedented sanctions", []),  # every word must occur
    ("kazakhstan", []),
])
def test_word_forms_find_the_articles(index, query, expected):
    assert found(index, query) == expected


def test_more_matches_and_title_words_rank_first(index):
    # "sanctions" is in the title and twice in the text of the story; once in the pipeline article
    assert found(index, "sanction") == ["sanctions", "gas"]


def test_quoted_words_must_occur_together(index):
    assert sorted(found(index, "power siberia 2")) == ["gas", "power"]
    assert found(index, '"power of siberia 2"') == ["gas"]


def test_copies_of_a_story_are_one_hit(index):
    hits = index.article_hits("banks", 10)
    assert hits["story"].tolist() == ["sanctions"] and hits["copies_matched"].tolist() == [2]
    assert index.count("articles", "banks") == 1


def excerpt_text(pieces) -> tuple[str, list[str]]:
    return "".join(text for text, _ in pieces), [text for text, hit in pieces if hit]


def test_a_hit_shows_its_best_sentence_with_the_matched_words(index):
    hit = index.article_hits("unprecedented aide", 1).iloc[0]
    text, marked = excerpt_text(hit["excerpt"])
    assert text == "Relations are unprecedentedly close, an aide said."
    assert marked == ["unprecedentedly", "aide"]
    article = ARTICLES[0]["text"]
    assert article[hit["at"]:].startswith("unprecedentedly")  # the link opens at the first matched word
    assert article[hit["sent_start"]:hit["sent_end"]] == text


def test_the_sentence_with_more_query_words_wins(index):
    hit = index.article_hits("sanction payments", 1).iloc[0]
    assert excerpt_text(hit["excerpt"]) == ("The sanctions target payments.", ["sanctions", "payments"])


def test_a_title_only_match_shows_the_first_sentence_unmarked(index):
    hit = index.article_hits("cuts", 1).iloc[0]
    assert excerpt_text(hit["excerpt"]) == ("Power went out in Siberia for 2 days.", [])


@pytest.mark.parametrize("query", [
    '"', '""', 'sanctions"', "NEAR(sanctions banks)", "sanctions*", "^sanctions", "title:sanctions",
    "sanctions AND", "OR", "NOT banks", "-banks", "(banks", "{title}: banks", "banks'", "\\", "%_", "'; DROP TABLE x;--",
    "<script>alert(1)</script>",
])
def test_query_syntax_is_never_fts5_syntax(index, query):
    for kind in search.KINDS:
        assert index.count(kind, query) >= 0
        index.hits(kind, query, 5)  # no error


def test_operators_are_plain_words(index):
    assert found(index, "NEAR(sanctions banks)") == []  # "near" is a word the articles lack
    assert found(index, "sanctions* banks^") == ["sanctions"]


def test_quotes_match_their_text_and_speaker(index):
    hits = index.hits("quotes", "Mishustin unprecedented", 10)
    assert hits["text"].tolist() == ["relations are at an unprecedented level"]
    assert index.count("quotes", "sanction") == 1 and index.count("quotes", "mishustin") == 1


def test_events_match_their_summary_and_actors(index):
    assert index.hits("events", "Putin", 10)["summary"].tolist() == ["Leaders met in Kazan."]
    assert index.hits("events", "pipelines stall", 10)["actors"].tolist() == ["Gazprom"]
    assert index.count("events", "kazakhstan") == 0


def test_pages_of_hits(index):
    first, second = index.article_hits("sanction", 1, 0), index.article_hits("sanction", 1, 1)
    assert first["article_id"].tolist() == ["sanctions"] and second["article_id"].tolist() == ["gas"]


def test_a_folder_without_an_index_or_with_another_format_has_none(tmp_path):
    assert SearchIndex.open(tmp_path) is None
    (tmp_path / INDEX_FILE).write_bytes(b"not a database at all" * 100)
    assert SearchIndex.open(tmp_path) is None


@pytest.mark.parametrize("text, query, marked", [
    ("Xi’s visit to Russia's capital", "russia xi", ["Xi’s", "Russia's"]),
    ("<b>Sanctions</b> & more", "sanction", ["Sanctions"]),
    ("nothing here", "gas", []),
    ("", "gas", []),
])
def test_hit_segments_mark_word_forms_and_keep_the_text(text, query, marked):
    pieces = search.hit_segments(text, query)
    assert "".join(t for t, _ in pieces) == text
    assert [t for t, hit in pieces if hit] == marked


def test_a_long_sentence_is_cut_around_its_first_match():
    text = " ".join(["filler"] * 120) + " the unprecedented deal " + " ".join(["more"] * 120)
    start = text.index("unprecedented")
    pieces = search.segments(text, 0, len(text), [(start, start + len("unprecedented"))])
    shown = "".join(t for t, _ in pieces)
    assert pieces[0] == (search.ELLIPSIS, False) and pieces[-1] == (search.ELLIPSIS, False)
    assert "unprecedented" in shown and len(shown) <= search.LONGEST_EXCERPT + 2
    assert [t for t, hit in pieces if hit] == ["unprecedented"]


def test_an_index_of_an_older_format_is_not_read(tmp_path):
    import sqlite3

    search_index.build({"articles": from_rows(ARTICLES, "articles")}, tmp_path / INDEX_FILE)
    with sqlite3.connect(tmp_path / INDEX_FILE) as connection:
        connection.execute("PRAGMA user_version = 1")
    assert SearchIndex.open(tmp_path) is None

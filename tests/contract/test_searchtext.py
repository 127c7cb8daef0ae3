"""Search words: stems that make word forms meet, queries that never become FTS5 syntax, sentences."""

from __future__ import annotations

import sqlite3

import pytest

from lib.contract import searchtext


@pytest.mark.parametrize("form, other", [
    ("unprecedented", "unprecedentedly"),
    ("sanction", "sanctions"),
    ("sanctioned", "sanctions"),
    ("Pipeline", "pipelines"),
    ("cooperation", "cooperate"),
    ("Russia", "Russia's"),
    ("Russia", "Russia’s"),
    ("negotiations", "negotiating"),
])
def test_word_forms_share_a_stem(form, other):
    assert searchtext.stems([form]) == searchtext.stems([other])


@pytest.mark.parametrize("word, different", [("China", "chin"), ("gas", "oil"), ("2023", "2024"), ("export", "import")])
def test_different_words_keep_different_stems(word, different):
    assert searchtext.stems([word]) != searchtext.stems([different])


def test_stemmed_text_keeps_one_stem_per_word_in_order():
    assert searchtext.stemmed("Moscow's gas exports rose 12% in 2023.") == "moscow gas export rose 12 in 2023"


@pytest.mark.parametrize("query, phrases", [
    ("sanctions", [["sanction"]]),
    ("Sanctions  against RUSSIA", [["sanction"], ["against"], ["russia"]]),
    ('"no limits" partnership', [["no", "limit"], ["partnership"]]),
    ("sanctions sanction", [["sanction"]]),  # the same word once
    ("NEAR(gas oil, 2)", [["near"], ["gas"], ["oil"], ["2"]]),
    ("title:pipeline", [["titl"], ["pipelin"]]),
    ("gas* ^oil -coal +trade", [["gas"], ["oil"], ["coal"], ["trade"]]),
    ('unbalanced "quote', [["unbalanc"], ["quot"]]),
    ('"', []),
    ("*** ^^ :: ()", []),
    ("", []),
])
def test_a_query_is_plain_words_and_quoted_phrases(query, phrases):
    assert searchtext.query_phrases(query) == phrases


def test_a_very_long_query_keeps_its_first_words():
    phrases = searchtext.query_phrases(" ".join(f"w{i}" for i in range(100)))
    assert len(phrases) == searchtext.MAX_QUERY_WORDS and phrases[0] == ["w0"]


@pytest.mark.parametrize("query", [
    'gas" OR "oil', "NEAR(a b)", "a AND OR NOT b", "col:umn", "x*", "^start", '"""', "a'b", "(((", "{a b}",
    "Россия газ", "中国 俄罗斯", "naïve café",
])
def test_every_expression_is_valid_fts5_that_matches_plain_words(query):
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(body, content='')")
    connection.execute("INSERT INTO t(rowid, body) VALUES (1, ?)", (searchtext.stemmed(query),))
    phrases = searchtext.query_phrases(query)
    if phrases:  # the text made of the query's own words matches the query
        expression = searchtext.match_expression(phrases)
        assert connection.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone() == (1,)


def test_words_give_offsets_into_the_original_text():
    text = "Xi’s visit, unprecedentedly long."
    assert [(w.group(), w.start()) for w in searchtext.words(text)] == [("Xi’s", 0), ("visit", 5), ("unprecedentedly", 12), ("long", 28)]


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in searchtext.sentence_spans(text)]


@pytest.mark.parametrize("text, expected", [
    ("Trade rose. Exports fell! Did imports grow? Yes.", ["Trade rose.", "Exports fell!", "Did imports grow?", "Yes."]),
    ("Mr. Li met Dr. Wang in Sept. 2023 in the U.S. capital.", ["Mr. Li met Dr. Wang in Sept. 2023 in the U.S. capital."]),
    ("He said “the ties are strong.” Then he left.", ["He said “the ties are strong.”", "Then he left."]),
    ("Gas deal signed\n\nBy a staff writer\nThe deal is big.", ["Gas deal signed", "By a staff writer", "The deal is big."]),
    ("The pipeline will carry\ngas to China from 2030.", ["The pipeline will carry\ngas to China from 2030."]),
    ("Prices rose 3.5 percent. Volumes fell.", ["Prices rose 3.5 percent.", "Volumes fell."]),
    ("It grew fast. and kept growing.", ["It grew fast. and kept growing."]),
    ("  Leading space. ", ["Leading space."]),
    ("", []),
])
def test_sentences(text, expected):
    assert sentences(text) == expected


def test_sentence_at_an_offset():
    text = "First one. Second one here. Third."
    start = text.index("one here")
    assert searchtext.sentence_at(text, start) == (11, 27)
    assert searchtext.sentence_at(text, len(text) + 5) is None

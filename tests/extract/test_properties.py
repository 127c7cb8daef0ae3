"""Property-based tests: every extractor survives arbitrary text and keeps the table contract.

Texts are drawn from fragments that trigger the extractors (quote marks, digits, currency signs,
month and weekday names, actor names, reporting verbs, newlines, unicode) mixed with arbitrary
characters. For every table: nothing raises, every offset lies inside the text, the sentence
contains its span, `surface` is the text at its offsets and every `value` parses.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import string

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lib.crossarticle import linking
from lib.extract import actors, dates, events, figures, quotes
from lib.extract.dates import interval
from lib.read.corpus import clean_text, decode, html_to_text, markdown_to_text

PUBLISHED = dt.date(2023, 5, 24)
SETTINGS = settings(  # how many examples, and whether random, is the profile's (tests/conftest.py)
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FRAGMENTS = [
    "China", "Russia", "Putin", "Xi Jinping", "Beijing", "Moscow", "the Kremlin", "Lavrov", "EU",
    "said", "told", "added", "according to", "trade", "oil", "gas", "exports", "rose", "fell", "by",
    "January", "March", "May", "June", "December", "Monday", "Friday", "Sunday", "last", "next",
    "week", "month", "year", "quarter", "first", "half", "since", "ago", "in", "on", "of", "the",
    "2022", "2023", "1999", "24", "31", "0", "3.5", "1,000", "12.7", "190", "99999999999",
    "$", "€", "¥", "£", "%", "percent", "billion", "million", "trillion", "bcm", "barrels", "tonnes",
    "yuan", "roubles", "dollars", "per", "day", "double", "twice", "a third", "-", "–", "—", "/",
    "\u201c", "\u201d", "\u2018", "\u2019", '"', "'", "«", "»", "(", ")", ".", ",", ";", ":", "?", "!",
    "\n", "\n\n", "  ", "\t", "é", "Ж", "中国", "\u00a0", "\u200b", "🙂", "Q1", "H2", "'s",
]
CHUNK = st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=1, max_size=4))
SEPARATOR = st.sampled_from([" ", " ", " ", "", "\n", ". ", ", "])


@st.composite
def article_text(draw) -> str:
    """Text made of extractor-triggering fragments joined by spaces, newlines and punctuation."""
    pieces = draw(st.lists(st.tuples(CHUNK, SEPARATOR), min_size=0, max_size=40))
    return "".join(chunk + sep for chunk, sep in pieces)


TEXTS = st.one_of(article_text(), st.text(max_size=200))

SINGLE_VALUE = r"\d{4}(?:-Q[1-4]|-\d{2}(?:-\d{2})?)?"
DATE_VALUE = re.compile(rf"{SINGLE_VALUE}(?:/{SINGLE_VALUE})?")


def assert_offsets(frame: pd.DataFrame, text: str, surface: str | None = "surface", sentence: bool = True) -> None:
    """Offsets inside the text, the sentence containing the span, the surface at its offsets."""
    for row in frame.to_dict("records"):
        assert 0 <= row["start"] <= row["end"] <= len(text), row
        if sentence:
            assert 0 <= row["sent_start"] <= row["start"] <= row["end"] <= row["sent_end"] <= len(text), row
        if surface:
            assert row[surface] == text[row["start"] : row["end"]], row


def assert_date_value(value: object) -> None:
    """A value of the date notation (or null) that names real days in order."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    assert isinstance(value, str) and DATE_VALUE.fullmatch(value), value
    span = interval(value)
    assert span is not None and span[0] <= span[1], value


def extract_all(nlp, text: str) -> dict[str, pd.DataFrame]:
    """Every per-article extractor on one parsed text, as lib.preprocess runs them."""
    doc = nlp(text)
    found_actors = actors.extract_actors(doc, "a", PUBLISHED)
    found_dates = dates.extract_dates(doc, "a", PUBLISHED)
    return {
        "actors": found_actors,
        "dates": found_dates,
        "figures": figures.extract_figures(doc, "a", PUBLISHED, found_dates),
        "quotes": quotes.extract_quotes(doc, "a", found_actors),
        "events": events.extract_events(doc, "a", found_dates, found_actors),
    }


@SETTINGS
@given(text=TEXTS)
@example(text="")
@example(text="\n\n \n")
@example(text='He said "it rose 5% to $190 billion in May 2023.')
@example(text="\u201cWe are partners,\u201d Putin told Xi on Monday. \u2018No limits\u2019, he added.")
@example(text="Trade rose by 99999999999 trillion percent in Q1 2023 and the first half of 2022.")
@example(text="Since 1999 \u201c\u201d ‘’ \" ' «»")
@example(text="January. 2022 ")  # a date must not run across the sentence end after "January."
def test_extractors_keep_the_contract_on_any_text(nlp, text):
    tables = extract_all(nlp, text)
    assert_offsets(tables["actors"], text)
    assert_offsets(tables["dates"], text)
    assert_offsets(tables["figures"], text)
    assert_offsets(tables["quotes"], text, surface="text")
    assert_offsets(tables["events"], text, surface=None, sentence=False)
    for value in tables["dates"]["value"]:
        assert_date_value(value)
    for value in tables["figures"]["value"]:
        assert isinstance(value, float) and math.isfinite(value), value
    for value in tables["figures"]["period"]:
        assert_date_value(value)
    for value in tables["events"]["date"]:
        assert_date_value(value)
    for row in tables["actors"].itertuples():
        assert row.actor and row.actor_type in {"person", "organization", "country", "bloc"}
    for row in tables["quotes"].itertuples():
        assert row.text.strip() and row.kind in {"full", "fragment", "term"}
    linked = linking.link_events(pd.concat([tables["events"], tables["events"].assign(article_id="b")]))
    assert len(linked) == 2 * len(tables["events"]) and linked["event_id"].notna().all()


@SETTINGS
@given(text=TEXTS)
@example(text='"')
@example(text='a "b')
@example(text="\u2018 \u2019")
@example(text='"x" "y" "z')
def test_quote_spans_lie_inside_the_text(text):
    previous = -1
    for span in quotes.find_quote_spans(text):
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end].strip() == text[span.start : span.end]
        assert span.start >= previous
        previous = span.start


PHRASE = st.lists(
    st.sampled_from(
        ["last", "next", "this", "the", "first", "second", "half", "quarter", "week", "month", "year", "of",
         "early", "late", "mid", "since", "ago", "two", "three", "January", "February", "May", "September",
         "December", "Monday", "Thursday", "Sunday", "1", "15", "29", "31", "2020", "2023", "1990s", "Q3",
         "H1", "end", "weekend", "same", "period", "to", "date", "-", "–", "between", "and", "yesterday"]
    ),
    min_size=1,
    max_size=5,
).map(" ".join)


@SETTINGS
@given(surface=st.one_of(PHRASE, st.text(max_size=30)), future=st.booleans(),
       published=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)),
       previous=st.one_of(st.none(), st.sampled_from(["2022", "2022-05", "2022-Q1", "2021-03-01/2021-05-31"])))
@example(surface="29 February", future=False, published=dt.date(2023, 5, 24), previous=None)
@example(surface="the same period of last year", future=False, published=dt.date(2024, 2, 29), previous="2023-Q1")
def test_normalise_returns_a_parsable_value(surface, future, published, previous):
    value, precision = dates.normalise(surface, published, future, previous)
    assert_date_value(value)
    assert (value is None) == (precision is None)


@SETTINGS
@given(raw=st.binary(max_size=300))
@example(raw=b"\xff\xfe")
@example(raw=b"\xfe\xff\x00")
@example(raw=b"\xef\xbb\xbf")
def test_decode_gives_text_or_a_clear_error(raw):
    try:
        text = decode(raw)
    except (ValueError, UnicodeDecodeError):
        return
    assert isinstance(text, str)


@SETTINGS
@given(text=st.text(max_size=300))
def test_clean_text_is_idempotent_and_tidy(text):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert "\r" not in cleaned and "\x00" not in cleaned and "\n\n\n" not in cleaned
    assert cleaned == cleaned.strip()


MARKUP = st.lists(
    st.one_of(
        st.sampled_from(
            ["<p>", "</p>", "<script>", "</script>", "<b>", "<html>", "<body>", "<title>", "</title>", "<!--", "-->",
             "<", ">", "&amp;", "&", "#", "# ", "\n", "*", "**", "_", "`", "```", "[", "](", ")", "![", "> ",
             "- ", "1. ", "China", "said", " ", "\u201c", "é", "<img src=x>", "<div>", "</div>"]
        ),
        st.text(alphabet=string.printable, max_size=5),
    ),
    max_size=30,
).map("".join)


@SETTINGS
@given(markup=MARKUP)
@example(markup="")
@example(markup="<")
@example(markup="<!---->")
@example(markup="<?xml version='1.0'?>")
@example(markup="<title><script>")
@example(markup="<body><!--")  # parses to a lone comment
def test_html_to_text_never_raises(markup):
    """(Whether "<script>" in the markup opens a script depends on where it stands: in a title it
    is the title's text, after "<?" plain text. `test_corpus` checks that scripts are dropped.)"""
    text, title = html_to_text(markup)
    assert isinstance(text, str) and (title is None or isinstance(title, str))


@SETTINGS
@given(markup=MARKUP)
@example(markup="![x](http://example.invalid/x.png)")
@example(markup="[click](javascript:alert(1))")
def test_markdown_to_text_never_raises(markup):
    text, title = markdown_to_text(markup)
    assert isinstance(text, str) and (title is None or isinstance(title, str))

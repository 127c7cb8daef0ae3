"""Quote search, filters and per-speaker summaries on small constructed frames."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest

from lib import quote_view
from lib.quote_view import UNKNOWN
from lib.schema import conform

ARTICLES = pd.DataFrame(
    [
        {
            "article_id": "a1",
            "title": "Trade talks",
            "source": "Reuters",
            "published": "2023-05-24",
            "date": "2023-05-24",
        },
        {
            "article_id": "a2",
            "title": "Summit",
            "source": "TASS",
            "published": "2024-01-10",
            "date": "2024-01-10 (inferred)",
        },
        {"article_id": "a3", "title": "Undated", "source": "TASS", "published": None, "date": "unknown"},
    ]
)
QUOTES = conform(
    pd.DataFrame(
        [
            {
                "article_id": "a1",
                "text": "Relations are at an unprecedented high level",
                "start": 10,
                "speaker": "Mikhail Mishustin",
                "cue": "say",
                "kind": "full",
            },
            {"article_id": "a1", "text": "no limits", "start": 50, "speaker": None, "kind": "fragment"},
            {
                "article_id": "a2",
                "text": "Sanctions against Russia’s economy will fail",
                "start": 5,
                "speaker": "Vladimir Putin",
                "cue": "tell",
                "kind": "full",
                "addressee": "Xi Jinping",
            },
            {
                "article_id": "a2",
                "text": "unprecedentedly high levels",
                "start": 80,
                "speaker": "Vladimir Putin",
                "kind": "fragment",
            },
            {"article_id": "a3", "text": '=HYPERLINK("http://x")', "start": 0, "speaker": "", "kind": "full"},
        ]
    ),
    "quotes",
)


@pytest.fixture
def quotes() -> pd.DataFrame:
    return quote_view.with_articles(QUOTES, ARTICLES)


def test_with_articles_adds_article_fields_and_labels_unknown_speakers(quotes):
    assert {"title", "source", "date", "speaker_label"} <= set(quotes.columns)
    assert list(quotes["published"].fillna("none")) == [
        "2024-01-10",
        "2024-01-10",
        "2023-05-24",
        "2023-05-24",
        "none",
    ]
    assert quotes["speaker_label"].tolist().count(UNKNOWN) == 2  # None and "" both unknown


@pytest.mark.parametrize(
    ("query", "fuzzy", "expected"),
    [
        ("", False, 5),  # no query: everything
        (
            "UNPRECEDENTED",
            False,
            {"Relations are at an unprecedented high level"},
        ),  # case-insensitive, whole word
        (
            "unprecedented*",
            False,
            {"Relations are at an unprecedented high level", "unprecedentedly high levels"},
        ),
        ("high level", False, {"Relations are at an unprecedented high level"}),  # every word must occur
        ('"limits no"', False, set()),  # a quoted phrase keeps its word order
        ('"no limits"', False, {"no limits"}),
        (
            "russia's",
            False,
            {"Sanctions against Russia’s economy will fail"},
        ),  # straight matches curly apostrophe
        ("sanction", False, set()),  # whole words only without fuzzy
        ("sanction", True, {"Sanctions against Russia’s economy will fail"}),
        (
            "unprecedentd",
            True,
            {"Relations are at an unprecedented high level", "unprecedentedly high levels"},
        ),
        ("nop", True, set()),  # short terms never match fuzzily
        ("<script>", False, set()),  # regex and markup characters are plain text
    ],
)
def test_search(quotes, query, fuzzy, expected):
    found = quote_view.filter_quotes(quotes, query=query, fuzzy=fuzzy)
    if isinstance(expected, int):
        assert len(found) == expected
    else:
        assert set(found["text"]) == expected


def test_speaker_filter_includes_unknown_speakers(quotes):
    found = quote_view.filter_quotes(quotes, speakers=[UNKNOWN, "Mikhail Mishustin"])
    assert sorted(found["speaker_label"]) == sorted([UNKNOWN, UNKNOWN, "Mikhail Mishustin"])
    assert quote_view.filter_quotes(quotes, speakers=["Nobody"]).empty


def test_source_kind_and_date_filters(quotes):
    assert set(quote_view.filter_quotes(quotes, sources=["TASS"])["article_id"]) == {"a2", "a3"}
    assert set(quote_view.filter_quotes(quotes, kinds=["fragment"])["text"]) == {
        "no limits",
        "unprecedentedly high levels",
    }
    since = quote_view.filter_quotes(quotes, date_from=date(2024, 1, 1))
    assert set(since["article_id"]) == {"a2"}  # the undated article drops out once a bound is set
    until = quote_view.filter_quotes(quotes, date_to=date(2024, 1, 10))
    assert set(until["article_id"]) == {"a1", "a2"}  # bounds are inclusive


def test_speaker_options_most_quoted_first_unknown_last(quotes):
    assert quote_view.speaker_options(quotes) == ["Vladimir Putin", "Mikhail Mishustin", UNKNOWN]


def test_speaker_summary_counts_quotes_and_sources(quotes):
    summary = quote_view.speaker_summary(quotes).set_index("speaker")
    assert list(summary.index) == ["Vladimir Putin", "Mikhail Mishustin", UNKNOWN]
    putin = summary.loc["Vladimir Putin"]
    assert (putin["quotes"], putin["full"], putin["fragments"], putin["sources"]) == (2, 1, 1, 1)
    unknown = summary.loc[UNKNOWN]
    assert (unknown["quotes"], unknown["sources"], unknown["articles"]) == (2, 2, 2)
    assert unknown["in_sources"] == "Reuters, TASS"


def test_speaker_source_counts_and_empty_frames(quotes):
    counts = quote_view.speaker_source_counts(quotes)
    assert counts["quotes"].sum() == len(quotes)
    assert set(counts[counts["speaker"] == UNKNOWN]["source"]) == {"Reuters", "TASS"}
    assert quote_view.speaker_summary(quotes.iloc[0:0]).empty
    assert quote_view.speaker_source_counts(quotes.iloc[0:0]).empty


@pytest.mark.parametrize(
    ("rows", "page", "expected"), [(0, 1, 0), (60, 1, 25), (60, 3, 10), (60, 9, 10), (60, 0, 25)]
)
def test_pages(rows, page, expected):
    frame = pd.DataFrame({"n": range(rows)})
    assert quote_view.page_count(rows, 25) == max(1, -(-rows // 25))
    assert len(quote_view.page_of(frame, page, 25)) == expected


def test_csv_defuses_spreadsheet_formulas(quotes):
    read = pd.read_csv(io.BytesIO(quote_view.csv_bytes(quotes[["text", "speaker_label"]])))
    assert '\'=HYPERLINK("http://x")' in set(read["text"])
    assert "no limits" in set(read["text"])

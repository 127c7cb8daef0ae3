"""lib.views.actor_profile on a small warehouse written for these tests: what the Actor page counts."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lib.contract.schema import conform
from lib.views import actor_profile as profile
from lib.views.warehouse import Warehouse, source_label

FIRST = "Xi Jinping met Putin in Moscow. “Trade will grow,” Xi said. Rain fell 5% in May."
SECOND = "Exports rose 7%, officials said. Putin stayed home."
THIRD = "Xi Jinping travelled again."


def sentence_of(text: str, offset: int) -> tuple[int, int]:
    """The sentence (ending at ". ") around `offset`, as the extractor's sent_start/sent_end."""
    start = text.rfind(". ", 0, offset)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", offset)
    return start, len(text) if end < 0 else end + 1


def row(article: str, text: str, surface: str, nth: int = 0, **columns) -> dict:
    """A row for `surface` (its `nth` occurrence) in `text`, with its offsets and sentence."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    sent_start, sent_end = sentence_of(text, start)
    return {"article_id": article, "surface": surface, "start": start, "end": start + len(surface),
            "sent_start": sent_start, "sent_end": sent_end, **columns}


def mention(article: str, text: str, surface: str, actor: str, how: str, actor_type: str = "person", nth: int = 0):
    return row(article, text, surface, nth, actor=actor, actor_type=actor_type, how=how, known=True)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("actor_tables")
    tables = {
        "articles": [
            {"article_id": "a1", "title": "Leaders meet", "outlet": "Outlet A", "published": "2024-01-03",
             "published_inferred": False, "text": FIRST},
            {"article_id": "a2", "title": "Exports news today", "outlet": None, "published": "2024-03-10",
             "published_inferred": False, "text": SECOND},
            {"article_id": "a3", "title": "Undated", "outlet": "Outlet B", "published": None,
             "published_inferred": False, "text": THIRD},
        ],
        "actors": [
            mention("a1", FIRST, "Xi Jinping", "Xi Jinping", "gazetteer"),
            mention("a1", FIRST, "Putin", "Vladimir Putin", "surname"),
            mention("a1", FIRST, "Moscow", "Russia", "metonymy", "country"),
            mention("a1", FIRST, "Xi", "Xi Jinping", "surname", nth=1),
            mention("a2", SECOND, "Putin", "Vladimir Putin", "surname"),
            mention("a3", THIRD, "Xi Jinping", "Xi Jinping", "gazetteer"),
        ],
        "quotes": [
            {**row("a1", FIRST, "Trade will grow,"), "text": "Trade will grow,", "speaker": "Xi Jinping",
             "kind": "full"},
            {**row("a2", SECOND, "officials"), "text": "officials", "speaker": "communique", "kind": "fragment"},
        ],
        "events": [
            {"article_id": "a1", "event_id": "e1", "date": "2024-01", "actors": ["Xi Jinping", "Vladimir Putin"],
             "summary": "Xi Jinping met Putin in Moscow", "start": 0, "end": 31},
            {"article_id": "a2", "event_id": "e2", "date": "2024-03-10", "actors": ["Vladimir Putin"],
             "summary": "Putin stayed home", "start": 33, "end": 51},
        ],
        "figures": [
            {**row("a1", FIRST, "5%"), "value": 5.0, "unit": "percent", "metric": "rainfall", "kind": "actual"},
            {**row("a2", SECOND, "7%"), "value": 7.0, "unit": "percent", "metric": "exports", "kind": "change",
             "origin": "Xi Jinping"},
        ],
    }
    # a figure in the sentence where Xi speaks: named in the sentence
    tables["figures"].append({**row("a1", FIRST, "Trade"), "value": 1.0, "unit": "ratio", "metric": "trade",
                              "kind": "change"})
    for name, rows in tables.items():
        conform(pd.DataFrame(rows), name).to_parquet(folder / f"{name}.parquet")
    opened = Warehouse(folder)
    yield opened
    opened.close()


def test_names_are_actors_by_mentions_then_quote_speakers(warehouse):
    names = warehouse.query(profile.NAMES_SQL)
    assert names["name"].tolist() == ["Xi Jinping", "Vladimir Putin", "Russia", "communique"]
    assert names["mentions"].tolist() == [3, 2, 1, 0]


def test_summary_counts_mentions_and_articles(warehouse):
    summary = warehouse.query(profile.SUMMARY_SQL, ["Xi Jinping"]).iloc[0]
    assert (summary["mentions"], summary["articles"], summary["actor_type"]) == (3, 2, "person")


@pytest.mark.parametrize(("first", "last", "expected"), [
    (dt.date(2024, 1, 1), dt.date(2024, 1, 1), "week"),
    (dt.date(2024, 1, 1), dt.date(2024, 6, 1), "week"),
    (dt.date(2024, 1, 1), dt.date(2024, 12, 31), "month"),
    (None, None, "month"),
])
def test_step_is_weekly_for_short_spans(first, last, expected):
    assert profile.step(first, last) == expected


def test_mentions_are_counted_per_week_and_source(warehouse):
    span = warehouse.query(profile.SPAN_SQL, ["Vladimir Putin"]).iloc[0]
    step = profile.step(span["first_day"].date(), span["last_day"].date())
    assert step == "week"
    counts = warehouse.query(profile.MENTIONS_SQL, [step, "Vladimir Putin", 12, "others"])
    unknown = source_label(None, "2024-03-10", "Exports news today", "a2")
    assert [(str(p.date()), s, m) for p, s, m in zip(counts["period"], counts["source"], counts["mentions"])] == [
        ("2024-01-01", "Outlet A", 1),  # 2024-01-03 is in the week starting Monday 1 January
        ("2024-03-04", unknown, 1),
    ]


def test_sources_beyond_the_most_mentioning_are_summed_under_one_label(warehouse):
    counts = warehouse.query(profile.MENTIONS_SQL, ["month", "Vladimir Putin", 1, "others"])
    assert list(zip(counts["source"], counts["mentions"])) == [("Outlet A", 1), ("others", 1)]
    assert counts["sources"].iat[0] == 2
    assert warehouse.query(profile.MENTIONS_SQL, ["month", "Vladimir Putin", 0, "others"])["source"].tolist() == [
        "others", "others"]


def test_mentions_of_undated_articles_are_counted_apart(warehouse):
    counts = warehouse.query(profile.MENTIONS_SQL, ["month", "Xi Jinping", 12, "others"])
    assert counts["mentions"].sum() == 2
    assert warehouse.value(profile.UNDATED_SQL, ["Xi Jinping"]) == 1


def test_quotes_are_those_the_actor_speaks_with_their_sentence(warehouse):
    quotes = warehouse.query(profile.QUOTES_SQL, ["Xi Jinping", 10])
    assert quotes["text"].tolist() == ["Trade will grow,"]
    assert quotes["sentence"].iat[0] == "“Trade will grow,” Xi said."
    assert quotes["source"].iat[0] == "Outlet A" and quotes["total"].iat[0] == 1
    assert warehouse.query(profile.QUOTES_SQL, ["Vladimir Putin", 10]).empty


def test_events_are_those_listing_the_actor_placed_on_their_span(warehouse):
    events = warehouse.query(profile.EVENTS_SQL, ["Xi Jinping", 10])
    assert events["event_id"].tolist() == ["e1"]
    placed = profile.event_spans(events)
    assert (placed["first_day"].iat[0], placed["last_day"].iat[0]) == (dt.date(2024, 1, 1), dt.date(2024, 1, 31))
    assert warehouse.query(profile.EVENTS_SQL, ["Vladimir Putin", 10])["event_id"].tolist() == ["e1", "e2"]


def test_event_spans_leave_out_dates_that_cannot_be_placed():
    events = pd.DataFrame({"date": ["2023-Q2", None, "soon"], "summary": ["a", "b", "c"]})
    placed = profile.event_spans(events)
    assert placed["summary"].tolist() == ["a"]
    assert placed["last_day"].iat[0] == dt.date(2023, 6, 30)


def test_figures_are_in_sentences_naming_the_actor_or_cited_from_them(warehouse):
    figures = warehouse.query(profile.FIGURES_SQL, ["Xi Jinping"] * 3 + [10])
    cited = dict(zip(figures["surface"], figures["cited"]))
    assert cited == {"7%": "cited as source", "Trade": "named in the sentence"}  # not the 5% of another sentence
    assert figures["sentence"][figures["surface"] == "7%"].iat[0] == "Exports rose 7%, officials said."


def test_companions_share_a_sentence_counted_once(warehouse):
    companions = warehouse.query(profile.COMPANIONS_SQL, ["Xi Jinping", "Xi Jinping", 10])
    assert dict(zip(companions["actor"], companions["sentences"])) == {"Russia": 1, "Vladimir Putin": 1}
    putin = warehouse.query(profile.COMPANIONS_SQL, ["Vladimir Putin", "Vladimir Putin", 10])
    assert "Vladimir Putin" not in set(putin["actor"])


def test_names_list_each_surface_and_how_it_was_recognised(warehouse):
    surfaces = warehouse.query(profile.SURFACES_SQL, ["Xi Jinping"])
    assert list(zip(surfaces["name"], surfaces["how"], surfaces["mentions"])) == [
        ("Xi Jinping", "gazetteer", 2), ("Xi", "surname", 1)]


@pytest.mark.parametrize(("sentence", "quote", "expected"), [
    ("He said “we agree” today.\n", "we agree", "He said “we agree” today."),
    ("Short   one.", "one", "Short one."),
])
def test_excerpt_keeps_a_short_sentence_whole(sentence, quote, expected):
    assert profile.excerpt(sentence, quote) == expected


def test_excerpt_shortens_a_long_sentence_around_the_quote():
    sentence = "Words " * 100 + "“the partnership has no limits” " + "more " * 100
    shown = profile.excerpt(sentence, "the partnership has no limits", most=120)
    assert "the partnership has no limits" in shown
    assert shown.startswith("…") and shown.endswith("…") and len(shown) <= 122

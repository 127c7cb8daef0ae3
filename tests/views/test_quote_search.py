"""Quote search, filters and per-speaker summaries on small constructed frames."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest

from lib.contract.schema import conform
from lib.views import quote_search
from lib.views.quote_search import UNKNOWN
from lib.views.warehouse import Warehouse

ARTICLES = pd.DataFrame(
    [
        {
            "article_id": "a1",
            "title": "Trade talks",
            "source": "Reuters",
            "published": "2023-05-24",
            "published_inferred": False,
            "date": "2023-05-24",
        },
        {
            "article_id": "a2",
            "title": "Summit",
            "source": "TASS",
            "published": "2024-01-10",
            "published_inferred": True,
            "date": "2024-01-10 (inferred)",
        },
        {"article_id": "a3", "title": "Undated", "source": "TASS", "published": None, "published_inferred": False,
         "date": "unknown"},
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
    return quote_search.with_articles(QUOTES, ARTICLES)


@pytest.fixture
def warehouse(tmp_path):
    """The test quotes and articles as Parquet tables, with the page's quote rows registered."""
    articles = ARTICLES.rename(columns={"source": "outlet"}).assign(
        published_inferred=ARTICLES["date"].str.endswith("(inferred)"))
    conform(articles, "articles").to_parquet(tmp_path / "articles.parquet")
    QUOTES.to_parquet(tmp_path / "quotes.parquet")
    store = Warehouse(tmp_path)
    store.register(quote_search.QUOTE_ROWS, quote_search.quote_rows(store))
    yield store
    store.close()


def run_on(warehouse):
    """The page's `run(sql, *params)` on a plain warehouse."""
    return lambda sql, *params: warehouse.query(sql, params)


def found(warehouse, **chosen) -> pd.DataFrame:
    """The exported rows (every column of the CSV) of the quotes passing `chosen` filters."""
    condition, params = quote_search.where(quote_search.QuoteFilter(**chosen), run_on(warehouse))
    return warehouse.query(quote_search.export_sql(condition), params)


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


def test_quote_rows_number_quotes_newest_first_with_labels_and_dates(warehouse):
    rows = warehouse.query(f"SELECT * FROM {quote_search.QUOTE_ROWS} ORDER BY row")
    assert rows["row"].tolist() == list(range(5))
    assert rows["article_id"].tolist() == ["a2", "a2", "a1", "a1", "a3"]
    assert rows["date"].tolist()[:3] == ["2024-01-10 (inferred)", "2024-01-10 (inferred)", "2023-05-24"]
    assert rows["date"].iloc[-1] == "unknown" and rows["day"].iloc[-1] == ""
    assert rows["norm"].iloc[0] == "sanctions against russia's economy will fail"
    assert rows["speaker_label"].tolist().count(UNKNOWN) == 2


SEARCHES = [
    ("", False, 5),  # no query: everything
    ("UNPRECEDENTED", False, {"Relations are at an unprecedented high level"}),  # case-insensitive, whole word
    ("unprecedented*", False, {"Relations are at an unprecedented high level", "unprecedentedly high levels"}),
    ("high level", False, {"Relations are at an unprecedented high level"}),  # every word must occur
    ('"limits no"', False, set()),  # a quoted phrase keeps its word order
    ('"no limits"', False, {"no limits"}),
    ("russia's", False, {"Sanctions against Russia’s economy will fail"}),  # straight matches curly apostrophe
    ("sanction", False, set()),  # whole words only without fuzzy
    ("sanction", True, {"Sanctions against Russia’s economy will fail"}),
    ("unprecedentd", True, {"Relations are at an unprecedented high level", "unprecedentedly high levels"}),
    ("nop", True, set()),  # short terms never match fuzzily
    ("<script>", False, set()),  # regex and markup characters are plain text
    ("http://x", False, {'=HYPERLINK("http://x")'}),
    ('(" x', False, set()),
    ("economy.*", False, set()),
]


@pytest.mark.parametrize(("query", "fuzzy", "expected"), SEARCHES)
def test_search(warehouse, query, fuzzy, expected):
    texts = found(warehouse, query=query, fuzzy=fuzzy)["text"]
    if isinstance(expected, int):
        assert len(texts) == expected
    else:
        assert set(texts) == expected


@pytest.mark.parametrize(
    ("term", "text", "hit"),
    [("a.b", "x a.b y", True), ("a.b", "x acb y", False), ("c++", "in c++ code", True),
     ("naïve", "a naïve plan", True), ("naïve", "naïveté", False), ("naïv*", "naïveté", True),
     ("x", "_x", False), ("x", "-x-", True)],
)
def test_term_pattern_reads_every_character_literally(term, text, hit):
    import duckdb

    sql = duckdb.connect().execute("SELECT regexp_matches(?, ?)", [text, quote_search.term_pattern(term)])
    assert sql.fetchone()[0] is hit


@pytest.mark.parametrize(
    ("terms", "exact", "expected"),
    [
        (["sanction"], [[False, False, False]], [10, 11]),  # "sanctions" and a typo score high enough
        (["sanction", "fail"], [[False, False, False], [True, False, False]], [10]),  # every term must match
        (["nop"], [[False, False, False]], []),  # short terms only match exactly
        (["nop"], [[False, True, False]], [11]),
    ],
)
def test_fuzzy_rows_add_approximate_matches_to_exact_ones(terms, exact, expected):
    candidates = pd.DataFrame({"row": [10, 11, 12], "norm": ["sanctions fail", "sanctoins pass", "a b c"]})
    for i, flags in enumerate(exact):
        candidates[f"exact_{i}"] = flags
    assert quote_search.fuzzy_rows(candidates, terms).tolist() == expected


def test_speaker_filter_includes_unknown_speakers(warehouse):
    speakers = found(warehouse, speakers=(UNKNOWN, "Mikhail Mishustin"))["speaker"]
    assert sorted(speakers) == sorted([UNKNOWN, UNKNOWN, "Mikhail Mishustin"])
    assert found(warehouse, speakers=("Nobody",)).empty


def test_source_kind_and_date_filters(warehouse):
    assert set(found(warehouse, sources=("TASS",))["article_id"]) == {"a2", "a3"}
    assert set(found(warehouse, kinds=("fragment",))["text"]) == {"no limits", "unprecedentedly high levels"}
    since = found(warehouse, date_from=date(2024, 1, 1))
    assert set(since["article_id"]) == {"a2"}  # the undated article drops out once a bound is set
    until = found(warehouse, date_to=date(2024, 1, 10))
    assert set(until["article_id"]) == {"a1", "a2"}  # bounds are inclusive
    assert found(warehouse, query="high", fuzzy=True, sources=("TASS",))["text"].tolist() == [
        "unprecedentedly high levels"]  # fuzzy search keeps the other filters


def test_speaker_options_most_quoted_first_unknown_last(warehouse):
    def top(n):
        return warehouse.query(quote_search.TOP_SPEAKERS_SQL, [n])["name"].tolist()

    assert top(10) == ["Vladimir Putin", "Mikhail Mishustin", UNKNOWN]
    assert top(2) == ["Vladimir Putin", UNKNOWN]  # the two most quoted (2 quotes each), UNKNOWN last


def test_source_options_are_the_sources_with_most_articles_by_name(warehouse):
    assert warehouse.query(quote_search.TOP_SOURCES_SQL, [10])["name"].tolist() == ["Reuters", "TASS"]
    assert warehouse.query(quote_search.TOP_SOURCES_SQL, [1])["name"].tolist() == ["TASS"]  # 2 articles


def test_typed_names_get_their_corpus_spelling_or_are_left_out(warehouse):
    typed = ["vladimir PUTIN", "Mikhail Mishustin", UNKNOWN.upper(), "Nobody", "x' OR '1'='1"]
    assert quote_search.spellings(typed, run_on(warehouse), quote_search.SPEAKER_SPELLINGS_SQL) == {
        "vladimir PUTIN": "Vladimir Putin", "Mikhail Mishustin": "Mikhail Mishustin", UNKNOWN.upper(): UNKNOWN}
    assert quote_search.spellings(["tass", "AP"], run_on(warehouse), quote_search.SOURCE_SPELLINGS_SQL) == {
        "tass": "TASS"}


def test_a_spelling_prefers_the_exact_name_then_the_most_used(warehouse):
    sql = quote_search.spellings_sql("SELECT * FROM (VALUES ('Xi'), ('XI'), ('XI'), (NULL)) AS t(name)")
    assert quote_search.spellings(["xi", "Xi", "XI"], run_on(warehouse), sql) == {"xi": "XI", "Xi": "Xi", "XI": "XI"}


def test_no_typed_name_needs_no_query():
    def run(*_):
        raise AssertionError("no query expected")

    assert quote_search.spellings([], run, quote_search.SPEAKER_SPELLINGS_SQL) == {}


def test_the_options_are_the_top_names_then_the_chosen_ones_unknown_last():
    assert quote_search.offered(["A", UNKNOWN], ["B", "A", UNKNOWN]) == ["A", "B", UNKNOWN]
    assert quote_search.offered(["A"], []) == ["A"]


def test_corpus_counts_and_date_span(warehouse):
    corpus = warehouse.query(quote_search.CORPUS_SQL).iloc[0]
    assert corpus["quotes"] == 5 and corpus["undated"]
    assert (corpus["first"].date(), corpus["last"].date()) == (date(2023, 5, 24), date(2024, 1, 10))


def test_match_counts_and_inferred_dates(warehouse):
    assert warehouse.query(quote_search.match_sql("source = ?"), ["TASS"]).iloc[0].tolist() == [3, True]
    assert warehouse.query(quote_search.match_sql("source = ?"), ["Reuters"]).iloc[0].tolist() == [2, False]


def test_speaker_summary_counts_quotes_and_sources(warehouse):
    summary = warehouse.query(quote_search.summary_sql("TRUE"), [10, 0]).set_index("speaker")
    assert list(summary.index) == ["Vladimir Putin", "Mikhail Mishustin", UNKNOWN]
    assert set(summary["speakers"]) == {3}
    putin = summary.loc["Vladimir Putin"]
    assert (putin["quotes"], putin["full"], putin["fragments"], putin["sources"]) == (2, 1, 1, 1)
    unknown = summary.loc[UNKNOWN]
    assert (unknown["quotes"], unknown["sources"], unknown["articles"]) == (2, 2, 2)
    assert unknown["in_sources"] == "Reuters, TASS"
    assert warehouse.query(quote_search.summary_sql("TRUE"), [1, 1])["speaker"].tolist() == ["Mikhail Mishustin"]


def test_speaker_source_counts_and_empty_results(warehouse):
    counts = warehouse.query(quote_search.speaker_source_sql("TRUE"), [10, 10, "other"])
    assert counts["quotes"].sum() == 5
    assert set(counts[counts["speaker"] == UNKNOWN]["source"]) == {"Reuters", "TASS"}
    assert set(warehouse.query(quote_search.speaker_source_sql("TRUE"), [1, 10, "other"])["speaker"]) == {
        "Vladimir Putin"}
    assert warehouse.query(quote_search.summary_sql("FALSE"), [10, 0]).empty
    assert warehouse.query(quote_search.speaker_source_sql("FALSE"), [10, 10, "other"]).empty


def test_speaker_source_counts_sum_the_less_quoting_sources(warehouse):
    counts = warehouse.query(quote_search.speaker_source_sql("TRUE"), [10, 1, "other"])
    assert set(counts["source"]) == {"TASS", "other"}  # TASS quotes 3 of the 5
    unknown = counts[counts["speaker"] == UNKNOWN].set_index("source")["quotes"].to_dict()
    assert unknown == {"TASS": 1, "other": 1}


def test_page_sql_lists_one_page_newest_first(warehouse):
    page = warehouse.query(quote_search.page_sql("TRUE"), [2, 2])
    assert page["article_id"].tolist() == ["a1", "a1"] and page["start"].tolist() == [10, 50]


@pytest.mark.parametrize(
    ("rows", "page", "expected"), [(0, 1, 0), (60, 1, 0), (60, 3, 50), (60, 9, 50), (60, 0, 0), (60, None, 0)]
)
def test_pages(rows, page, expected):
    assert quote_search.page_count(rows, 25) == max(1, -(-rows // 25))
    assert quote_search.offset(page, rows, 25) == expected


def test_csv_defuses_spreadsheet_formulas(quotes):
    read = pd.read_csv(io.BytesIO(quote_search.csv_bytes(quotes[["text", "speaker_label"]])))
    assert '\'=HYPERLINK("http://x")' in set(read["text"])
    assert "no limits" in set(read["text"])


def test_export_csv_holds_every_matching_quote(warehouse):
    condition, params = quote_search.where(quote_search.QuoteFilter(sources=("TASS",)), run_on(warehouse))
    read = pd.read_csv(io.BytesIO(quote_search.export_csv(warehouse, condition, params)))
    assert len(read) == 3 and list(read.columns) == [
        "speaker", "text", "cue", "kind", "addressee", "source", "title", "date", "article_id", "start"]
    assert '\'=HYPERLINK("http://x")' in set(read["text"])

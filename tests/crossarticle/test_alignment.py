"""Cross-article alignment: figures stating the same fact, wordings of the same statement."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lib.contract.schema import conform
from lib.contract.tableio import read_tables
from lib.crossarticle import alignment

TRADE = "002_3449a7e67f893c9d"  # and 004 also give the 2022 trade figure
ENERGY_ARTICLES = {"001_c082953bc7ab4014", "002_3449a7e67f893c9d", "004_37be19fe9c2cb324"}


@pytest.fixture(scope="module")
def seeds(seed_tables) -> dict[str, pd.DataFrame]:
    return read_tables(seed_tables)


def _figure_rows(tables, surface: str, metric: str | None = None) -> pd.DataFrame:
    figures = tables["figures"]
    rows = figures[figures["surface"] == surface]
    return rows[rows["metric"] == metric] if metric else rows


def _quote_rows(tables, words: str, speaker: str) -> pd.DataFrame:
    quotes = tables["quotes"]
    return quotes[quotes["text"].str.contains(words, regex=False) & (quotes["speaker"] == speaker)]


# --- the seed corpus ------------------------------------------------------------------------------


def test_2022_trade_of_190_billion_is_one_fact_in_two_articles(seeds):
    rows = _figure_rows(seeds, "$190 billion")
    assert set(rows["article_id"]) == {TRADE, "004_37be19fe9c2cb324"}
    assert rows["fact_id"].nunique() == 1 and not rows["conflict"].any()
    group = seeds["fact_groups"].set_index("fact_id").loc[rows["fact_id"].iloc[0]]
    assert group["n_articles"] == 2 and group["period"] == "2022"
    assert sorted(group["article_ids"]) == sorted(rows["article_id"])


def test_40_percent_rise_in_energy_supplies_is_one_fact_in_three_articles(seeds):
    rows = seeds["figures"][seeds["figures"]["metric"] == "energy_supply"]
    assert set(rows["article_id"]) == ENERGY_ARTICLES
    assert rows["fact_id"].nunique() == 1
    group = seeds["fact_groups"].set_index("fact_id").loc[rows["fact_id"].iloc[0]]
    assert group["n_articles"] == 3 and len(group["members"]) == 3


def test_trade_growth_rates_are_not_grouped_with_the_energy_rise(seeds):
    growth = seeds["figures"][seeds["figures"]["surface"].isin(["more than 40%", "nearly 40%"])]
    energy = seeds["figures"][seeds["figures"]["metric"] == "energy_supply"]
    assert len(growth) == 2
    assert not set(growth["fact_id"]) & set(energy["fact_id"])


def test_mishustin_unprecedented_level_in_two_wordings_is_one_statement(seeds):
    rows = _quote_rows(seeds, "unprecedented", "Mikhail Mishustin")
    assert set(rows["text"].str.contains("high")) == {True, False}  # the two wordings
    assert rows["article_id"].nunique() == 2 and rows["quote_group"].nunique() == 1
    assert (rows["similarity"] > 0.8).all()


def test_mishustin_mutual_respect_in_two_translations_is_one_statement(seeds):
    rows = _quote_rows(seeds, "mutual respect for each other", "Mikhail Mishustin")
    assert rows["article_id"].nunique() == 2 and rows["quote_group"].nunique() == 1
    group = seeds["quote_groups"].set_index("quote_group").loc[rows["quote_group"].iloc[0]]
    assert len(group["wordings"]) == 2 and group["speaker"] == "Mikhail Mishustin"


def test_li_qiang_remarks_of_2023_and_2024_that_start_alike_stay_apart(seeds):
    rows = _quote_rows(seeds, "China is willing to work with Russia", "Li Qiang")
    assert rows["article_id"].nunique() == 2
    assert rows["quote_group"].nunique() == 2
    assert rows["similarity"].isna().all()


def test_every_figure_and_quote_has_a_group_listed_in_the_group_tables(seeds):
    assert seeds["figures"]["fact_id"].notna().all() and seeds["quotes"]["quote_group"].notna().all()
    assert set(seeds["figures"]["fact_id"]) == set(seeds["fact_groups"]["fact_id"])
    assert set(seeds["quotes"]["quote_group"]) == set(seeds["quote_groups"]["quote_group"])
    assert seeds["fact_groups"]["members"].map(len).sum() == len(seeds["figures"])


# --- figures: the grouping rules ------------------------------------------------------------------


def figure(article="a", value=190e9, unit="USD", metric="bilateral_trade", period="2022", kind="actual",
           direction=None, published="2023-05-24", **extra) -> dict:
    return {"article_id": article, "value": value, "unit": unit, "metric": metric, "period": period,
            "kind": kind, "direction": direction, "published": published, **extra}


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (figure("b"), True),
        (figure("b", value=191e9), True),  # rounding
        (figure("b", period="2022-01-01/2022-12-31"), True),  # the same year written as a range
        (figure("b", metric="trade_turnover_of_nothing"), False),
        (figure("b", value=200e9), False),
        (figure("b", period="2023"), False),
        (figure("b", period="2022-Q1"), False),  # a part of the year is another period
        (figure("b", unit="CNY"), False),
        (figure("b", kind="forecast"), False),
        (figure("b", value=None), False),
        (figure("b", metric=None), False),
    ],
)
def test_same_fact_needs_metric_unit_kind_period_and_close_value(other, same):
    assert alignment.same_fact(figure("a"), other) is same


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (figure(value=40, unit="percent", metric="energy_supply", kind="change"),
         figure("b", value=1.4, unit="ratio", metric="energy_supply", kind="change"), True),  # +40% = ×1.4
        (figure(value=100, unit="percent", metric="coal_supply", kind="change"),
         figure("b", value=2, unit="ratio", metric="coal_supply", kind="change"), True),  # doubled
        (figure(value=40, unit="percent", metric="energy_supply", kind="forecast"),
         figure("b", value=40, unit="percent", metric="energy_exports", kind="forecast"), True),  # same family
        (figure(value=40, unit="percent", metric="energy_supply", kind="forecast"),
         figure("b", value=40, unit="percent", metric="trade_growth", kind="forecast"), False),
        (figure(value=40, unit="percent", metric="energy_supply", direction="Russia→China"),
         figure("b", value=40, unit="percent", metric="energy_supply", direction="China→Russia"), False),
        (figure(value=40, unit="percent", metric="energy_supply", direction="Russia→China"),
         figure("b", value=40, unit="percent", metric="energy_supply"), True),  # an unstated direction agrees
        (figure(value=9, unit="percent", metric="oil_exports_growth", kind="change", trend="down"),
         figure("b", value=9, unit="percent", metric="oil_exports_growth", kind="change", trend="up"), False),
        (figure(value=9, unit="percent", metric="oil_exports_growth", kind="change", trend="down"),
         figure("b", value=9, unit="percent", metric="oil_exports_growth", kind="change", trend="down"), True),
    ],
)
def test_growth_rates_families_and_directions(a, b, same):
    assert alignment.same_fact(a, b) is same


def test_a_fall_and_a_rise_of_one_size_conflict_and_a_fall_groups_as_negative():
    fell = figure(value=9, unit="percent", metric="trade_growth", kind="change", trend="down", start=0)
    rose = figure("b", value=9, unit="percent", metric="trade_growth", kind="change", trend="up", start=0)
    assert alignment.conflicting(fell, rose)
    figures = conform(pd.DataFrame([{**fell, "surface": "9%"}, {**fell, "article_id": "c", "surface": "9%"}]), "figures")
    _, groups = alignment.align_figures(figures, conform(pd.DataFrame({"article_id": ["a", "c"]}), "articles"))
    assert groups["value"].tolist() == [-9.0]
    assert groups["label"].tolist() == ["trade growth · 2022 · -9%"]


@pytest.mark.parametrize(
    ("published_b", "same"),
    [("2023-05-26", True), ("2023-09-01", False)],
)
def test_figures_without_a_period_match_only_when_published_close_together(published_b, same):
    a = figure(period=None, metric="investment")
    b = figure("b", period=None, metric="investment", published=published_b)
    assert alignment.same_fact(a, b) is same


@pytest.mark.parametrize(
    ("other", "conflict"),
    [
        (figure("b", value=170e9), True),  # same metric and period, another value
        (figure("b", period="2021"), True),  # same value for another, disjoint period
        (figure("b"), False),  # agreement
        (figure("b", value=170e9, kind="forecast"), False),  # a forecast does not contradict a count
        (figure("b", value=50e9, period="2022-Q1"), False),  # part of the year: another figure
        (figure("a", value=170e9), False),  # within one article it is not a disagreement of sources
        (figure("b", value=170e9, metric="investment"), False),
    ],
)
def test_conflicts(other, conflict):
    assert alignment.conflicting(figure("a"), other) is conflict


def test_align_figures_sets_fact_ids_conflicts_and_groups():
    frame = pd.DataFrame([
        {**figure("a"), "surface": "$190 billion", "start": 10, "end": 22},
        {**figure("b"), "surface": "$190bn", "start": 5, "end": 11},
        {**figure("c", value=150e9), "surface": "$150 billion", "start": 0, "end": 12},
    ]).drop(columns="published")
    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "published": ["2023-05-24"] * 3})
    figures, groups = alignment.align_figures(conform(frame, "figures"), articles)
    assert figures["fact_id"].iloc[0] == figures["fact_id"].iloc[1] != figures["fact_id"].iloc[2]
    assert figures["conflict"].tolist() == [True, True, True]
    by_id = groups.set_index("fact_id")
    agreed = by_id.loc[figures["fact_id"].iloc[0]]
    assert agreed["members"] == ["a:10", "b:5"] and agreed["surfaces"] == ["$190 billion", "$190bn"]
    assert agreed["conflicts_with"] == [figures["fact_id"].iloc[2]] and agreed["conflict"]
    assert agreed["label"] == "bilateral trade · 2022 · $190 bn"


@pytest.mark.parametrize(("published", "one_fact"), [("2023-05-24", True), (None, False)])
def test_repeats_of_a_figure_without_period_are_one_fact_only_when_their_articles_are_dated(published, one_fact):
    frame = pd.DataFrame([{**figure(article, period=None), "surface": "$190 billion", "start": start, "end": start + 12}
                          for article, start in (("b", 40), ("a", 3), ("c", 7), ("a", 90))]).drop(columns="published")
    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "published": [published] * 3})
    figures, groups = alignment.align_figures(conform(frame, "figures"), articles)
    if one_fact:
        assert figures["fact_id"].nunique() == 1
        assert groups["members"].tolist() == [["a:3", "a:90", "b:40", "c:7"]]
        assert groups["article_ids"].tolist() == [["a", "b", "c"]] and groups["n_articles"].tolist() == [3]
    else:  # undated: nothing says they report the same period, so each stands alone
        assert figures["fact_id"].nunique() == 4
        assert groups["members"].tolist() == [["b:40"], ["a:3"], ["c:7"], ["a:90"]]
    assert not figures["conflict"].any()


def test_a_conversion_into_another_currency_is_not_a_second_fact():
    """"1.3 trillion yuan ($190 billion)": the dollar copy shares the yuan figure's fact."""
    frame = pd.DataFrame([
        {**figure("a", value=1.3e12, unit="CNY"), "surface": "1.3 trillion yuan", "start": 10, "end": 27},
        {**figure("a"), "surface": "$190 billion", "start": 29, "end": 41, "converted_from": 10},
        {**figure("b", value=1.3e12, unit="CNY"), "surface": "1.3 trillion yuan", "start": 0, "end": 17},
    ]).drop(columns="published")
    articles = pd.DataFrame({"article_id": ["a", "b"], "published": ["2023-05-24"] * 2})
    figures, groups = alignment.align_figures(conform(frame, "figures"), articles)
    assert figures["fact_id"].nunique() == 1 and len(groups) == 1
    assert groups["members"].tolist() == [["a:10", "b:0"]] and groups["unit"].tolist() == ["CNY"]


def test_align_figures_on_no_figures_gives_empty_tables():
    figures, groups = alignment.align_figures(conform(pd.DataFrame(), "figures"), pd.DataFrame(
        {"article_id": [], "published": []}))
    assert figures.empty and groups.empty and "fact_id" in figures and "members" in groups


# --- quotes: the grouping rules -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Russia-China relations are at an unprecedented high level",
         "Today, Russia-China relations are at an unprecedented level", True),  # trimmed
        ("We will not accept any interference in our internal affairs, and we will defend our sovereignty",
         "We do not accept interference in our internal affairs and will defend our sovereignty firmly", True),
        ("dear friend", "Dear friend.", True),
        ("China is willing to work with Russia on energy", "China is willing to work with Russia on trade", False),
        ("China is willing to work with Russia to deepen cooperation in science, technology and innovation",
         "China is willing to work with Russia to implement the joint statement on agriculture and food", False),
        ("relations are good", "relations are not good", False),  # a negation changes the statement
        ("no limits", "Their friendship has no limits and their cooperation has no forbidden areas", False),
    ],
)
def test_wording_similarity(a, b, same):
    assert (alignment.wording_similarity(a, b) is not None) is same


def quote(article="a", text="Russia-China relations are at an unprecedented level", speaker="Mikhail Mishustin",
          date="2023-05-24", start=0) -> dict:
    return {"article_id": article, "text": text, "speaker": speaker, "date": date, "start": start}


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (quote("b", "Today, Russia-China relations are at an unprecedented high level"), True),
        (quote("b", date="2023-05-26"), True),  # reported two days later
        (quote("b", speaker="Li Qiang"), False),  # another speaker
        (quote("b", date="2024-08-21"), False),  # said again a year later: another statement
        (quote("b", speaker=None), True),  # unknown speaker, same words
        (quote("b", "Today, Russia-China relations are at an unprecedented high level", speaker=None), True),
        (quote("b", "Russia-China relations are at an unprecedented level and a new pipeline will be built together",
               speaker=None), False),  # an unknown speaker needs (almost) the same words
        (quote("b", date=None), True),  # an unknown date does not separate
    ],
)
def test_same_statement_uses_speaker_date_and_content(other, same):
    assert (alignment.same_statement(quote(), other) is not None) is same


def test_statement_date_is_the_past_event_date_else_the_publication():
    quotes = pd.DataFrame({"article_id": ["a", "a", "a"], "start": [5, 60, 120]})
    events = pd.DataFrame({"article_id": ["a", "a"], "date": ["2023-03", "2030"], "start": [0, 50], "end": [40, 100]})
    articles = pd.DataFrame({"article_id": ["a"], "published": ["2023-05-24"]})
    assert alignment.statement_dates(quotes, events, articles) == ["2023-03", "2023-05-24", "2023-05-24"]


def test_statement_date_is_the_first_event_in_table_order_of_the_quotes_own_article():
    quotes = pd.DataFrame({"article_id": ["a", "b", "b", "c"], "start": [10, 10, 70, 5]})
    events = pd.DataFrame({"article_id": ["b", "a", "b", "a", "b"],
                           "date": ["2023-01", "2023-02", "2023-03", "2023-04", "2022"],
                           "start": [60, 50, 0, 0, 0], "end": [80, 60, 100, 40, 100]})
    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "published": ["2023-05-24", "2023-05-24", None]})
    assert alignment.statement_dates(quotes, events, articles) == ["2023-04", "2023-03", "2023-01", None]
    assert alignment.statement_dates(quotes.iloc[:0], events, articles) == []
    assert alignment.statement_dates(quotes, events.iloc[:0], articles) == ["2023-05-24", "2023-05-24", "2023-05-24", None]


def test_statement_date_skips_undated_events_and_needs_no_publication_date():
    quotes = pd.DataFrame({"article_id": ["c", "c", "x"], "start": [5, 50, 5]})
    events = pd.DataFrame({"article_id": ["c", "c", "c"], "date": [None, "2031", "2022-05"],
                           "start": [0, 40, 0], "end": [30, 90, 90]})
    articles = pd.DataFrame({"article_id": ["c"], "published": [None]})
    # no publication date: any pinned date is not after it; "x" is an article the table lacks
    assert alignment.statement_dates(quotes, events, articles) == ["2022-05", "2031", None]


def test_align_quotes_groups_wordings_and_scores_them():
    frame = pd.DataFrame([
        quote("a", start=3), quote("b", "Today, Russia-China relations are at an unprecedented high level", start=7),
        quote("c", "China is willing to work with Russia", speaker="Li Qiang", start=1),
    ]).drop(columns="date")
    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "published": ["2023-05-24", "2023-05-25", "2023-05-24"]})
    quotes, groups = alignment.align_quotes(conform(frame, "quotes"), conform(pd.DataFrame(), "events"), articles)
    assert quotes["quote_group"].iloc[0] == quotes["quote_group"].iloc[1] != quotes["quote_group"].iloc[2]
    assert quotes["similarity"].iloc[0] == quotes["similarity"].iloc[1] > 0.8
    assert math.isnan(quotes["similarity"].iloc[2])
    shared = groups.set_index("quote_group").loc[quotes["quote_group"].iloc[0]]
    assert shared["members"] == ["a:3", "b:7"] and shared["n_articles"] == 2
    assert shared["text"].startswith("Today") and shared["date"] == "2023-05-24"


def test_two_articles_that_disagree_give_two_facts_in_conflict(conflict_tables):
    from lib.contract.tableio import read_tables

    tables = read_tables(conflict_tables)
    groups = tables["fact_groups"].set_index("label")
    assert sorted(groups.index) == ["bilateral trade · 2022 · $185 bn", "bilateral trade · 2022 · $190 bn"]
    assert groups["conflict"].all() and (groups["n_articles"] == 1).all()
    low, high = groups.loc["bilateral trade · 2022 · $185 bn"], groups.loc["bilateral trade · 2022 · $190 bn"]
    assert list(low["conflicts_with"]) == [high["fact_id"]] and list(high["conflicts_with"]) == [low["fact_id"]]
    assert tables["figures"]["conflict"].all()


def test_values_apart_by_more_than_rounding_are_never_one_fact():
    assert not alignment.same_fact(figure("a"), figure("b", value=185e9))
    assert alignment.conflicting(figure("a"), figure("b", value=185e9))
    assert alignment.conflict_note(185e9, 190e9, "USD") == "$185 bn vs $190 bn, 2.6%"


# --- copies of one story --------------------------------------------------------------------------


def _copied_articles(**copy_of: str) -> pd.DataFrame:
    """Articles a, b, c of outlets A, B, C (c of unknown outlet when `outlet_c` is None), with
    `copy_of` naming the first copy of each copied one."""
    ids = ["a", "b", "c"]
    return pd.DataFrame({"article_id": ids, "published": ["2023-05-24"] * 3, "outlet": ["A", "B", None],
                         "copy_of": [copy_of.get(a) for a in ids]})


@pytest.mark.parametrize(("copy_of", "stories"), [({}, 3), ({"b": "a"}, 2), ({"b": "a", "c": "a"}, 1)])
def test_a_fact_counts_articles_stories_and_outlets(copy_of, stories):
    frame = pd.DataFrame([{**figure(article), "surface": "$190 billion", "start": 4, "end": 16} for article in "abc"])
    _, groups = alignment.align_figures(conform(frame.drop(columns="published"), "figures"), _copied_articles(**copy_of))
    assert groups[["n_articles", "n_stories", "n_outlets"]].values.tolist() == [[3, stories, 3]]


def test_two_articles_of_one_outlet_are_one_outlet():
    frame = pd.DataFrame([{**figure(article), "surface": "$190 billion", "start": 4, "end": 16} for article in "ab"])
    articles = _copied_articles().assign(outlet=["A", " A ", None])
    _, groups = alignment.align_figures(conform(frame.drop(columns="published"), "figures"), articles)
    assert groups[["n_articles", "n_stories", "n_outlets"]].values.tolist() == [[2, 2, 1]]


@pytest.mark.parametrize(("copy_of", "conflict"), [({}, True), ({"b": "a"}, False)])
def test_a_copy_that_changed_a_figure_does_not_disagree_with_its_own_story(copy_of, conflict):
    frame = pd.DataFrame([{**figure("a"), "surface": "$190 billion", "start": 4, "end": 16},
                          {**figure("b", value=150e9), "surface": "$150 billion", "start": 4, "end": 16}])
    figures, groups = alignment.align_figures(conform(frame.drop(columns="published"), "figures"),
                                              _copied_articles(**copy_of))
    assert figures["fact_id"].nunique() == 2
    assert figures["conflict"].tolist() == [conflict, conflict] and groups["conflict"].tolist() == [conflict] * 2


def test_a_copy_agreeing_with_its_story_still_conflicts_with_another_story():
    frame = pd.DataFrame([{**figure("a"), "surface": "$190 billion", "start": 4, "end": 16},
                          {**figure("b"), "surface": "$190 billion", "start": 4, "end": 16},
                          {**figure("c", value=150e9), "surface": "$150 billion", "start": 4, "end": 16}])
    figures, _ = alignment.align_figures(conform(frame.drop(columns="published"), "figures"),
                                         _copied_articles(b="a"))
    assert figures["conflict"].all()


def test_a_statement_quoted_by_a_story_and_its_copy_is_one_story_of_two_outlets():
    frame = pd.DataFrame([quote("a", start=3), quote("b", start=3), quote("c", start=9)]).drop(columns="date")
    _, groups = alignment.align_quotes(conform(frame, "quotes"), conform(pd.DataFrame(), "events"),
                                       _copied_articles(b="a"))
    assert groups[["n_articles", "n_stories", "n_outlets"]].values.tolist() == [[3, 2, 3]]


@pytest.mark.parametrize(("a", "b", "conflict"), [
    ({"story": "s"}, {"story": "s"}, False),
    ({"story": "s"}, {"story": "t"}, True),
    ({}, {}, True),  # no story: each article is its own
])
def test_conflicting_is_between_stories(a, b, conflict):
    assert alignment.conflicting({**figure("a"), **a}, {**figure("b", value=150e9), **b}) is conflict

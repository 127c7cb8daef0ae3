"""Aggregations behind the charts page, on small constructed tables in a warehouse."""

from __future__ import annotations

import html

import duckdb
import pandas as pd
import pytest

from app import markup
from lib.contract.schema import conform
from lib.crossarticle.alignment import align_figures
from lib.views import figure_series
from lib.views.warehouse import Warehouse

TEXT = "Trade hit $190 billion. Xi met Putin in Moscow. Putin thanked Xi. Lavrov spoke."


def figure(article_id: str, value: float, period: str | None = "2022", metric: str = "bilateral_trade",
           unit: str = "USD", kind: str = "actual") -> dict:
    return {"article_id": article_id, "surface": "x", "start": 10, "end": 22, "value": value, "unit": unit,
            "metric": metric, "period": period, "kind": kind, "sent_start": 0, "sent_end": 23}


def mention(article_id: str, actor: str, sent_start: int, sent_end: int) -> dict:
    return {"article_id": article_id, "actor": actor, "start": sent_start + 1, "end": sent_start + 3,
            "sent_start": sent_start, "sent_end": sent_end}


@pytest.fixture
def tables(tmp_path):
    """`tables(figures=[...], actors=[...], text=...)`: a warehouse over those rows, with the
    articles they name (source `src-<id>`, published 2023-05-24), the figures aligned into facts by
    the cross-article step, and the chart figures registered."""
    opened = []

    def build(figures=(), actors=(), text=TEXT, published="2023-05-24") -> Warehouse:
        ids = sorted({row["article_id"] for row in [*figures, *actors]})
        articles = [{"article_id": a, "outlet": f"src-{a}", "published": published, "text": text} for a in ids]
        aligned, _ = align_figures(conform(pd.DataFrame(list(figures)), "figures"), conform(pd.DataFrame(articles), "articles"))
        for name, frame in (("articles", articles), ("figures", aligned), ("actors", actors)):
            conform(pd.DataFrame(frame), name).to_parquet(tmp_path / f"{name}.parquet")
        warehouse = Warehouse(tmp_path)
        warehouse.register(figure_series.CHART_FIGURES, figure_series.chart_figures(warehouse))
        opened.append(warehouse)
        return warehouse

    yield build
    for warehouse in opened:
        warehouse.close()


def points(warehouse, chart: str = figure_series.MONEY, chosen: figure_series.Filters | None = None) -> pd.DataFrame:
    condition, params = figure_series.figure_filter(chosen or figure_series.Filters())
    return warehouse.query(figure_series.points_sql(condition, dated_only=False), [chart, *params, 100])


@pytest.mark.parametrize(
    "period, start, end",
    [
        ("2022", "2022-01-01", "2022-12-31"),
        ("2023-Q1", "2023-01-01", "2023-03-31"),
        ("2023-Q4", "2023-10-01", "2023-12-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2023-05-24", "2023-05-24", "2023-05-24"),
        ("2023-01-01/2023-05-24", "2023-01-01", "2023-05-24"),
        ("2022/2023-Q2", "2022-01-01", "2023-06-30"),
    ],
)
def test_period_bounds_cover_the_whole_period(period, start, end):
    assert figure_series.period_bounds(period) == (pd.Timestamp(start), pd.Timestamp(end))


@pytest.mark.parametrize("period", [None, "", "last year", "2023-13"])
def test_unknown_periods_have_no_bounds(period):
    assert figure_series.period_bounds(period) is None


def test_spans_put_a_range_at_its_midpoint_and_label_quarters():
    spans = figure_series.with_spans(pd.DataFrame({"period": ["2023-01-01/2023-03-31", "2023", None]}))
    assert spans["period_label"].tolist() == ["2023-Q1", "2023", figure_series.UNDATED]
    assert spans["period_mid"][0] == pd.Timestamp("2023-02-14 12:00")
    assert pd.isna(spans["period_start"][2])


def test_chart_figures_add_source_sentence_and_readable_value(tables):
    rows = tables([figure("a", 190e9)]).query(f"SELECT * FROM {figure_series.CHART_FIGURES}")
    assert rows[["source", "sentence", "shown", "chart"]].iloc[0].tolist() == [
        "src-a", "Trade hit $190 billion.", "$190 bn", figure_series.MONEY]


def test_a_fall_is_charted_below_zero_and_apart_from_a_rise(tables):
    fell = {**figure("a", 9), "unit": "percent", "metric": "trade_growth", "kind": "change", "trend": "down"}
    rose = {**fell, "article_id": "b", "trend": "up"}
    pts = points(tables([fell, rose]), figure_series.SHARES)
    assert sorted(pts["value"]) == [-9, 9]
    assert pts["conflict"].all()


def test_a_conversion_is_not_charted_again_and_a_range_is_drawn_at_its_middle(tables):
    """A restatement in another currency is the figure it restates; a range sits at its middle,
    shown in the article's words."""
    copy = {**figure("a", 26e9), "start": 30, "converted_from": 10}
    ranged = {**figure("b", float("nan"), period="2021"), "low": 180e9, "high": 200e9, "surface": "$180-200 billion"}
    warehouse = tables([figure("a", 190e9), copy, ranged])
    assert sorted(points(warehouse)["value"].tolist()) == [190e9, 190e9]
    shown = warehouse.query(f"SELECT shown FROM {figure_series.CHART_FIGURES} ORDER BY article_id")["shown"]
    assert shown.tolist() == ["$190 bn", "$180-200 billion"]


def test_any_currency_code_is_charted_as_money():
    assert figure_series.figure_group("JPY") == figure_series.figure_group("USD") == figure_series.MONEY
    assert figure_series.figure_group("percent") == figure_series.SHARES and figure_series.figure_group("bcm") == figure_series.VOLUMES


def test_sources_giving_the_same_figure_make_one_point(tables):
    pts = points(tables([figure("a", 190e9), figure("b", 191e9), figure("b", 190e9)]))
    assert len(pts) == 1
    point = pts.iloc[0]
    assert point["sources"] == "src-a, src-b"
    assert point["n_sources"] == 2 and point["n_reports"] == 3
    assert point["value"] == 190e9 and point["article_id"] == "a"
    assert not point["conflict"]


def test_disagreeing_sources_make_separate_flagged_points(tables):
    pts = points(tables([figure("a", 190e9), figure("b", 185e9)]))
    assert len(pts) == 2
    assert pts["conflict"].all()
    assert sorted(pts["value"]) == [185e9, 190e9]


def test_a_source_filter_counts_agreement_among_the_shown_reports_and_keeps_the_conflict(tables):
    """Agreement is counted among the sources shown; a conflict is the cross-article step's, so a
    figure another source contradicts stays flagged when that source is filtered out."""
    warehouse = tables([figure("a", 190e9), figure("b", 190e9), figure("c", 150e9)])
    pts = points(warehouse, chosen=figure_series.Filters(sources=("src-a",)))
    assert len(pts) == 1 and pts.iloc[0]["n_sources"] == 1 and pts.iloc[0]["conflict"]


@pytest.mark.parametrize(
    "other, chart",
    [
        (figure("b", 200e9, period="2023"), figure_series.MONEY),  # another period, another value
        (figure("b", 190e9, metric="energy_supply"), figure_series.MONEY),  # another metric
        (figure("b", 200e9, kind="forecast"), figure_series.MONEY),  # a forecast is not a contradiction of an actual
    ],
)
def test_different_figures_are_separate_points_without_conflict(tables, other, chart):
    pts = points(tables([figure("a", 190e9), other]), chart)
    assert len(pts) == 2
    assert not pts["conflict"].any()


def test_same_span_in_two_notations_is_one_point(tables):
    pts = points(tables([figure("a", 53.8e9, period="2023-Q1"), figure("b", 53.8e9, period="2023-01-01/2023-03-31")]))
    assert len(pts) == 1 and pts.iloc[0]["n_sources"] == 2


def test_most_reported_points_come_first_and_the_limit_caps_them(tables):
    rows = [figure("a", 1e9, period="2021"), figure("a", 2e9, period="2022"), figure("b", 2e9, period="2022")]
    warehouse = tables(rows)
    condition, params = figure_series.figure_filter(figure_series.Filters())
    capped = warehouse.query(figure_series.points_sql(condition, dated_only=True), [figure_series.MONEY, *params, 1])
    assert capped["period_label"].tolist() == ["2022"]
    stats = warehouse.query(figure_series.point_stats_sql(condition), [figure_series.MONEY, *params]).iloc[0]
    assert stats[["points", "reports", "confirmed", "conflicts", "undated"]].tolist() == [2, 3, 1, 0, 0]


def test_figure_rows_carry_the_points_agreement_page_by_page(tables):
    warehouse = tables([figure("a", 190e9), figure("b", 191e9), figure("c", 5, unit="percent", period=None)])
    condition, params = figure_series.figure_filter(figure_series.Filters())
    rows = warehouse.query(figure_series.figure_rows_sql(condition), [figure_series.MONEY, *params, 10, 0])
    assert rows["source"].tolist() == ["src-a", "src-b"] and set(rows["agreeing sources"]) == {2}
    assert rows["shown"].tolist() == ["$190 bn", "$191 bn"]
    assert warehouse.query(figure_series.figure_rows_sql(condition), [figure_series.MONEY, *params, 1, 1])["source"].tolist() == [
        "src-b"]
    csv = figure_series.figure_csv(warehouse, condition, [figure_series.SHARES, *params]).decode()
    assert "5%" in csv and "src-c" in csv and "src-a" not in csv


def test_points_carry_their_sentence_as_text_and_the_hover_escapes_it(tables):
    warehouse = tables([figure("a", 40, unit="percent", metric="energy_supply")],
                       text="<script>1</script> & more text")  # the sentence: its first 23 characters
    shown = points(warehouse, figure_series.SHARES)
    assert shown["sentence"].tolist() == ["<script>1</script> & mo"]  # data, not HTML
    label = markup.figure_hovers(shown)[0]
    assert "<script>" not in label
    assert "&lt;script&gt;" in label and "&amp; mo" in label
    assert "40%" in label and "src-a" in label


@pytest.mark.parametrize(
    "text, start, end",
    [("one two three four", 0, 18), ("  spaced\n\tout\u00a0words  ", 0, 24), ("x" * 300, 0, 300),
     (("word " * 80).strip(), 0, 399), ("héllo 😀 wörld " * 30, 6, 400), ("", 0, 0)],
)
def test_sentence_sql_cuts_like_truncate(text, start, end):
    sql = f"SELECT {figure_series.sentence_sql('t', 's', 'e')} FROM (SELECT ?::VARCHAR AS t, ? AS s, ? AS e)"
    assert duckdb.connect().execute(sql, [text, start, end]).fetchone()[0] == figure_series.truncate(text[start:end])


@pytest.mark.parametrize(
    "text",
    ["", "short", "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen",
     " ".join(["word"] * 40), "a " + "x" * 150 + " b", "trade reached $190 billion in 2023, up 26% from a year earlier"],
)
def test_wrap_breaks_lines_like_textwrap(text):
    import textwrap

    assert figure_series.wrap(text, 20) == textwrap.wrap(text, 20, break_on_hyphens=False)
    assert markup.wrapped("<b> & " + text) == "<br>".join(
        html.escape(line) for line in textwrap.wrap("<b> & " + text, 70, break_on_hyphens=False))


def test_truncate_cuts_long_sentences_at_a_word():
    assert figure_series.truncate("one two three four", 9) == "one two…"
    assert figure_series.truncate("short", 9) == "short"


COOCCURRING = [
    mention("a", "Xi Jinping", 24, 48), mention("a", "Vladimir Putin", 24, 48), mention("a", "Russia", 24, 48),
    mention("a", "Vladimir Putin", 49, 66), mention("a", "Xi Jinping", 49, 66), mention("a", "Xi Jinping", 49, 66),
    mention("a", "Sergei Lavrov", 67, 80),
    mention("b", "Xi Jinping", 24, 48), mention("b", "Vladimir Putin", 24, 48),
]


def edges(warehouse, top: int = 10, min_weight: int = 1, most: int = 10,
          chosen: figure_series.Filters | None = None) -> pd.DataFrame:
    mentions, params = figure_series.mention_filter(chosen or figure_series.Filters())
    return warehouse.query(figure_series.edges_sql(mentions), [*params, top, min_weight, most])


def test_cooccurrence_counts_sentences_shared_by_two_actors(tables):
    found = edges(tables(actors=COOCCURRING))
    weights = {(e.actor_a, e.actor_b): e.weight for e in found.itertuples()}
    assert weights == {
        ("Vladimir Putin", "Xi Jinping"): 3,  # twice in a, once in b; a repeated name counts once
        ("Russia", "Vladimir Putin"): 1,
        ("Russia", "Xi Jinping"): 1,
    }
    first = found.iloc[0]
    assert first["actor_a"] == "Vladimir Putin"  # heaviest first
    assert (first["source"], first["sent_start"], first["sentence"]) == ("src-a", 24, "Xi met Putin in Moscow.")


def test_edge_stats_and_filters(tables):
    warehouse = tables(actors=COOCCURRING)
    mentions, params = figure_series.mention_filter(figure_series.Filters())
    stats = warehouse.query(figure_series.edge_stats_sql(mentions), [*params, 10]).iloc[0]
    assert (stats["links"], stats["heaviest"]) == (3, 3)
    assert edges(warehouse, min_weight=2)["weight"].tolist() == [3]
    assert len(edges(warehouse, most=1)) == 1
    assert edges(warehouse, top=2)[["actor_a", "actor_b"]].values.tolist() == [["Vladimir Putin", "Xi Jinping"]]
    assert edges(warehouse, chosen=figure_series.Filters(sources=("src-b",)))["weight"].tolist() == [1]
    assert edges(warehouse, chosen=figure_series.Filters(years=(2024, 2025))).empty


def test_cooccurrence_of_lone_mentions_is_empty(tables):
    warehouse = tables(actors=[mention("a", "Xi Jinping", 0, 10), mention("a", "Russia", 11, 20)])
    assert edges(warehouse).empty
    mentions, params = figure_series.mention_filter(figure_series.Filters())
    assert warehouse.query(figure_series.edge_stats_sql(mentions), [*params, 10]).iloc[0].tolist() == [0, 0]


def test_attention_counts_mentions_per_actor_and_source(tables):
    warehouse = tables(actors=[mention("a", "China", 0, 10), mention("a", "China", 11, 20),
                               mention("b", "China", 0, 10), mention("a", "Russia", 0, 10)])
    mentions, params = figure_series.mention_filter(figure_series.Filters())
    top = warehouse.query(figure_series.top_actors_sql(mentions), [*params, 1])
    assert top[["actor", "mentions", "actors"]].values.tolist() == [["China", 3, 2]]
    cells = warehouse.query(figure_series.attention_sql(mentions), [*params, 1, 40])
    assert dict(zip(cells["source"], cells["mentions"])) == {"src-a": 2, "src-b": 1}
    assert cells["sentence"].iloc[0] == "Trade hit"  # the first mention's sentence
    assert set(cells["cells"]) == {2} and set(cells["sources"]) == {2}
    assert warehouse.query(figure_series.attention_sql(mentions), [*params, 1, 1])["source"].tolist() == ["src-a"]
    page = warehouse.query(figure_series.attention_sql(mentions, paged=True), [*params, 2, 1, 1])
    assert page[["actor", "source"]].values.tolist() == [["China", "src-b"]]
    assert len(figure_series.attention_csv(warehouse, mentions, [*params, 2]).decode().splitlines()) == 4


def test_spring_layout_is_deterministic_and_bounded():
    links = pd.DataFrame({"actor_a": ["A", "A", "B"], "actor_b": ["B", "C", "C"], "weight": [5, 1, 3]})
    first = figure_series.spring_layout(["A", "B", "C", "D"], links)
    again = figure_series.spring_layout(["A", "B", "C", "D"], links)
    pd.testing.assert_frame_equal(first, again)
    assert first[["x", "y"]].abs().max().max() <= 1.0 + 1e-9
    assert len(figure_series.spring_layout(["A"], links.iloc[0:0])) == 1


@pytest.mark.parametrize(
    "chosen, expected",
    [
        (figure_series.Filters(metrics=("energy_supply",)), {"energy_supply"}),
        (figure_series.Filters(sources=("src-b",)), {"energy_supply", "bilateral_trade"}),
        (figure_series.Filters(years=(2023, 2024)), {"energy_supply"}),  # undated figures drop out with years
        (figure_series.Filters(), {"energy_supply", "bilateral_trade"}),
    ],
)
def test_figure_filter_selects_metric_source_and_years(tables, chosen, expected):
    warehouse = tables([figure("a", 190e9, period="2022"),
                        figure("b", 40, unit="percent", metric="energy_supply", period="2023"),
                        figure("b", 2, period=None)])
    condition, params = figure_series.figure_filter(chosen)
    found = warehouse.query(f"SELECT DISTINCT metric FROM {figure_series.CHART_FIGURES} WHERE {condition}", params)
    assert set(found["metric"]) == expected


def test_year_span_covers_periods_and_publication(tables):
    warehouse = tables([figure("a", 1, period="2019"), figure("a", 2, period="2022/2025")], published="2021-02-03")
    assert warehouse.query(figure_series.YEAR_SPAN_SQL).iloc[0].tolist() == [2019, 2025]
    assert warehouse.query(figure_series.FIGURE_OPTIONS_SQL)["metric"].tolist() == ["bilateral_trade"]


def test_no_figures_still_make_a_queryable_table(tables):
    warehouse = tables(actors=[mention("a", "China", 0, 10)])
    assert points(warehouse).empty
    assert warehouse.query(figure_series.YEAR_SPAN_SQL).iloc[0].tolist() == [2023, 2023]

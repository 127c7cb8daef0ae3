"""Aggregations behind the charts page, on small constructed frames."""

from __future__ import annotations

import pandas as pd
import pytest

from lib import charts

TEXT = "Trade hit $190 billion. Xi met Putin in Moscow. Putin thanked Xi. Lavrov spoke."


def articles(*ids: str) -> pd.DataFrame:
    return pd.DataFrame({"article_id": list(ids), "text": [TEXT] * len(ids), "source": [f"src-{i}" for i in ids],
                         "published": ["2023-05-24"] * len(ids)})


def figure(article_id: str, value: float, period: str | None = "2022", metric: str = "bilateral_trade",
           unit: str = "USD", kind: str = "actual") -> dict:
    return {"article_id": article_id, "surface": "x", "start": 10, "end": 22, "value": value, "unit": unit,
            "metric": metric, "period": period, "kind": kind, "sent_start": 0, "sent_end": 23}


def prepared(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    return charts.assign_points(charts.with_context(charts.with_spans(frame), articles(*frame["article_id"].unique())))


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
    assert charts.period_bounds(period) == (pd.Timestamp(start), pd.Timestamp(end))


@pytest.mark.parametrize("period", [None, "", "last year", "2023-13"])
def test_unknown_periods_have_no_bounds(period):
    assert charts.period_bounds(period) is None


def test_spans_put_a_range_at_its_midpoint_and_label_quarters():
    spans = charts.with_spans(pd.DataFrame({"period": ["2023-01-01/2023-03-31", "2023", None]}))
    assert spans["period_label"].tolist() == ["2023-Q1", "2023", charts.UNDATED]
    assert spans["period_mid"][0] == pd.Timestamp("2023-02-14 12:00")
    assert pd.isna(spans["period_start"][2])


def test_sources_giving_the_same_figure_make_one_point():
    rows = prepared(figure("a", 190e9), figure("b", 191e9), figure("b", 190e9))
    pts = charts.points(rows)
    assert len(pts) == 1
    point = pts.iloc[0]
    assert point["sources"] == ["src-a", "src-b"]
    assert point["n_sources"] == 2 and point["n_reports"] == 3
    assert not point["conflict"]


def test_disagreeing_sources_make_separate_flagged_points():
    pts = charts.points(prepared(figure("a", 190e9), figure("b", 185e9)))
    assert len(pts) == 2
    assert pts["conflict"].all()
    assert sorted(pts["value"]) == [185e9, 190e9]


@pytest.mark.parametrize(
    "other",
    [
        figure("b", 190e9, period="2023"),  # another period
        figure("b", 190e9, metric="energy_supply"),  # another metric
        figure("b", 200e9, kind="forecast"),  # a forecast is not a contradiction of an actual
    ],
)
def test_different_figures_are_separate_points_without_conflict(other):
    pts = charts.points(prepared(figure("a", 190e9), other))
    assert len(pts) == 2
    assert not pts["conflict"].any()


def test_same_span_in_two_notations_is_one_point():
    pts = charts.points(prepared(figure("a", 53.8e9, period="2023-Q1"),
                                 figure("b", 53.8e9, period="2023-01-01/2023-03-31")))
    assert len(pts) == 1 and pts.iloc[0]["n_sources"] == 2


def test_hover_label_escapes_article_text():
    rows = prepared(figure("a", 40, unit="percent", metric="energy_supply"))
    rows["sentence"] = "<script>alert(1)</script> & more"
    label = charts.hover_label(charts.points(rows).iloc[0])
    assert "<script>" not in label
    assert "&lt;script&gt;" in label and "&amp; more" in label
    assert "40%" in label and "src-a" in label


@pytest.mark.parametrize(
    "value, unit, text",
    [(190e9, "USD", "$190 bn"), (53.8e9, "USD", "$53.8 bn"), (40, "percent", "40%"), (2, "ratio", "×2"),
     (1.2e12, "CNY", "1.2 trn CNY"), (38e9, "bcm", "38 bn bcm")],
)
def test_format_value_reads_like_the_article(value, unit, text):
    assert charts.format_value(value, unit) == text


def test_truncate_cuts_long_sentences_at_a_word():
    assert charts.truncate("one two three four", 9) == "one two…"
    assert charts.truncate("short", 9) == "short"


def mentions(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """(article_id, actor, sent_start, sent_end) → mention rows with a start offset."""
    frame = pd.DataFrame(rows, columns=["article_id", "actor", "sent_start", "sent_end"])
    return frame.assign(start=frame["sent_start"] + 1, end=frame["sent_start"] + 3)


def test_cooccurrence_counts_sentences_shared_by_two_actors():
    frame = mentions([
        ("a", "Xi Jinping", 24, 48), ("a", "Vladimir Putin", 24, 48), ("a", "Russia", 24, 48),
        ("a", "Vladimir Putin", 49, 66), ("a", "Xi Jinping", 49, 66), ("a", "Xi Jinping", 49, 66),
        ("a", "Sergei Lavrov", 67, 80),
        ("b", "Xi Jinping", 24, 48), ("b", "Vladimir Putin", 24, 48),
    ])
    edges = charts.cooccurrence(frame)
    weights = {(e.actor_a, e.actor_b): e.weight for e in edges.itertuples()}
    assert weights == {
        ("Vladimir Putin", "Xi Jinping"): 3,  # twice in a, once in b; a repeated name counts once
        ("Russia", "Vladimir Putin"): 1,
        ("Russia", "Xi Jinping"): 1,
    }
    assert edges.iloc[0]["actor_a"] == "Vladimir Putin"  # heaviest first


def test_cooccurrence_of_lone_mentions_is_empty():
    edges = charts.cooccurrence(mentions([("a", "Xi Jinping", 0, 10), ("a", "Russia", 11, 20)]))
    assert edges.empty and "weight" in edges


def test_strongest_edges_apply_minimum_and_cap():
    edges = pd.DataFrame({"actor_a": ["A", "A", "B"], "actor_b": ["B", "C", "C"], "weight": [5, 1, 3]})
    assert charts.strongest_edges(edges, 2, 10)["weight"].tolist() == [5, 3]
    assert charts.strongest_edges(edges, 1, 1)["weight"].tolist() == [5]


def test_attention_counts_mentions_per_actor_and_source():
    frame = mentions([("a", "China", 0, 10), ("a", "China", 11, 20), ("b", "China", 0, 10), ("a", "Russia", 0, 10)])
    frame = charts.with_source(frame, articles("a", "b"))
    top = charts.top_actors(frame, 1)
    assert top == ["China"]
    counts = charts.with_context(charts.attention(frame, top), articles("a", "b"))
    assert dict(zip(counts["source"], counts["mentions"])) == {"src-a": 2, "src-b": 1}
    assert counts["sentence"].iloc[0] == "Trade hit"  # the first mention's sentence


def test_spring_layout_is_deterministic_and_bounded():
    edges = pd.DataFrame({"actor_a": ["A", "A", "B"], "actor_b": ["B", "C", "C"], "weight": [5, 1, 3]})
    first = charts.spring_layout(["A", "B", "C", "D"], edges)
    again = charts.spring_layout(["A", "B", "C", "D"], edges)
    pd.testing.assert_frame_equal(first, again)
    assert first[["x", "y"]].abs().max().max() <= 1.0 + 1e-9
    assert len(charts.spring_layout(["A"], edges.iloc[0:0])) == 1


def test_select_figures_filters_metric_source_and_years():
    rows = prepared(figure("a", 190e9, period="2022"), figure("b", 40, unit="percent", metric="energy_supply",
                                                              period="2023"), figure("b", 2, period=None))
    assert len(charts.select_figures(rows, ["energy_supply"], [])) == 1
    assert len(charts.select_figures(rows, [], ["src-b"])) == 2
    assert charts.select_figures(rows, [], [], (2023, 2024))["metric"].tolist() == ["energy_supply"]

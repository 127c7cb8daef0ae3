"""How a figure reads, one style for every table, label and page: `lib.contract.values`."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lib.contract.values import conflict_note, difference, format_value, metric_label, shown_value


@pytest.mark.parametrize(
    "value, unit, text",
    [
        (190e9, "USD", "$190 bn"),
        (53.8e9, "USD", "$53.8 bn"),
        (185.25e9, "USD", "$185.25 bn"),  # two decimals kept: close values stay apart
        (-12e9, "USD", "-$12 bn"),
        (1.2e12, "CNY", "1.2 trn CNY"),
        (3.5e6, "EUR", "€3.5 m"),
        (40, "percent", "40%"),
        (2.6, "percent", "2.6%"),
        (5, "percentage_points", "5 pp"),
        (2, "ratio", "×2"),
        (15, "bcm", "15 bcm"),
        (700, None, "700"),
        (700, float("nan"), "700"),
        (None, "USD", "?"),
        (float("nan"), "percent", "?"),
        (pd.NA, "USD", "?"),
    ],
)
def test_format_value_writes_the_compact_style(value, unit, text):
    assert format_value(value, unit) == text


@pytest.mark.parametrize(
    "figure, text",
    [
        ({"value": 190e9, "unit": "USD", "surface": "$190 billion"}, "$190 bn"),
        ({"value": 2, "unit": "ratio", "surface": "more than doubling"}, "more than doubling"),
        ({"value": None, "unit": "USD", "surface": "$100-120 billion"}, "$100-120 billion"),
        ({"value": math.nan, "unit": "USD", "surface": ""}, "?"),
        ({"value": 2, "unit": "ratio", "surface": None}, "×2"),
    ],
)
def test_shown_value_keeps_the_articles_words_for_multiples_and_ranges(figure, text):
    assert shown_value(figure) == text


@pytest.mark.parametrize(
    "value, other, unit, text",
    [
        (185e9, 190e9, "USD", "$185 bn vs $190 bn, 2.6%"),
        (40, 50, "percent", "40% vs 50%, 20.0%"),
        (None, 190e9, "USD", "? vs $190 bn"),
    ],
)
def test_conflict_note_puts_two_values_side_by_side(value, other, unit, text):
    assert conflict_note(value, other, unit) == text


@pytest.mark.parametrize("a, b, gap", [(185, 190, 5 / 190), (0, 0, 0.0), (-10, 10, 2.0)])
def test_difference_is_relative_to_the_larger_value(a, b, gap):
    assert difference(a, b) == pytest.approx(gap)


@pytest.mark.parametrize("metric, label", [("bilateral_trade", "bilateral trade"), (None, "figure"), ("", "figure")])
def test_metric_label_reads_like_words(metric, label):
    assert metric_label(metric) == label

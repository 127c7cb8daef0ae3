"""Blocks of the cross-article steps: rows in different blocks are never compared."""

from __future__ import annotations

import pytest

from lib.crossarticle.blocking import NO_KEY, RANGES, event_block, figure_block, packed, quote_blocks


@pytest.mark.parametrize(("date", "block"), [
    ("2023-05-24", "2023"), ("2023-Q2", "2023"), ("2022", "2022"),
    ("2022-12/2023-02", RANGES), (None, NO_KEY), ("", NO_KEY),
])
def test_an_event_is_blocked_by_its_year_and_every_range_together(date, block):
    assert event_block(date) == block


def test_figures_of_one_metric_family_share_a_block():
    assert figure_block("bilateral_trade") == figure_block("bilateral_trade")
    assert figure_block("bilateral_trade") != figure_block("energy_supply")
    assert figure_block(None) == NO_KEY


@pytest.mark.parametrize(("keys", "together", "apart"), [
    # one speaker, a week apart: linked; a year later: apart
    ([("Putin", "2023-03-20"), ("Putin", "2023-03-25"), ("Putin", "2024-03-20")], [(0, 1)], [(0, 2)]),
    # two speakers on one day are never compared...
    ([("Putin", "2023-03-20"), ("Xi Jinping", "2023-03-20")], [], [(0, 1)]),
    # ...unless an unknown speaker near both could be either's
    ([("Putin", "2023-03-20"), ("Xi Jinping", "2023-03-21"), (None, "2023-03-22")], [(0, 1), (1, 2)], []),
    # an unknown speaker far from them joins neither
    ([("Putin", "2023-03-20"), ("Xi Jinping", "2023-03-21"), (None, "2023-09-01")], [], [(0, 1), (0, 2)]),
    # a month-long date reaches a day within the days after its end
    ([("Putin", "2023-03"), ("Putin", "2023-04-05")], [(0, 1)], []),
    # an undated statement pairs with every date of its speaker, not another speaker's
    ([("Putin", None), ("Putin", "2021-01-01"), ("Putin", "2024-01-01"), ("Lavrov", "2024-01-01")],
     [(0, 1), (0, 2)], [(0, 3)]),
    # a chain: each within the window of the next
    ([("Lavrov", "2023-01-01"), ("Lavrov", "2023-01-06"), ("Lavrov", "2023-01-11")], [(0, 2)], []),
])
def test_statements_are_blocked_by_whom_they_may_share_and_when(keys, together, apart):
    blocks = quote_blocks(keys, days=7)
    for a, b in together:
        assert blocks[a] == blocks[b]
    for a, b in apart:
        assert blocks[a] != blocks[b]


def test_small_blocks_share_a_bin_and_a_large_one_has_its_own():
    bins = packed({"2021": 10, "2022": 10, "2023": 500, "2024": 30}, target=100)
    assert ["2023"] in bins
    assert sorted(key for b in bins for key in b) == ["2021", "2022", "2023", "2024"]
    assert len(bins) == 2

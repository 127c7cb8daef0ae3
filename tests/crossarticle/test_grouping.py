"""Rows gathered into groups (`lib.crossarticle.grouping`): the same groups, order and ids as doing it row by row."""

import hashlib
import random

import numpy as np
import pyarrow as pa
import pytest

from lib.crossarticle.grouping import GroupedRows, article_order, components, distinct_rows, group_id, member_keys


def _by_hand(labels: list[int], order: list[int], first_in: list[int]) -> list[list[int]]:
    """Each group's rows in `order`, groups ranked by their label's first row in `first_in`."""
    ranked = list(dict.fromkeys(labels[i] for i in first_in))
    return [[i for i in order if labels[i] == label] for label in ranked]


@pytest.mark.parametrize("seed", range(6))
def test_groups_list_their_rows_in_order_ranked_by_first_appearance(seed):
    rng = random.Random(seed)
    size = rng.randint(1, 40)
    labels = [rng.choice([-3, -1, 0, 2, 7, 11]) for _ in range(size)]
    order = list(range(size))
    rng.shuffle(order)
    for first_in in (None, list(range(size))):
        groups = GroupedRows(np.array(labels), np.array(order), None if first_in is None else np.array(first_in))
        expected = _by_hand(labels, order, order if first_in is None else first_in)
        got = [groups.rows[begin:end].tolist() for begin, end in groups.slices()]
        assert got == expected
        assert len(groups) == len(expected)
        assert groups.first_rows().tolist() == [rows[0] for rows in expected]
        assert [groups.rank[rows[0]] for rows in expected] == list(range(len(expected)))


def test_article_order_sorts_by_article_then_start_keeping_ties_in_row_order():
    articles = pa.array(["b", "a", "é", "a", "b", "a"], pa.string())
    starts = pa.array([5, 9, 0, 2, 5, 2], pa.int64())
    assert article_order(articles, starts).tolist() == [3, 5, 1, 0, 4, 2]


def test_member_keys_and_group_ids():
    keys = member_keys(pa.array(["a", "b"], pa.string()), pa.array([12, 0], pa.int64())).to_pylist()
    assert keys == ["a:12", "b:0"]
    assert group_id("quote-", ["b:0", "a:12"]) == group_id("quote-", ["a:12", "b:0"])
    assert group_id("fact-", keys) == "fact-" + hashlib.sha1(b"a:12|b:0").hexdigest()[:10]


def test_ids_hash_each_groups_members():
    groups = GroupedRows(np.array([4, 1, 4]), np.array([0, 1, 2]))
    assert groups.ids("x-", ["a:0", "a:9", "b:1"]) == [group_id("x-", ["a:0", "a:9"]), group_id("x-", ["b:1"])]


@pytest.mark.parametrize("size, pairs, expected", [
    (0, [], []),
    (4, [], [[0], [1], [2], [3]]),
    (5, [(0, 3), (3, 4), (1, 2)], [[0, 3, 4], [1, 2]]),
    (4, [(3, 2), (2, 1), (1, 0), (0, 3)], [[0, 1, 2, 3]]),
])
def test_components_join_items_linked_by_any_chain_of_pairs(size, pairs, expected):
    found = components(size, pairs)
    assert [[i for i in range(size) if found[i] == found[group[0]]] for group in expected] == expected
    assert len(set(found.tolist())) == len(expected)
    assert all(found[found[i]] == found[i] for i in range(size))  # each label is one of its members


@pytest.mark.parametrize("seed", range(5))
def test_distinct_rows_number_each_combination_by_its_first_row(seed):
    rng = random.Random(seed)
    size = rng.randint(1, 60)
    texts = [rng.choice(["a", "b", "", None, "é"]) for _ in range(size)]
    numbers = [rng.choice([0.5, 2.0, None]) for _ in range(size)]
    more = [rng.choice(["x", None]) for _ in range(size)]
    columns = [pa.array(texts, pa.string()), pa.chunked_array([pa.array(numbers, pa.float64())]), pa.array(more)]
    groups, firsts = distinct_rows(columns)
    seen: dict[tuple, int] = {}
    expected = [seen.setdefault(row, len(seen)) for row in zip(texts, numbers, more)]
    assert groups.tolist() == expected
    assert firsts.tolist() == [expected.index(g) for g in range(len(seen))]

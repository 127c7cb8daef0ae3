"""The contract's column types, from frames, row dicts and plain column lists alike."""

import math

import numpy as np
import pandas as pd
import pytest

from lib.contract.schema import column_lists, from_rows, records, rows_of

ROWS = [
    {"article_id": "a", "actor": "China", "actor_type": "country", "surface": "China", "start": np.int64(3),
     "end": 8.0, "known": 1, "how": "gazetteer", "sent_start": 0, "sent_end": 40, "extra": "kept"},
    {"article_id": "a", "actor": None, "actor_type": float("nan"), "surface": 7, "start": 10, "end": 14,
     "known": None, "sent_start": 0, "sent_end": 40},
]


def plain(values: list) -> list:
    return [None if isinstance(v, float) and math.isnan(v) else v for v in values]


def test_column_lists_are_what_a_conformed_frame_holds():
    columns = column_lists(ROWS, "actors")
    frame = from_rows(ROWS, "actors")
    assert list(columns) == list(frame.columns)
    for name, values in frame.to_dict("list").items():
        assert plain(columns[name]) == plain(values), name
    assert columns["surface"] == ["China", "7"] and columns["known"] == [True, False]
    assert columns["how"] == ["gazetteer", None] and columns["extra"] == ["kept", None]
    assert all(type(v) is int for v in columns["start"] + columns["end"])


@pytest.mark.parametrize("table", ["events", "figures", "quotes", "dates"])
def test_no_rows_give_every_column_empty(table):
    columns = column_lists([], table)
    assert list(columns) == list(from_rows([], table).columns) and all(v == [] for v in columns.values())


def test_list_cells_become_python_lists():
    rows = [{"article_id": "a", "event_id": "e", "actors": ("China", "Russia")},
            {"article_id": "b", "event_id": "f", "actors": np.array(["Iran"], dtype=object)},
            {"article_id": "c", "event_id": "g", "actors": None}]
    assert column_lists(rows, "events")["actors"] == [["China", "Russia"], ["Iran"], []]


def test_rows_and_records_round_trip():
    columns = column_lists(ROWS, "actors")
    rows = rows_of(columns)
    assert [r["actor"] for r in rows] == ["China", None]
    assert records(rows) is rows and records(None) == []
    pd.testing.assert_frame_equal(from_rows(rows, "actors"), from_rows(records(from_rows(ROWS, "actors")), "actors"))

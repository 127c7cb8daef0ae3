"""lib.views.warehouse: SQL over the tables folder, as the pages use it; lib.contract.schema.conform's input forms."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from lib.contract.schema import TABLES, conform, from_columns, from_rows
from lib.contract.tableio import read_tables
from lib.views.labels import source_label
from lib.views.warehouse import Warehouse


@pytest.fixture(scope="module")
def warehouse(seed_tables):
    opened = Warehouse(seed_tables)
    yield opened
    opened.close()


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_has_its_rows_and_columns(warehouse, seed_tables, table):
    expected = read_tables(seed_tables)[table]
    got = warehouse.query(f"SELECT * FROM {table}")
    assert len(got) == len(expected)
    assert list(got.columns) == list(expected.columns)


def test_sources_view_names_each_article_by_source_label(warehouse, seed_tables):
    articles = read_tables(seed_tables)["articles"]
    expected = {row.article_id: source_label(row.outlet, row.published, row.title, row.article_id)
                for row in articles.itertuples()}
    got = warehouse.query("SELECT article_id, source FROM sources")
    assert dict(zip(got["article_id"], got["source"])) == expected
    assert not any(source in set(articles["article_id"]) for source in got["source"])  # never a bare id


def test_stories_view_counts_a_copied_story_once(tmp_path):
    articles = from_rows([{"article_id": "a"}, {"article_id": "b", "copy_of": "a"}, {"article_id": "c"}], "articles")
    articles.to_parquet(tmp_path / "articles.parquet")
    opened = Warehouse(tmp_path)
    try:
        assert opened.value("SELECT count(DISTINCT story) FROM stories") == 2
    finally:
        opened.close()
    articles.drop(columns="copy_of").to_parquet(tmp_path / "articles.parquet")  # written before copies were linked
    opened = Warehouse(tmp_path)
    try:
        assert opened.value("SELECT count(DISTINCT story) FROM stories") == 3
    finally:
        opened.close()


def test_aggregates_match_pandas(warehouse, seed_tables):
    actors = read_tables(seed_tables)["actors"]
    got = warehouse.query("SELECT actor, count(*) AS n FROM actors GROUP BY actor ORDER BY n DESC, actor LIMIT 3")
    expected = actors["actor"].value_counts()
    assert [expected[a] for a in got["actor"]] == got["n"].tolist()
    assert got["n"].iloc[0] == expected.max()


@pytest.mark.parametrize(("value", "found"), [("China", True), ("x' OR '1'='1", False),
                                              ("'; DROP VIEW actors; --", False)])
def test_parameters_are_values_never_sql(warehouse, value, found):
    count = warehouse.value("SELECT count(*) FROM actors WHERE actor = ?", [value])
    assert (count > 0) is found
    assert warehouse.value("SELECT count(*) FROM actors") > 0  # still there


def test_registered_frames_are_queryable(warehouse):
    warehouse.register("scratch_counts", pd.DataFrame({"name": ["a", "b", "b"]}))
    assert warehouse.has("scratch_counts")
    assert warehouse.value("SELECT count(*) FROM scratch_counts WHERE name = ?", ["b"]) == 2


def test_missing_files_are_empty_tables_and_odd_folder_names_work(seed_tables, tmp_path):
    folder = tmp_path / "it's data"
    folder.mkdir()
    shutil.copy(seed_tables / "articles.parquet", folder / "articles.parquet")
    opened = Warehouse(folder)
    try:
        assert opened.value("SELECT count(*) FROM articles") == 5
        quotes = opened.query("SELECT * FROM quotes")
        assert quotes.empty and list(quotes.columns) == list(TABLES["quotes"])
        assert opened.has("sources") and not opened.has("nothing_here")
    finally:
        opened.close()


ROWS = [{"article_id": "a", "actor": "China", "start": 3, "end": 8, "extra": 1},
        {"article_id": "b", "actor": None, "start": 10, "end": 12}]


@pytest.mark.parametrize("given", [
    ROWS,
    pd.DataFrame(ROWS),
    {key: [row.get(key) for row in ROWS] for key in ("article_id", "actor", "start", "end", "extra")},
])
def test_rows_frames_and_columns_give_one_contract_frame(given):
    build = from_rows if isinstance(given, list) else from_columns if isinstance(given, dict) else conform
    frame = build(given, "actors")
    assert list(frame.columns)[: len(TABLES["actors"])] == list(TABLES["actors"])
    assert frame["actor"].tolist() == ["China", None]
    assert frame["start"].dtype == np.int64 and frame["start"].tolist() == [3, 10]
    assert "extra" in frame.columns


def test_conform_of_nothing_is_the_empty_table():
    assert from_rows([], "quotes").empty and list(from_columns({}, "quotes").columns) == list(TABLES["quotes"])
    assert list(conform(pd.DataFrame(), "quotes").columns) == list(TABLES["quotes"])


def test_derived_tables_are_built_once(warehouse):
    built = []

    def build(opened: Warehouse) -> pd.DataFrame:
        built.append(1)
        return opened.query("SELECT actor, count(*) AS n FROM actors GROUP BY actor")

    assert warehouse.derive("actor_counts", build) == "actor_counts"
    warehouse.derive("actor_counts", build)
    assert len(built) == 1
    assert warehouse.value("SELECT n FROM actor_counts WHERE actor = ?", ["China"]) > 0

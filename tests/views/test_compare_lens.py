"""Outlet profiles in the warehouse, and the Compare lens by outlet group, on the outlet test corpus."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.contract.tableio import write_tables
from lib.views import source_comparison
from lib.views.warehouse import Warehouse, profile_table
from tests.views.outlet_run import open_run

CHINESE, RUSSIAN, WESTERN, UNKNOWN = ("Chinese state media", "Russian state media", "Western private media",
                                      "unknown outlet")


@pytest.fixture(scope="module")
def run(outlet_tables):
    query, warehouse = open_run(outlet_tables)
    warehouse.register(source_comparison.GROUP_CELLS, source_comparison.group_cells(warehouse))
    warehouse.register(source_comparison.LABELS, source_comparison.coverage_labels(warehouse))
    yield query
    warehouse.close()


def test_profiles_name_each_articles_group(run):
    groups = run("SELECT article_id, outlet_group FROM profiles").set_index("article_id")["outlet_group"]
    assert groups.to_dict() == {"a_xinhua": CHINESE, "b_tass": RUSSIAN, "c_reuters": WESTERN, "d_tass": RUSSIAN,
                                "e_unknown": UNKNOWN, "f_xinhua": CHINESE}


def test_tables_written_before_the_profile_columns_read_as_unknown_outlets(tmp_path):
    write_tables({"articles": pd.DataFrame({"article_id": ["x"], "outlet": ["TASS"]})}, tmp_path, {})
    warehouse = Warehouse(tmp_path)
    try:
        row = warehouse.query("SELECT * FROM profiles").iloc[0]
    finally:
        warehouse.close()
    assert row["outlet_group"] == UNKNOWN and row["outlet_country"] is None
    assert profile_table(pd.DataFrame({"article_id": []}))["outlet_group"].tolist() == []


def test_groups_are_listed_in_the_order_of_the_groups_file(run):
    counts = source_comparison.group_counts(run)
    assert counts["source"].tolist() == [CHINESE, RUSSIAN, WESTERN, UNKNOWN]
    assert counts["articles"].tolist() == [2, 2, 1, 1]


def test_the_fact_matrix_has_a_column_per_group(run):
    groups = [CHINESE, RUSSIAN, WESTERN]
    rows = source_comparison.matrix_rows(run, "fact", groups, cells=source_comparison.GROUP_CELLS)
    matrix = source_comparison.matrix(rows, groups, lambda a, s, t: t).set_index("label")
    assert list(matrix.columns[-3:]) == groups
    agreed = matrix.loc["bilateral trade · 2022 · $190 bn"]
    assert (agreed[CHINESE], agreed[RUSSIAN], agreed[WESTERN]) == ("$190 billion", None, "$190 billion")
    assert matrix.loc["bilateral trade · 2022 · $185 bn", RUSSIAN] == "$185 billion"
    counts = source_comparison.kind_counts(run, groups, source_comparison.GROUP_CELLS)
    assert counts.at["fact", "conflicting"] == 2  # the two values of 2022 trade


def test_what_only_one_group_reports(run):
    groups = [CHINESE, RUSSIAN, WESTERN, UNKNOWN]
    alone = source_comparison.only_in_one_source(run, groups, cells=source_comparison.GROUP_CELLS)
    facts = alone[alone["kind"] == "fact"]
    assert dict(zip(facts["label"], facts["source"])) == {
        "bilateral trade · 2022 · $185 bn": RUSSIAN, "oil exports growth · 2023 · 24%": WESTERN}
    summary = source_comparison.source_summary(run, groups, source_comparison.GROUP_CELLS)
    assert set(summary["source"]) == set(groups)


def test_an_unknown_cells_table_is_refused(run):
    with pytest.raises(ValueError):
        source_comparison.kind_counts(run, [CHINESE], "articles; DROP TABLE articles")

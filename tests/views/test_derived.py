"""The pages' derived tables written with the tables: what a page reads from them is what it would
have built on its first visit, and tables without them are still served."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from lib.contract.tableio import tables_folder
from lib.views import derived
from lib.views.derived import BUILDERS, IN_PARTS
from lib.views.warehouse import DERIVED_FOLDER, Warehouse


@pytest.fixture(scope="module")
def snapshot(seed_tables):
    return tables_folder(seed_tables)


@pytest.fixture(scope="module")
def without_derived(snapshot, tmp_path_factory):
    """The same tables as an older run wrote them: no derived folder."""
    copy = tmp_path_factory.mktemp("older") / "tables"
    shutil.copytree(snapshot, copy, ignore=shutil.ignore_patterns(DERIVED_FOLDER))
    return copy


def rows(frame: pd.DataFrame) -> list[dict]:
    """The rows of a query result as plain values (lists, not arrays), for comparison."""
    def plain(value):
        if hasattr(value, "tolist"):
            value = value.tolist()
        if isinstance(value, list):
            return [plain(v) for v in value]
        return None if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT else value
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def test_a_run_writes_every_derived_table_into_its_snapshot(snapshot):
    assert sorted(p.stem for p in (snapshot / DERIVED_FOLDER).glob("*.parquet")) == sorted(BUILDERS)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_written_derived_table_reads_as_the_one_built_on_a_first_visit(snapshot, without_derived, name):
    served, older = Warehouse(snapshot), Warehouse(without_derived)
    try:
        assert served.has(name) and not older.has(name)
        for earlier, build in BUILDERS.items():  # as the pages build them, each once
            older.derive(earlier, build)
            if earlier == name:
                break
        served.derive(name, lambda _: pytest.fail("a written derived table is built again"))
        query = f"SELECT * FROM {name}"
        written, built = served.query(query), older.query(query)
        assert list(written.columns) == list(built.columns)
        assert len(written) > 0
        assert sorted(rows(written), key=repr) == sorted(rows(built), key=repr)  # pages order in SQL
    finally:
        served.close()
        older.close()


@pytest.mark.parametrize("name", sorted(IN_PARTS))
def test_a_table_built_in_parts_holds_the_rows_built_at_once(snapshot, tmp_path, monkeypatch, name):
    copy = tmp_path / "tables"
    shutil.copytree(snapshot, copy, ignore=shutil.ignore_patterns(DERIVED_FOLDER))
    monkeypatch.setattr(derived, "PART_ROWS", 7)  # the seeds' events in several parts
    derived.write(copy)
    served, whole = Warehouse(copy), Warehouse(snapshot)  # the run's, built at once
    try:
        assert served.value("SELECT count(*) FROM events") > 2 * derived.PART_ROWS
        query = f"SELECT * FROM {name}"
        assert sorted(rows(served.query(query)), key=repr) == sorted(rows(whole.query(query)), key=repr)
    finally:
        served.close()
        whole.close()

"""Tables written partitioned by publication year: read back whole, and rewritten only where they change."""

from __future__ import annotations

import os

import pandas as pd

from lib.contract.schema import from_rows
from lib.contract.tableio import read_manifest, read_tables, tables_folder, write_tables
from lib.views.warehouse import Warehouse


def corpus(published: dict[str, str | None], said: dict[str, str] | None = None) -> dict[str, pd.DataFrame]:
    said = said or {}
    articles = from_rows([{"article_id": a, "title": f"Title {a}", "published": p, "text": "Some text."}
                        for a, p in published.items()], "articles")
    quotes = from_rows([{"article_id": a, "text": said.get(a, f"words of {a}"), "start": 0, "end": 4}
                      for a in published], "quotes")
    return {"articles": articles, "quotes": quotes}


def partition_file(folder, table: str, year: str):
    return tables_folder(folder) / table / f"published_year={year}" / "part-0.parquet"


def test_partitioned_tables_read_back_whole_and_in_the_warehouse(tmp_path):
    write_tables(corpus({"a": "2023-01-02", "b": "2024-05-06", "c": None}), tmp_path, {}, partition_by="year")
    years = sorted(p.name for p in (tmp_path / "quotes").iterdir())
    assert years == ["published_year=2023", "published_year=2024", "published_year=__HIVE_DEFAULT_PARTITION__"]
    assert sorted(read_tables(tmp_path)["quotes"]["article_id"]) == ["a", "b", "c"]
    warehouse = Warehouse(tables_folder(tmp_path))
    assert warehouse.value("SELECT count(*) FROM quotes") == 3
    assert warehouse.value("SELECT count(*) FROM quotes WHERE published_year = 2024") == 1
    assert warehouse.value("SELECT count(*) FROM events") == 0  # written empty, still a table
    warehouse.close()


def test_adding_an_article_rewrites_only_its_year(tmp_path):
    write_tables(corpus({"a": "2023-01-02", "b": "2024-05-06"}), tmp_path, {}, partition_by="year")
    before = {year: os.stat(partition_file(tmp_path, "quotes", year)).st_ino for year in ("2023", "2024")}
    write_tables(corpus({"a": "2023-01-02", "b": "2024-05-06", "d": "2024-07-01"}), tmp_path, {},
                 partition_by="year")
    after = {year: os.stat(partition_file(tmp_path, "quotes", year)).st_ino for year in ("2023", "2024")}
    assert after["2023"] == before["2023"]  # the same file, linked into the new snapshot
    assert after["2024"] != before["2024"]
    assert sorted(read_tables(tmp_path)["quotes"]["article_id"]) == ["a", "b", "d"]
    assert read_manifest(tmp_path)["partition_by"] == "year"


def test_a_changed_row_rewrites_its_year(tmp_path):
    write_tables(corpus({"a": "2023-01-02", "b": "2024-05-06"}), tmp_path, {}, partition_by="year")
    before = os.stat(partition_file(tmp_path, "quotes", "2023")).st_ino
    write_tables(corpus({"a": "2023-01-02", "b": "2024-05-06"}, said={"a": "other words"}), tmp_path, {},
                 partition_by="year")
    assert os.stat(partition_file(tmp_path, "quotes", "2023")).st_ino != before
    assert "other words" in read_tables(tmp_path)["quotes"]["text"].tolist()


def test_switching_back_to_one_file_per_table(tmp_path):
    write_tables(corpus({"a": "2023-01-02"}), tmp_path, {}, partition_by="year")
    write_tables(corpus({"a": "2023-01-02"}), tmp_path, {})
    assert (tmp_path / "quotes.parquet").is_file() and not (tmp_path / "quotes").exists()
    assert "partition_by" not in read_manifest(tmp_path)
    assert read_tables(tmp_path)["quotes"]["article_id"].tolist() == ["a"]

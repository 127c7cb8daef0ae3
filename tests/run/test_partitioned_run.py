"""A run partitioned by year: the same tables as one file each, and an added article rewrites only its year."""

from __future__ import annotations

import os

from lib.contract.tableio import read_manifest, read_tables, tables_folder
from lib.run import ingest, preprocess
from lib.run.fingerprint import added_folder
from tests.conftest import SEEDS

from .test_preprocess import assert_same_tables

ADDED_TEXT = ("Officials in Harbin opened a grain terminal on the Amur river on Monday, the regional "
              "government said. The terminal will handle soybeans bought from farms in the Russian Far East.")


def year_file(folder, table: str, year: str):
    return tables_folder(folder) / table / f"published_year={year}" / "part-0.parquet"


def test_a_partitioned_run_holds_the_tables_of_a_plain_run(seed_tables, tmp_path):
    manifest = preprocess.run(SEEDS, tmp_path, progress=False, partition_by="year")
    assert manifest["partition_by"] == "year"
    assert_same_tables(read_tables(seed_tables), read_tables(tmp_path))
    again = preprocess.run(SEEDS, tmp_path, progress=False, partition_by="year")
    assert again.get("up_to_date")  # nothing changed: nothing redone
    plain = preprocess.run(SEEDS, tmp_path, progress=False)
    assert not plain.get("up_to_date") and (tmp_path / "actors.parquet").is_file()  # another layout asked


def test_adding_an_article_from_the_browser_rewrites_only_its_year(tmp_path):
    preprocess.run(SEEDS, tmp_path, progress=False, partition_by="year")
    before = {year: os.stat(year_file(tmp_path, "actors", year)).st_ino for year in ("2023", "2024")}
    ingest.save_pasted(added_folder(tmp_path), ADDED_TEXT, title="Grain terminal", outlet="Test Wire",
                       published="2025-02-03")
    manifest = ingest.rebuild(tmp_path)
    assert manifest["partition_by"] == "year" and manifest["rows"]["articles"] == 6
    after = {year: os.stat(year_file(tmp_path, "actors", year)).st_ino for year in ("2023", "2024")}
    assert after == before  # the seeds' years were linked, not written again
    assert year_file(tmp_path, "actors", "2025").is_file()
    assert "2025" in read_manifest(tmp_path)["partitions"]["articles"]
    assert len(read_tables(tmp_path)["articles"]) == 6

"""Preprocessing under bad input, and interruptions that must not corrupt earlier tables."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from lib.contract import tableio
from lib.contract.tableio import read_manifest, read_tables
from tests.conftest import ROOT, SEEDS

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bad_corpus"
EXPECTED_REASONS = {
    "empty.txt": "empty file",
    "whitespace_only.txt": "empty file",
    "binary.txt": "binary data",
    "russian_text.txt": "does not look like English",
    "huge.txt": "only the first",
    "missing_file.txt": "no such article file",
    "windows1252.txt": "read as 2023-10-25",
    "utf16.txt": "malformed date",
    "latin1.txt": "listed twice",
}


def preprocess(src: Path, out: Path, **kwargs) -> subprocess.Popen | subprocess.CompletedProcess:
    command = [sys.executable, "-m", "lib.preprocess", str(src), "--out", str(out), "--quiet"]
    if kwargs.pop("background", False):
        return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad") / "corpus"
    shutil.copytree(FIXTURES, folder)
    paragraph = "Russia and China expanded their trade in oil, gas and coal, officials said on Monday.\n"
    (folder / "huge.txt").write_text(paragraph * (20_000_000 // len(paragraph)), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def bad_run(bad_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("bad_out")
    return preprocess(bad_corpus, out), out


def test_bad_files_are_reported_by_name_and_the_rest_processed(bad_run):
    result, out = bad_run
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for name, reason in EXPECTED_REASONS.items():
        assert any(name in line and reason in line for line in result.stdout.splitlines()), (name, result.stdout)
    articles = read_tables(out)["articles"].set_index("article_id")
    readable = {"latin1", "windows1252", "utf16", "page_with_scripts", "briefing", "unbalanced_quotes",
                "russian_text", "report – Xi’s visit 2024", "huge"}
    assert readable <= set(articles.index)
    assert {"empty", "whitespace_only", "binary"}.isdisjoint(articles.index)
    assert {"utf8_bom", "duplicate_of_bom"} <= set(articles.index)
    assert articles.loc["utf8_bom", "copy_of"] == "duplicate_of_bom"


def test_decoded_and_stripped_texts(bad_run):
    _, out = bad_run
    text = read_tables(out)["articles"].set_index("article_id")["text"]
    assert "café" in text["latin1"] and "délégation" in text["latin1"]
    assert "\u201cWe are partners,\u201d" in text["windows1252"]
    assert text["utf16"].startswith("Lavrov met Wang Yi")
    assert "alert" not in text["page_with_scripts"] and "injected" not in text["page_with_scripts"]
    assert "color: red" not in text["page_with_scripts"]
    assert "**" not in text["briefing"] and "chart.png" not in text["briefing"]
    assert len(text["huge"]) <= 200_000


def test_copies_are_articles_with_their_own_metadata_linked_to_the_first(bad_run):
    _, out = bad_run
    articles = read_tables(out)["articles"].set_index("article_id")
    wire = articles.loc[["wire_story", "wire_story_copy", "wire_story_edited", "wire_story_reposted"]]
    assert wire["copy_of"].tolist() == [None, "wire_story", "wire_story", "wire_story"]
    assert wire["outlet"].tolist() == ["Example Wire", "Repost Daily", "Daily Three", None]
    assert wire["title"].tolist()[:3] == ["Russia and China sign gas deal", "Gas deal signed, Kremlin says",
                                          "Moscow and Beijing seal pipeline pact"]
    assert wire["published"].tolist()[:3] == ["2024-05-16"] * 3  # "May 16, 2024" and a timestamp read too
    assert wire.loc["wire_story_edited", "text"].endswith("gas sales lost in Europe.")


def test_the_wire_storys_facts_and_statements_count_one_story_of_several_outlets(bad_run):
    """The wire story, its identical copy, its edited copy and its repost without metadata (its own
    outlet) are four articles and outlets but one story, which never disagrees with itself."""
    tables = read_tables(bad_run[1])
    wire = {"wire_story", "wire_story_copy", "wire_story_edited", "wire_story_reposted"}
    counts = ["n_articles", "n_stories", "n_outlets"]
    statements = tables["quote_groups"][[set(ids) == wire for ids in tables["quote_groups"]["article_ids"]]]
    assert statements[counts].values.tolist() == [[4, 1, 4]]
    facts = tables["fact_groups"][[set(ids) <= wire for ids in tables["fact_groups"]["article_ids"]]]
    assert (facts["n_stories"] == 1).all() and (facts["n_outlets"] == facts["n_articles"]).all()
    assert facts["n_articles"].max() >= 3 and not facts["conflict"].any()  # the dated copies give one fact


def test_an_identical_copy_has_its_twins_rows_under_its_own_id(bad_run):
    _, out = bad_run
    tables = read_tables(out)
    for name in ("actors", "dates", "figures", "quotes"):
        table = tables[name].drop(columns=[c for c in ("fact_id", "conflict", "quote_group", "similarity")
                                           if c in tables[name].columns])
        rows = {aid: table[table["article_id"] == aid].drop(columns="article_id").reset_index(drop=True)
                for aid in ("wire_story", "wire_story_copy")}
        assert len(rows["wire_story"]), name
        pd.testing.assert_frame_equal(rows["wire_story"], rows["wire_story_copy"], obj=name)


def test_sources_csv_rows_count_one_by_one(bad_run):
    result, out = bad_run
    articles = read_tables(out)["articles"].set_index("article_id")
    assert articles.loc["briefing", "outlet"] is None  # its row is broken: reported, the article still read
    assert articles.loc["unbalanced_quotes", "outlet"] == "Quotes Weekly"  # its date is ambiguous, the rest is used
    lines = result.stdout.splitlines()
    for expected in ("sources.csv line 11: malformed row", "sources.csv line 12: unbalanced_quotes.txt: ambiguous date",
                     "sources.csv line 6: missing_file.txt: no such article file",
                     "sources.csv line 9: wire_story_copy.txt: date 'May 16, 2024' read as 2024-05-16"):
        assert sum(expected in line for line in lines) == 1, expected


def test_each_problem_is_reported_once(bad_run):
    result, out = bad_run
    problems = read_manifest(out)["problems"]
    assert len(problems) == len(set(problems))
    assert [line for line in result.stdout.splitlines() if line.startswith("  - ")] == [f"  - {p}" for p in problems]


def test_pasted_html_is_text_and_its_attributes_are_no_quotations(bad_run):
    _, out = bad_run
    tables = read_tables(out)
    text = tables["articles"].set_index("article_id")["text"]
    quotes = tables["quotes"]
    for aid in ("pasted_page", "pasted_fragment"):
        for leftover in ("<", "onerror", "alert", "https", "should not be read", "injected", "not a quote"):
            assert leftover not in text[aid], (aid, leftover)
        said = quotes.loc[quotes["article_id"] == aid, "text"].tolist()
        assert len(said) == 1 and not any("alert" in q or "http" in q or "quotation" in q for q in said), said
    assert "Relations are at their best in history" in quotes.loc[quotes["article_id"] == "pasted_page", "text"].iloc[0]


def test_unbalanced_quotes_do_not_swallow_the_article(bad_run):
    _, out = bad_run
    tables = read_tables(out)
    quotes = tables["quotes"][tables["quotes"]["article_id"] == "unbalanced_quotes"]
    assert len(quotes) >= 3
    assert quotes["text"].str.len().max() < 120
    assert "26%" in set(tables["figures"].loc[tables["figures"]["article_id"] == "unbalanced_quotes", "surface"])


def test_folder_without_any_usable_article_fails_clearly(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = preprocess(src, out)
    assert result.returncode != 0
    assert "no article" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_missing_folder_fails_clearly(tmp_path):
    result = preprocess(tmp_path / "nowhere", tmp_path / "out")
    assert result.returncode == 2 and "not a folder" in result.stderr and "Traceback" not in result.stderr


def _consistent(out: Path) -> dict:
    manifest = read_manifest(out)
    tables = read_tables(out)
    for name, rows in manifest["rows"].items():
        assert len(tables[name]) == rows, name
    return manifest


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed_out")
    assert preprocess(SEEDS, out).returncode == 0
    return out


@pytest.mark.parametrize("delay", [0.5, 2.0, 4.0])
def test_interrupted_run_leaves_previous_tables_intact(tmp_path, seed_out, delay):
    out = tmp_path / "out"
    shutil.copytree(seed_out, out)
    before = _consistent(out)
    bigger = tmp_path / "bigger"
    shutil.copytree(FIXTURES, bigger)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, bigger / seed.name)
    process = preprocess(bigger, out, background=True)
    time.sleep(delay)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    after = _consistent(out)
    assert after["data_version"] == before["data_version"] or after["rows"]["articles"] > before["rows"]["articles"]


def test_a_failed_write_leaves_the_previous_tables_and_no_temporary_file(tmp_path, seed_out, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(seed_out, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    real = tableio.write_parquet

    def disk_full_at_quotes(table, path):
        if "quotes" in path.name:
            raise OSError("No space left on device")
        real(table, path)

    monkeypatch.setattr(tableio, "write_parquet", disk_full_at_quotes)
    with pytest.raises(OSError, match="No space"):
        tableio.write_tables(read_tables(out), out, {"data_version": "new"})
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before

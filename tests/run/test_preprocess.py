"""Preprocessing at scale: incremental re-runs from the article cache, worker processes, CLI options."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from lib.contract.schema import conform
from lib.contract.tableio import arrow_frame, read_arrow, read_tables, write_tables
from lib.extract import article
from lib.run import assembled, fingerprint, preprocess, standby
from lib.run.cache import CACHE_FOLDER
from tests.conftest import SEEDS


def write_articles(folder: Path, count: int, paragraphs: int = 4, first: int = 0) -> list[Path]:
    """`count` short articles made of seed paragraphs (the same for the same numbers), with dates."""
    lines = [line for p in sorted(SEEDS.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(first, first + count):
        picked = [lines[(number * 7 + k * 3) % len(lines)] for k in range(paragraphs)]
        path = folder / f"art{number:03d}.txt"
        path.write_text("\n".join(picked) + "\n", encoding="utf-8")
        paths.append(path)
    write_sources(folder)
    return paths


def write_sources(folder: Path, dates: dict[str, str] | None = None) -> None:
    dates = dates or {}
    rows = [f"{p.name},,Outlet {i % 2},{dates.get(p.name, '2024-05-16')}," for i, p in
            enumerate(sorted(folder.glob("*.txt")))]
    (folder / "sources.csv").write_text("file,title,outlet,published,url\n" + "\n".join(rows) + "\n", encoding="utf-8")


def sorted_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A table in a canonical row order, list cells as tuples (comparable, sortable)."""
    frame = frame.copy()
    for column in frame.columns:
        frame[column] = frame[column].map(lambda v: tuple(v) if isinstance(v, list) else v)
    keys = [c for c in ("article_id", "start", "end", "fact_id", "quote_group", "actor") if c in frame.columns]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def assert_same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert set(a) == set(b)
    for name in a:
        pd.testing.assert_frame_equal(sorted_frame(a[name]), sorted_frame(b[name]), obj=name)


@pytest.fixture
def corpus(tmp_path) -> Path:
    src = tmp_path / "src"
    write_articles(src, 4)
    return src


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The ids of the articles parsed in this process (extraction is what a cache hit skips);
    re-runs parse here too, not in a standby process (`lib.run.standby`), whose parsing this
    process would not see."""
    monkeypatch.setattr(standby, "available", lambda: False)
    seen: list[str] = []
    original = article.article_result

    def counting(doc, article):
        seen.append(article["article_id"])
        return original(doc, article)

    monkeypatch.setattr(article, "article_result", counting)
    return seen


def test_unchanged_rerun_parses_nothing_and_writes_the_same_tables(corpus, tmp_path, parsed):
    out = tmp_path / "out"
    first = preprocess.run(corpus, out, progress=False)
    tables = read_tables(out)
    assert sorted(parsed) == ["art000", "art001", "art002", "art003"]
    assert first["cache"] == {"parsed": 4, "reused": 0, "pruned": 0}
    parsed.clear()
    second = preprocess.run(corpus, out, progress=False)
    assert parsed == []
    assert second["cache"] == {"parsed": 0, "reused": 4, "pruned": 0}
    assert second["data_version"] == first["data_version"] and second["rows"] == first["rows"]
    assert_same_tables(read_tables(out), tables)


def test_adding_one_article_parses_only_that_one(corpus, tmp_path, parsed):
    out = tmp_path / "out"
    preprocess.run(corpus, out, progress=False)
    parsed.clear()
    write_articles(corpus, 1, first=4)
    manifest = preprocess.run(corpus, out, progress=False)
    assert parsed == ["art004"]
    assert manifest["cache"] == {"parsed": 1, "reused": 4, "pruned": 0}
    assert "art004" in set(read_tables(out)["articles"]["article_id"])
    fresh, _ = preprocess.process(corpus, progress=False)
    assert_same_tables(read_tables(out), fresh)


def test_removed_article_disappears_from_tables_and_cache(corpus, tmp_path):
    out = tmp_path / "out"
    preprocess.run(corpus, out, progress=False)
    (corpus / "art002.txt").unlink()
    write_sources(corpus)
    manifest = preprocess.run(corpus, out, progress=False)
    assert manifest["cache"] == {"parsed": 0, "reused": 3, "pruned": 1}
    tables = read_tables(out)
    for name in ("articles", "actors", "dates", "figures", "quotes", "events"):
        assert "art002" not in set(tables[name]["article_id"]), name
    assert len(list((out / CACHE_FOLDER).glob("*.json"))) == 3


def test_edited_article_and_changed_date_are_parsed_again(corpus, tmp_path, parsed):
    out = tmp_path / "out"
    preprocess.run(corpus, out, progress=False)
    parsed.clear()
    with open(corpus / "art001.txt", "a", encoding="utf-8") as handle:
        handle.write("Putin met Xi Jinping in Beijing on Tuesday.\n")
    write_sources(corpus, {"art003.txt": "2023-01-02"})
    manifest = preprocess.run(corpus, out, progress=False)
    assert sorted(parsed) == ["art001", "art003"]
    assert manifest["cache"] == {"parsed": 2, "reused": 2, "pruned": 2}
    articles = read_tables(out)["articles"].set_index("article_id")
    assert articles.loc["art003", "published"] == "2023-01-02"
    assert "Putin met Xi Jinping" in articles.loc["art001", "text"]


def test_unchanged_rerun_leaves_the_tables_alone(corpus, tmp_path, parsed):
    out = tmp_path / "out"
    first = preprocess.run(corpus, out, progress=False)
    written = {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")}
    parsed.clear()
    again = preprocess.run(corpus, out, progress=False)
    assert again["up_to_date"] and not parsed and again["data_version"] == first["data_version"]
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")} == written
    (out / "quotes.parquet").unlink()  # a table gone: rebuilt (from the cache, nothing parsed)
    rebuilt = preprocess.run(corpus, out, progress=False)
    assert not rebuilt.get("up_to_date") and (out / "quotes.parquet").exists() and not parsed


def test_new_pipeline_version_invalidates_the_cache(corpus, tmp_path, parsed, monkeypatch):
    out = tmp_path / "out"
    preprocess.run(corpus, out, progress=False)
    parsed.clear()
    monkeypatch.setattr(fingerprint, "PIPELINE_VERSION", "999.0.0")
    manifest = preprocess.run(corpus, out, progress=False)
    assert len(parsed) == 4 and manifest["cache"] == {"parsed": 4, "reused": 0, "pruned": 4}


def test_changed_data_file_invalidates_the_cache(corpus, tmp_path, parsed, monkeypatch):
    out = tmp_path / "out"
    preprocess.run(corpus, out, progress=False)
    parsed.clear()
    data = tmp_path / "data"
    shutil.copytree(fingerprint.DATA_FILES, data)
    with open(data / "actors.csv", "a", encoding="utf-8") as handle:
        handle.write("Jane Example,person,,,\n")
    monkeypatch.setattr(fingerprint, "DATA_FILES", data)
    assert preprocess.run(corpus, out, progress=False)["cache"]["parsed"] == 4
    assert len(parsed) == 4


def test_no_cache_option_parses_everything_and_leaves_no_cache(corpus, tmp_path, parsed):
    out = tmp_path / "out"
    preprocess.run(corpus, out, progress=False, cache=False)
    preprocess.run(corpus, out, progress=False, cache=False)
    assert len(parsed) == 8
    assert not (out / CACHE_FOLDER).exists()


def test_cached_and_fresh_runs_report_the_same_problems(tmp_path):
    src = tmp_path / "src"
    write_articles(src, 2)
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    first = preprocess.run(src, out, progress=False)
    second = preprocess.run(src, out, progress=False)
    assert first["problems"] == second["problems"] and any("empty.txt" in p for p in first["problems"])


def test_two_spawned_worker_processes_give_the_same_tables_as_one(tmp_path, monkeypatch):
    from lib.run import spawning

    monkeypatch.setattr(spawning, "start_method", lambda: "spawn")  # forked ones: the command below
    src = tmp_path / "src"
    write_articles(src, 6)
    one, problems_one = preprocess.process(src, progress=False, n_process=1)
    two, problems_two = preprocess.process(src, progress=False, n_process=2, batch_size=2)
    assert problems_one == problems_two
    assert_same_tables(one, two)
    assert len(two["actors"]) and len(two["events"])


def test_command_line_options(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert preprocess.main([str(corpus), "--out", str(out), "--quiet", "--n-process", "1", "--batch-size", "8"]) == 0
    assert "parsed: 4, reused from cache: 0" in capsys.readouterr().out
    assert preprocess.main([str(corpus), "--out", str(out), "--quiet"]) == 0
    assert "nothing changed since the last run" in capsys.readouterr().out
    changed = sorted(corpus.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nChina and Russia met again.\n", encoding="utf-8")
    assert preprocess.main([str(corpus), "--out", str(out), "--quiet"]) == 0
    assert "parsed: 1, reused from cache: 3" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        preprocess.main([str(corpus), "--out", str(out), "--n-process", "0"])


# The command as a user runs it, and as it runs when its process has another thread (workers
# spawned, not forked: they must find their tasks although the module runs as `__main__`).
COMMANDS = {
    "forked": ["-m", "lib.preprocess"],
    "spawned": ["-c", "import runpy, threading; threading.Thread(target=threading.Event().wait, daemon=True).start(); "
                "runpy.run_module('lib.preprocess', run_name='__main__', alter_sys=True)"],
}


@pytest.mark.parametrize("started", COMMANDS)
def test_module_command_with_two_processes(corpus, tmp_path, started):
    """`python -m lib.preprocess --n-process 2` gives the tables of one process."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, *COMMANDS[started], str(corpus), "--out", str(out), "--quiet", "--n-process", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "parsed: 4" in result.stdout
    one, _ = preprocess.process(corpus, progress=False, n_process=1)
    assert_same_tables(one, read_tables(out))


@pytest.mark.parametrize("size", [1, 3, 8, 257])
def test_chunks_cover_every_article_in_order(size):
    items = list(range(size))
    for workers in (1, 2, 8):
        chunks = list(preprocess.chunked(items, preprocess.chunk_size_for(size, workers)))
        assert [i for chunk in chunks for i in chunk] == items
        assert workers == 1 or len(chunks) >= min(size, workers)


def test_worker_processes_do_not_rerun_the_callers_main_script(tmp_path, foreign_main):
    """A Streamlit page or notebook as `__main__` must not be executed again by each worker."""
    import sys

    src = tmp_path / "src"
    write_articles(src, 2, paragraphs=2)
    tables, _ = preprocess.process(src, progress=False, n_process=2)
    assert len(tables["articles"]) == 2
    assert sys.modules["__main__"] is foreign_main


def test_reassembly_from_the_last_run_keeps_a_fresh_runs_rows_and_order(corpus, tmp_path, parsed):
    out = tmp_path / "out"
    preprocess.run(corpus, out, progress=False)
    assert (out / CACHE_FOLDER / assembled.FOLDER / assembled.INDEX).exists()
    parsed.clear()
    (corpus / "art0015.txt").write_text("Putin met Xi Jinping in Beijing on Tuesday.\n", encoding="utf-8")
    (corpus / "art003.txt").unlink()
    with open(corpus / "art000.txt", "a", encoding="utf-8") as handle:
        handle.write("Trade between China and Russia rose 26% in 2023, customs data showed.\n")
    write_sources(corpus)
    preprocess.run(corpus, out, progress=False)
    assert sorted(parsed) == ["art000", "art0015"]
    fresh, _ = preprocess.process(corpus, progress=False)
    written = read_tables(out)
    for name, frame in fresh.items():  # same rows in the same order, not merely the same set
        pd.testing.assert_frame_equal(written[name], conform(frame, name), obj=name)


def test_a_damaged_snapshot_is_ignored(corpus, tmp_path):
    out = tmp_path / "out"
    preprocess.run(corpus, out, progress=False)
    (out / CACHE_FOLDER / assembled.FOLDER / "actors.parquet").write_bytes(b"not parquet")
    write_articles(corpus, 1, first=4)
    preprocess.run(corpus, out, progress=False)
    fresh, _ = preprocess.process(corpus, progress=False)
    assert_same_tables(read_tables(out), fresh)


def _dates(article_ids: list[str], starts: list[int]) -> pd.DataFrame:
    return conform(pd.DataFrame({"article_id": article_ids, "start": starts, "value": ["2024"] * len(starts)}), "dates")


def test_passive_rows_join_the_snapshot_in_article_order():
    old = pa.Table.from_pandas(_dates(["b", "b", "c"], [5, 1, 0]), preserve_index=False)
    joined = preprocess._joined("dates", old, [_dates(["a"], [3])], pa.array(["a", "b", "c"]), reorder=True)
    assert joined["article_id"].tolist() == ["a", "b", "b", "c"]
    assert joined["start"].tolist() == [3, 5, 1, 0]  # each article keeps its own row order
    pd.testing.assert_frame_equal(joined, conform(joined, "dates"))  # a contract frame


def test_a_snapshot_without_a_newer_column_gives_every_row():
    old = pa.Table.from_pandas(_dates(["b"], [5]).drop(columns="anchor"), preserve_index=False)
    new = _dates(["a"], [3]).assign(anchor="published")
    joined = preprocess._joined("dates", old, [new], pa.array(["a", "b"]), reorder=True)
    assert list(joined.columns) == list(conform(pd.DataFrame(), "dates").columns)
    assert joined["article_id"].tolist() == ["a", "b"]
    assert joined["anchor"].tolist() == ["published", None]


def test_a_rerun_copies_the_tables_the_cross_article_steps_leave_alone(corpus, tmp_path):
    out = tmp_path / "out"
    preprocess.run(corpus, out, progress=False)
    write_articles(corpus, 1, first=4)
    tables, _, stats = preprocess.process_corpus(corpus, progress=False, cache_dir=out / CACHE_FOLDER)
    assert set(stats["saved"]) == {"actors", "dates"}  # events, figures and quotes gained group columns
    for name, (table, path) in stats["saved"].items():
        assert table is tables[name]
        assert_same_tables({name: arrow_frame(read_arrow(path), name)}, {name: table})


def test_a_table_named_in_copies_is_copied_from_its_file(tmp_path):
    tables = read_tables(tmp_path)  # every table empty
    source = tmp_path / "actors_elsewhere.parquet"
    rows = conform(pd.DataFrame({"article_id": ["a"], "actor": ["Xi Jinping"], "start": [0], "end": [2]}), "actors")
    rows.to_parquet(source, index=False)
    write_tables(tables, tmp_path / "out", {}, copies={"actors": source})
    assert (tmp_path / "out" / "actors.parquet").read_bytes() == source.read_bytes()
    assert read_tables(tmp_path / "out")["actors"]["actor"].tolist() == ["Xi Jinping"]


def _rows_of(tables: dict[str, pd.DataFrame], article_id: str) -> dict[str, pd.DataFrame]:
    """The per-article rows of one article, without its id and the cross-article columns."""
    rows = {}
    for name in ("actors", "dates", "figures", "quotes", "events"):
        table = tables[name].drop(columns=[c for c in ("fact_id", "conflict", "quote_group", "similarity", "event_id")
                                           if c in tables[name].columns])
        rows[name] = table[table["article_id"] == article_id].drop(columns="article_id").reset_index(drop=True)
    return rows


def test_an_identical_copy_reuses_its_twins_rows_in_every_run(corpus, tmp_path, parsed):
    shutil.copy(corpus / "art001.txt", corpus / "copy_of_art001.txt")
    write_sources(corpus)  # the copy has its own row, with the same date
    out = tmp_path / "out"
    first = preprocess.run(corpus, out, progress=False)
    assert sorted(parsed) == ["art000", "art001", "art002", "art003"]
    assert first["cache"] == {"parsed": 4, "reused": 1, "pruned": 0}
    tables = read_tables(out)
    articles = tables["articles"].set_index("article_id")
    assert articles.loc["copy_of_art001", "copy_of"] == "art001" and articles.loc["copy_of_art001", "outlet"]
    twin, copy = _rows_of(tables, "art001"), _rows_of(tables, "copy_of_art001")
    assert len(twin["actors"])
    for name in twin:
        pd.testing.assert_frame_equal(twin[name], copy[name], obj=name)
    parsed.clear()
    assert preprocess.run(corpus, out, progress=False)["up_to_date"]
    write_articles(corpus, 1, first=4)
    again = preprocess.run(corpus, out, progress=False)
    assert parsed == ["art004"] and again["cache"] == {"parsed": 1, "reused": 5, "pruned": 0}
    assert_same_tables({n: t for n, t in read_tables(out).items()}, preprocess.process(corpus, progress=False)[0])
    (corpus / "art001.txt").unlink()  # the twin goes: the copy keeps its rows and is a first copy now
    write_sources(corpus)
    parsed.clear()
    preprocess.run(corpus, out, progress=False)
    assert parsed == []
    tables = read_tables(out)
    assert tables["articles"].set_index("article_id")["copy_of"].isna().all()
    for name, rows in _rows_of(tables, "copy_of_art001").items():
        pd.testing.assert_frame_equal(rows, copy[name], obj=name)


def test_a_copy_with_another_date_is_parsed_with_its_own_date(corpus, tmp_path, parsed):
    shutil.copy(corpus / "art001.txt", corpus / "copy_of_art001.txt")
    write_sources(corpus, {"copy_of_art001.txt": "2023-01-02"})
    tables, _ = preprocess.process(corpus, progress=False)
    assert sorted(parsed) == ["art000", "art001", "art002", "art003", "copy_of_art001"]
    articles = tables["articles"].set_index("article_id")
    assert articles.loc["copy_of_art001", "copy_of"] == "art001"
    assert articles.loc["copy_of_art001", "published"] == "2023-01-02"

"""The standby parser process: the same rows as parsing here, clear errors, prompt stopping."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lib.contract.tableio import read_tables
from lib.extract import article
from lib.run import preprocess, standby
from lib.run.cache import CACHE_FOLDER
from tests.conftest import ROOT

from .test_preprocess import assert_same_tables, write_articles

ARTICLES = [
    {"article_id": "one", "file": "one.txt", "published": "2024-05-16",
     "text": "Putin met Xi Jinping in Beijing on 16 May 2024. Trade reached $240 billion in 2023."},
    {"article_id": "two", "file": "two.txt", "published": None,
     "text": '"Our friendship has no limits," Xi said on Tuesday.'},
]


def rows(results: list[dict]) -> str:
    """Extraction results comparable as a whole (NaN equals NaN in JSON text)."""
    return json.dumps(results, sort_keys=True)


def test_parses_a_chunk_as_this_process_does():
    with standby.StandbyParser() as parser:
        assert rows(parser.extract(ARTICLES)) == rows(article.extract_chunk_here(ARTICLES))
        assert rows(parser.extract(ARTICLES[1:], batch_size=1)) == rows(article.extract_chunk_here(ARTICLES[1:]))


def test_a_failure_in_the_process_is_raised_here_with_its_reason():
    with standby.StandbyParser() as parser, pytest.raises(RuntimeError, match="the parser process failed: "):
        parser.extract([{**ARTICLES[0], "text": None}])


def test_a_process_that_died_is_reported_not_waited_for():
    with standby.StandbyParser() as parser:
        os.kill(parser._process.pid, signal.SIGKILL)
        with pytest.raises(RuntimeError, match="ended unexpectedly"):
            parser.extract(ARTICLES)


def test_closing_it_unused_stops_it_while_the_model_loads():
    parser = standby.StandbyParser()
    began = time.perf_counter()
    parser.close()
    assert not parser.running
    assert time.perf_counter() - began < standby.STOP_SECONDS


def test_a_rerun_parses_new_articles_in_it_and_writes_the_same_tables(tmp_path, monkeypatch):
    monkeypatch.setattr(standby, "available", lambda: True)
    src, out = tmp_path / "src", tmp_path / "out"
    write_articles(src, 3)
    preprocess.run(src, out, progress=False)
    write_articles(src, 2, first=3)
    tables, _, stats = preprocess.process_corpus(src, progress=False, cache_dir=out / CACHE_FOLDER)
    assert stats["standby"] and stats["parsed"] == 2 and stats["reused"] == 3
    fresh, _ = preprocess.process(src, progress=False)
    assert_same_tables(tables, fresh)
    preprocess.run(src, out, progress=False)
    assert_same_tables(read_tables(out), fresh)


def test_no_standby_without_a_last_run_or_with_worker_processes(tmp_path, monkeypatch):
    monkeypatch.setattr(standby, "available", lambda: True)
    src = tmp_path / "src"
    write_articles(src, 2)
    _, _, first = preprocess.process_corpus(src, progress=False, cache_dir=tmp_path / "cache")
    assert not first["standby"] and first["parsed"] == 2  # nothing to read while the model loads
    write_articles(src, 1, first=2)
    _, _, two = preprocess.process_corpus(src, progress=False, cache_dir=tmp_path / "cache", n_process=2)
    assert not two["standby"] and two["parsed"] == 1


def test_run_starts_it_before_checking_the_inputs_and_stops_it_unused_when_nothing_changed(tmp_path, monkeypatch):
    """`run` forks the parser first (its model loads while the inputs are checked); an
    up-to-date corpus stops it unused, and no process is left behind either way."""
    monkeypatch.setattr(standby, "available", lambda: True)
    started = []
    monkeypatch.setattr(preprocess, "StandbyParser", lambda: started.append(standby.StandbyParser()) or started[-1])
    src, out = tmp_path / "src", tmp_path / "out"
    write_articles(src, 2)
    preprocess.run(src, out, progress=False)
    assert not started  # a first run has no last run's tables to read meanwhile
    write_articles(src, 1, first=2)
    assert preprocess.run(src, out, progress=False)["cache"]["parsed"] == 1
    assert preprocess.run(src, out, progress=False)["up_to_date"]
    assert len(started) == 2
    assert not any(parser.running for parser in started)


def test_closing_twice_does_nothing_more():
    parser = standby.StandbyParser()
    parser.close()
    parser.close()
    assert not parser.running


def ended(pid: int) -> bool:
    """Whether process `pid` is gone or a zombie (its parent died: nobody may reap it here)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except OSError:
        return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_it_ends_when_the_run_is_killed():
    """A run killed outright (SIGKILL: no clean-up of its own) leaves no parser behind."""
    code = ("import time\nfrom lib.run.standby import StandbyParser\n"
            "parser = StandbyParser()\nprint(parser.pid, flush=True)\ntime.sleep(120)\n")
    run = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    pid = int(run.stdout.readline())
    run.kill()
    run.wait()
    deadline = time.monotonic() + 90  # the model loads first, then the closed pipe ends it
    while not ended(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ended(pid)

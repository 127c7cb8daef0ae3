"""The benchmark's switches (`lib.simpler`): a run without a piece of the machinery writes the
same tables as a run with it, so what `benchmarks.bench_machinery` measures is speed alone."""

from __future__ import annotations

import shutil

import pytest

from lib.contract.tableio import read_tables
from lib.run import preprocess, standby
from lib.simpler import PIECES, VARIABLE, simpler

from .test_preprocess import assert_same_tables, write_articles


@pytest.mark.parametrize(("value", "piece", "expected"), [
    ("", "snapshot", False),
    ("snapshot", "snapshot", True),
    ("tagmap,snapshot", "snapshot", True),
    ("tagmap,snapshots", "snapshot", False),  # whole names only
])
def test_a_piece_is_replaced_only_when_named(monkeypatch, value, piece, expected):
    monkeypatch.setenv(VARIABLE, value)
    assert simpler(piece) is expected


@pytest.mark.parametrize("piece", ["snapshot", "filesmemo", "grouping", "wordscan"])
def test_a_rerun_without_a_piece_writes_the_same_tables(tmp_path, monkeypatch, piece):
    assert piece in PIECES
    monkeypatch.setattr(standby, "available", lambda: False)  # parsed here: the switch is this process's
    src = tmp_path / "src"
    write_articles(src, 3)
    with_piece, without = tmp_path / "with", tmp_path / "without"
    preprocess.run(src, with_piece, progress=False)
    shutil.copytree(with_piece, without)
    write_articles(src, 1, first=3)  # a re-run that adds an article uses every piece
    preprocess.run(src, with_piece, progress=False)
    monkeypatch.setenv(VARIABLE, piece)
    preprocess.run(src, without, progress=False)
    assert_same_tables(read_tables(with_piece), read_tables(without))
    assert len(read_tables(without)["articles"]) == 4

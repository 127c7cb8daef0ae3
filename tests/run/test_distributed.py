"""Preprocessing on a Dask cluster: the same tables as a single-process run."""

from __future__ import annotations

import pytest

from lib.contract.tableio import read_tables
from lib.run import preprocess
from lib.run.spawning import bare_main

from .test_preprocess import assert_same_tables, write_articles

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with bare_main():  # an earlier page test may have left its script as __main__
        local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    with local:
        yield local


def test_cluster_run_writes_the_same_tables_as_one_process(cluster, tmp_path):
    src = tmp_path / "src"
    write_articles(src, 6)
    alone, problems_alone = preprocess.process(src, progress=False)
    manifest = preprocess.run(src, tmp_path / "out", progress=False, scheduler=cluster.scheduler_address)
    assert manifest["cache"]["parsed"] == 6
    assert [str(p) for p in problems_alone] == manifest["problems"]
    assert_same_tables(alone, read_tables(tmp_path / "out"))


def test_each_worker_loads_the_model_once(cluster, tmp_path):
    src = tmp_path / "src"
    write_articles(src, 4)
    preprocess.process(src, progress=False, scheduler=cluster.scheduler_address)
    with distributed.Client(cluster) as client:
        loaded = client.run(lambda: __import__("lib.extract.article", fromlist=["_PIPELINE"])._PIPELINE is not None)
        first = client.run(lambda: id(__import__("lib.extract.article", fromlist=["_PIPELINE"])._PIPELINE))
        preprocess.process(src, progress=False, scheduler=cluster.scheduler_address, cache_dir=None)
        again = client.run(lambda: id(__import__("lib.extract.article", fromlist=["_PIPELINE"])._PIPELINE))
    assert any(loaded.values())
    assert all(again[worker] == first[worker] for worker, has_model in loaded.items() if has_model)


def test_missing_dask_is_explained(monkeypatch):
    import builtins

    from lib.run import distributed as lib_distributed

    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed":
            raise ImportError("no distributed")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    with pytest.raises(RuntimeError, match=r"\[dask\]"), lib_distributed.connect("local"):
        pass


def test_a_local_cluster_does_not_rerun_the_callers_main_script(foreign_main):
    """`--scheduler` alone from a Streamlit page or notebook: its workers must start without it."""
    import sys

    from lib.run import distributed as lib_distributed

    with lib_distributed.connect(lib_distributed.LOCAL, n_workers=1) as client:
        assert client.submit(sum, [1, 2]).result() == 3
    assert sys.modules["__main__"] is foreign_main

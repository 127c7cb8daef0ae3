"""Preprocessing on a Dask cluster: the same tables as a single-process run."""

from __future__ import annotations

import pytest

from lib.contract.tableio import read_tables
from lib.run import preprocess
from lib.run.spawning import bare_main
from tests.conftest import SEEDS

from .test_preprocess import assert_same_tables, write_articles, write_sources

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


# --- workers read and write (`lib.run.cluster`) ------------------------------------------------------


@pytest.fixture(scope="module")
def threads():
    """A small in-process cluster (two single-threaded workers): an fsspec memory:// source is
    visible to its workers."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as local, \
            distributed.Client(local) as client:
        yield client


def at_scale(client, src, out, **options):
    from lib.run.cluster import run_at_scale

    return run_at_scale(str(src), out, client, **options)


def test_workers_reading_their_shards_write_the_seeds_tables_of_a_plain_run(threads, seed_tables, tmp_path):
    manifest = at_scale(threads, SEEDS, tmp_path / "out", shard_articles=2)
    assert manifest["rows"]["articles"] == 5 and manifest["problems"] == []
    assert_same_tables(read_tables(seed_tables), read_tables(tmp_path / "out"))
    assert not list((tmp_path / "out").glob(".cluster-parts-*"))  # the parts are gone once published


def test_a_synthetic_corpus_gives_the_same_ids_blocked_as_in_one_process(threads, tmp_path):
    src = tmp_path / "src"
    write_articles(src, 9, paragraphs=5)
    write_sources(src, {"art001.txt": "2023-03-02", "art004.txt": "2022-11-30", "art007.txt": ""})
    (src / "art008.txt").write_bytes((src / "art002.txt").read_bytes())  # a copy of another article
    (src / "notes.txt").write_bytes(b"\x00\x01binary")  # unreadable: reported, not fatal
    plain = preprocess.run(src, tmp_path / "plain", progress=False)
    manifest = at_scale(threads, src, tmp_path / "out", shard_articles=3)
    assert manifest["problems"] == plain["problems"]
    ours, theirs = read_tables(tmp_path / "out"), read_tables(tmp_path / "plain")
    assert ours["articles"].set_index("article_id").loc["art008", "copy_of"] == "art002"
    assert ours["events"]["event_id"].nunique() < len(ours["events"])  # some events link across articles
    assert_same_tables(theirs, ours)
    assert manifest["data_version"] == plain["data_version"]


def test_any_fsspec_location_is_a_source(threads, tmp_path):
    fsspec = pytest.importorskip("fsspec")
    memory = fsspec.filesystem("memory")
    for path in sorted(SEEDS.iterdir()):
        memory.pipe(f"/seeds-test/{path.name}", path.read_bytes())
    try:
        at_scale(threads, "memory://seeds-test", tmp_path / "remote")
        at_scale(threads, SEEDS, tmp_path / "local")
    finally:
        memory.rm("/seeds-test", recursive=True)
    assert_same_tables(read_tables(tmp_path / "local"), read_tables(tmp_path / "remote"))


def test_partitioned_cluster_tables_equal_the_single_files(threads, seed_tables, tmp_path):
    at_scale(threads, SEEDS, tmp_path / "out", partition_by="year")
    assert (tmp_path / "out" / "events" / "published_year=2024").is_dir()
    assert_same_tables(read_tables(seed_tables), read_tables(tmp_path / "out"))


def test_the_command_line_runs_at_scale_on_a_scheduler(threads, seed_tables, tmp_path, capsys):
    address = threads.scheduler.address
    out = tmp_path / "out"
    assert preprocess.main([str(SEEDS), "--out", str(out), "--quiet", "--scheduler", address, "--at-scale",
                            "--partition-by", "year"]) == 0
    assert "articles read: 5" in capsys.readouterr().out
    assert (out / "quotes").is_dir()
    assert_same_tables(read_tables(seed_tables), read_tables(out))


def test_at_scale_needs_a_scheduler(tmp_path, capsys):
    with pytest.raises(SystemExit):
        preprocess.main([str(SEEDS), "--out", str(tmp_path / "out"), "--at-scale"])
    assert "--at-scale needs --scheduler" in capsys.readouterr().err

"""Parsing on a Dask cluster (the optional `[dask]` extra).

Chunks of articles are sent to the workers; each worker loads the pipeline once
(`lib.extract.article.shared_pipeline`, one per worker process), parses and extracts its chunks and
sends back plain column lists. The client gathers them in order, caches them and runs the cross-article
steps itself, so the tables written are the same as those of a single-process run.

`scheduler` is the address of a running scheduler ("tcp://host:8786"), or "local" to start a
`LocalCluster` of worker processes on this machine for the length of the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from lib.run.spawning import bare_main

LOCAL = "local"


def _distributed():
    try:
        import distributed
    except ImportError as error:
        raise RuntimeError(
            "running on a Dask cluster needs the dask extra: pip install 'china-russia-ties-dashboard[dask]'"
        ) from error
    return distributed


@contextmanager
def connect(scheduler: str, n_workers: int | None = None) -> Iterator:
    """A Dask client for `scheduler`; with "local", on a LocalCluster of single-threaded worker
    processes (`n_workers`, default: one per core) that is closed afterwards."""
    distributed = _distributed()
    if scheduler == LOCAL:
        with bare_main():  # the workers are started with the cluster
            cluster = distributed.LocalCluster(
                n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            )
        try:
            with distributed.Client(cluster) as client:
                yield client
        finally:
            cluster.close()
    else:
        with distributed.Client(scheduler) as client:
            yield client


def extract_with_client(client, chunks: list[list[dict]], batch_size: int) -> Iterator[list[dict]]:
    """The results of each chunk (a list of articles), in order, computed on `client`'s workers."""
    from lib.extract.article import extract_chunk_here

    futures = client.map(extract_chunk_here, chunks, batch_size=batch_size, pure=False)
    for index, future in enumerate(futures):
        yield future.result()
        futures[index] = None  # let the worker forget the rows once we have them
        future.release()


def extract_on_cluster(
    chunks: list[list[dict]], scheduler: str, batch_size: int, n_workers: int | None = None
) -> Iterator[list[dict]]:
    """`extract_with_client` on a client connected to `scheduler` for the length of the run
    (`n_workers` sizes a "local" cluster)."""
    with connect(scheduler, n_workers) as client:
        yield from extract_with_client(client, chunks, batch_size)

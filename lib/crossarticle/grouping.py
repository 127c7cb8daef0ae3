"""Rows gathered into groups with array operations, for the cross-article steps.

Linking events and aligning quotes and figures label every row of a large corpus with its group,
then list each group's members in article order. Doing that row by row in Python costs more than
the comparing itself, which runs once per distinct report, statement or figure. `distinct_rows`
finds those distinct ones; `GroupedRows` sorts the rows once (numpy), so each group's members are
one slice of a column in that order; `components` joins linked items.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.simpler import simpler


def distinct_rows(columns: list[pa.Array | pa.ChunkedArray]) -> tuple[np.ndarray, np.ndarray]:
    """(each row's group, each group's first row) for the distinct combinations of values in
    `columns`, groups numbered by their first row (a missing value is a value like any other).
    Dictionary codes combined in numpy: Arrow's own `group_by` needs Acero, which is slow to
    import in every process."""
    if simpler("grouping"):
        frame = pd.DataFrame({i: pd.Series(column.to_pylist(), dtype=object) for i, column in enumerate(columns)})
        labels = frame.groupby(list(frame.columns), sort=False, dropna=False).ngroup().to_numpy(np.int64)
        return labels, np.flatnonzero(~frame.duplicated(keep="first"))
    size = len(columns[0])
    key = np.zeros(size, dtype=np.int64)
    for column in columns:
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        encoded = pc.dictionary_encode(column, null_encoding="encode")
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        _, key = np.unique(key * len(encoded.dictionary) + codes, return_inverse=True)  # dense again
        key = key.ravel()
    distinct, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(distinct))
    return rank[inverse.ravel()], np.sort(first)


def article_order(article_ids: pa.Array, starts: pa.Array) -> np.ndarray:
    """Row positions sorted by (article_id, start), ties in row order (a stable sort; Arrow
    orders strings by code point, as Python does)."""
    keys = pa.table({"article_id": article_ids, "start": starts})
    return pc.sort_indices(keys, sort_keys=[("article_id", "ascending"), ("start", "ascending")]).to_numpy()


def member_keys(article_ids: pa.Array, starts: pa.Array) -> pa.Array:
    """How groups list their members: "article_id:start" for each row."""
    return pc.binary_join_element_wise(article_ids, pc.cast(starts, pa.string()), ":")


def components(size: int, pairs: Iterable[tuple[int, int]]) -> np.ndarray:
    """The connected component (a member's index) of each of `size` items joined by `pairs`."""
    parent = list(range(size))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        root_i, root_j = find(i), find(j)
        if root_i != root_j:
            parent[root_j] = root_i
    return np.fromiter((find(i) for i in range(size)), dtype=np.int64, count=size)


def group_id(prefix: str, keys: list[str]) -> str:
    """A group's id: `prefix` and a hash of its members' keys, whatever their order."""
    return prefix + hashlib.sha1("|".join(sorted(keys)).encode("utf-8")).hexdigest()[:10]


class GroupedRows:
    """The rows of a table gathered by their integer `labels`.

    Groups are ranked by the first appearance of their label in `first_in` (row positions;
    `order` by default); inside a group, rows follow `order`. `rows` lists every row, group
    after group, and `slices()` gives each group's (begin, end) in it."""

    def __init__(self, labels: np.ndarray, order: np.ndarray, first_in: np.ndarray | None = None) -> None:
        labels = np.asarray(labels, dtype=np.int64)
        sequence = order if first_in is None else first_in
        if simpler("grouping"):
            self._with_pandas(labels, order, sequence)
            return
        distinct, first, inverse = np.unique(labels[sequence], return_index=True, return_inverse=True)
        rank_of_distinct = np.empty(len(distinct), dtype=np.int64)
        rank_of_distinct[np.argsort(first, kind="stable")] = np.arange(len(distinct))
        self.rank = np.empty(len(labels), dtype=np.int64)  # each row's group, by rank
        self.rank[sequence] = rank_of_distinct[inverse.ravel()]
        self.rows = order[np.argsort(self.rank[order], kind="stable")]
        ranks = self.rank[self.rows]
        self.bounds = np.concatenate([[0], np.flatnonzero(np.diff(ranks)) + 1, [len(ranks)]]).tolist()

    def _with_pandas(self, labels: np.ndarray, order: np.ndarray, sequence: np.ndarray) -> None:
        """The same groups with pandas: `factorize` ranks labels by first appearance, `groupby`
        lists each group's rows."""
        codes, _ = pd.factorize(labels[sequence])
        self.rank = np.empty(len(labels), dtype=np.int64)
        self.rank[sequence] = codes
        members = pd.Series(order).groupby(self.rank[order], sort=True).indices
        self.rows = np.concatenate([order[members[g]] for g in sorted(members)]) if len(order) else order
        self.bounds = np.concatenate([[0], np.cumsum([len(members[g]) for g in sorted(members)])]).astype(int).tolist()

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def slices(self) -> Iterator[tuple[int, int]]:
        """Each group's (begin, end) in `rows`, by rank."""
        return zip(self.bounds[:-1], self.bounds[1:])

    def first_rows(self) -> np.ndarray:
        """Each group's first row (in `order`), by rank."""
        return self.rows[np.asarray(self.bounds[:-1], dtype=np.int64)]

    def ids(self, prefix: str, keys: list[str]) -> list[str]:
        """Each group's `group_id` from `keys`, the member keys listed in `rows` order."""
        return [group_id(prefix, keys[begin:end]) for begin, end in self.slices()]

"""Linking across articles: reports of one event in several articles share an `event_id`.

Two reports link when they come from different articles, have compatible dates, share actors
and either name mostly the same actors (for dates of a month or less) or read alike. Settings
live in the "link" section of `lib/data/events_rules.json`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from lib.dates import interval
from lib.events import hash_id, settings
from lib.grouping import GroupedRows, article_order, distinct_rows, member_keys
from lib.tableio import Table, column_array, conformed, with_columns


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Same date value, or two `START/END` ranges that overlap."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    if a == b:
        return True
    if "/" not in a or "/" not in b:
        return False
    ia, ib = interval(a), interval(b)
    return ia is not None and ib is not None and ia[0] <= ib[1] and ib[0] <= ia[1]


@lru_cache(maxsize=1 << 16)
def _content(text: str) -> str:
    return " ".join(w for w in re.findall(r"\w+", str(text).lower()) if w not in STOP_WORDS)


def same_event(a: Mapping, b: Mapping) -> bool:
    """Two reports of one event: different articles, compatible dates, shared actors, and either
    mostly the same actors (for dates of a month or less) or similar wording."""
    conf = settings()["link"]
    if a["article_id"] == b["article_id"] or not dates_compatible(a["date"], b["date"]):
        return False
    shared, union = set(a["actors"]) & set(b["actors"]), set(a["actors"]) | set(b["actors"])
    if len(shared) < conf["min_shared_actors"]:
        return False
    similarity = fuzz.token_set_ratio(_content(a["summary"]), _content(b["summary"]))
    if similarity >= conf["min_similarity"]:
        return True
    span = interval(a["date"])
    specific = span is not None and (span[1] - span[0]).days <= conf["specific_days"]
    return specific and len(shared) / len(union) >= conf["min_actor_jaccard"]


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _date_candidates(dates: list[object], order: list[int]) -> dict[int, list[int]]:
    """For each event, the later events (in `order`) whose date can be compatible with its own:
    the same value, or any other range when it is a range. Other pairs never link."""
    by_value: dict[object, list[int]] = {}
    ranges: list[int] = []
    for i in order:
        by_value.setdefault(dates[i], []).append(i)
        if isinstance(dates[i], str) and "/" in dates[i]:
            ranges.append(i)
    position = {i: x for x, i in enumerate(order)}
    later: dict[int, list[int]] = {}
    for i in order:
        pool = ranges if isinstance(dates[i], str) and "/" in dates[i] else by_value.get(dates[i], [])
        later[i] = [j for j in pool if position[j] > position[i]]
    return later


def link_events(events: Table) -> Table:
    """Give reports of the same event in different articles a shared `event_id` ("ev-" + hash of
    its members); every other event gets its own. Deterministic whatever the row order. A frame
    comes back as a frame, an Arrow table as Arrow (only its `event_id` column replaced).

    Events are compared once per distinct report (date, actors, summary), since wire copy
    repeats them word for word, and only reports with compatible dates are compared
    (blocking), so the cost grows with the variety of reports per date, not with the square
    of all events. A cluster never holds two events of one article."""
    table = conformed(events, "events")
    if not len(table):
        return table
    positions = pa.table({"article_id": column_array(table, "events", "article_id"),
                          "start": column_array(table, "events", "start")})
    article_of = positions["article_id"].to_pylist()
    order = article_order(positions["article_id"], positions["start"])
    rows_of, reports = _distinct_reports(table, order)
    parent = list(range(len(table)))
    articles: dict[int, set[str]] = {}  # per cluster root that has members: their articles

    def merge(i: int, j: int) -> None:
        ri, rj = _find(parent, i), _find(parent, j)
        if ri == rj:
            return
        mine, theirs = articles.setdefault(ri, {article_of[ri]}), articles.get(rj, {article_of[rj]})
        if mine.isdisjoint(theirs):
            parent[rj] = ri
            mine |= theirs
            articles.pop(rj, None)

    def record(report: int, article: str | None) -> dict:
        return {"article_id": article, **dict(zip(("date", "actors", "summary"), reports[report]))}

    firsts = [rows[0] for rows in rows_of]
    example = [record(k, None) for k in range(len(reports))]  # each distinct report, of no article
    for k, rows in enumerate(rows_of):  # repeats of a report: joined directly
        if len(rows) > 1 and same_event(example[k], record(k, article_of[rows[0]])):
            _join_repeats(rows, article_of, parent, articles)
    candidates = _date_candidates([r["date"] for r in example], list(range(len(example))))
    for a, later in candidates.items():
        for b in later:
            if same_event(example[a], record(b, article_of[firsts[b]])):
                merge(firsts[a], firsts[b])
    clusters = GroupedRows(_roots(parent), order)  # each cluster's rows in (article_id, start) order
    keys = member_keys(positions["article_id"], positions["start"]).take(clusters.rows).to_pylist()
    ids = [hash_id(*keys[begin:end]) for begin, end in clusters.slices()]
    return with_columns(table, "events", {"event_id": np.array(ids, dtype=object)[clusters.rank]})


def _distinct_reports(table: Table, order: np.ndarray) -> tuple[list[list[int]], list[tuple]]:
    """Each distinct report — what `same_event` reads of an event bar its article: (date, actors
    as a sorted tuple, summary) — with its rows in `order`, the reports in the order of their
    first rows there. Grouped with arrays: wire copy makes most of a corpus's events repeats."""
    actors = _sorted_lists(column_array(table, "events", "actors"))
    dates, summaries = column_array(table, "events", "date"), column_array(table, "events", "summary")
    report_of, _ = distinct_rows([dates, pc.binary_join(actors, "\x1f"), summaries])
    reports = GroupedRows(report_of, order)
    rows_of = [reports.rows[begin:end].tolist() for begin, end in reports.slices()]
    firsts = pa.array(reports.first_rows())
    columns = (dates.take(firsts).to_pylist(), actors.take(firsts).to_pylist(), summaries.take(firsts).to_pylist())
    return rows_of, [(date, tuple(names), summary) for date, names, summary in zip(*columns)]


def _sorted_lists(lists: pa.ListArray) -> pa.ListArray:
    """Each list with its items sorted (as Python's `sorted` orders strings: by code point)."""
    lengths = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False)
    offsets = pa.array(np.concatenate([[0], np.cumsum(lengths)]), pa.int32())
    items = pa.table({"row": pc.list_parent_indices(lists), "item": pc.list_flatten(lists)})
    ranked = pc.sort_indices(items, sort_keys=[("row", "ascending"), ("item", "ascending")])
    return pa.ListArray.from_arrays(offsets, items["item"].take(ranked).combine_chunks())


def _join_repeats(rows: list[int], article_of: list[str], parent: list[int], articles: dict[int, set[str]]) -> None:
    """Join the rows of one report, still each alone, to its first row's cluster: the first row
    of each article does; a second row of an article already in it stays alone (what merging them
    one by one gives, without a union-find step per row)."""
    first = rows[0]
    seen = articles.setdefault(first, {article_of[first]})
    for j in rows[1:]:
        if article_of[j] not in seen:
            seen.add(article_of[j])
            parent[j] = first


def _roots(parent: list[int]) -> np.ndarray:
    """The cluster root of every item of a union-find `parent` list (by pointer jumping)."""
    jumps = np.asarray(parent, dtype=np.int64)
    while True:
        further = jumps[jumps]
        if np.array_equal(further, jumps):
            return jumps
        jumps = further

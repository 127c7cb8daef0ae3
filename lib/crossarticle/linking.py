"""Linking across articles: reports of one event in several articles share an `event_id`.

Two reports link when they come from different articles, have compatible dates, share actors
and either name mostly the same actors (for dates of a month or less) or read alike. Settings
live in the "link" section of `lib/data/events_rules.json`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from lib.contract.periods import interval
from lib.contract.schema import conform
from lib.contract.tableio import column_array, with_columns
from lib.crossarticle.grouping import GroupedRows, article_order, distinct_rows, member_keys
from lib.extract.events import hash_id, settings


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


def _date_pairs(dates: list[object]) -> Iterator[tuple[int, int]]:
    """The pairs (i, j), i < j, of items whose dates can be compatible: the same value, or two
    ranges. Other pairs never link. In order of i, then j; each item's partners are found by
    bisection in the sorted list of its kind, so the cost grows with the pairs, not n²."""
    by_value: dict[object, list[int]] = {}
    ranges: list[int] = []
    for i, date in enumerate(dates):
        by_value.setdefault(date, []).append(i)
        if _is_range(date):
            ranges.append(i)
    overlapping = _overlapping_ranges([dates[i] for i in ranges])
    for i, date in enumerate(dates):
        if _is_range(date):
            position = bisect_right(ranges, i) - 1
            yield from ((i, ranges[k]) for k in overlapping(position))
            continue
        pool = by_value[date]
        for j in pool[bisect_right(pool, i):]:
            yield i, j


def _overlapping_ranges(values: list[str]):
    """A function giving, for the range at a position of `values`, the later positions whose
    ranges overlap it, in order (an unreadable range is compared with every later one, as
    `dates_compatible` then decides): ranges that cannot overlap are never paired."""
    spans = [interval(v) for v in values]
    known = np.array([s is not None for s in spans], dtype=bool)
    starts = np.array([s[0].toordinal() if s else 0 for s in spans], dtype=np.int64)
    ends = np.array([s[1].toordinal() if s else 0 for s in spans], dtype=np.int64)

    def later(position: int) -> list[int]:
        rest = np.arange(position + 1, len(values))
        if not known[position]:
            return rest.tolist()
        keep = ~known[rest] | ((starts[rest] <= ends[position]) & (ends[rest] >= starts[position]))
        return rest[keep].tolist()

    return later


def _is_range(date: object) -> bool:
    return isinstance(date, str) and "/" in date


def link_events(events: pd.DataFrame) -> pd.DataFrame:
    """Give reports of the same event in different articles a shared `event_id` ("ev-" + hash of
    its members); every other event gets its own. Deterministic whatever the row order.

    Events are compared once per distinct report (date, actors, summary), since wire copy
    repeats them word for word, and only reports with compatible dates are compared
    (blocking), so the cost grows with the variety of reports per date, not with the square
    of all events. A cluster never holds two events of one article."""
    table = conform(events, "events")
    if not len(table):
        return table
    article_ids, starts = column_array(table, "events", "article_id"), column_array(table, "events", "start")
    article_of = pc.dictionary_encode(article_ids).indices.to_numpy(zero_copy_only=False).astype(np.int64)
    order = article_order(article_ids, starts)
    reports, example = _distinct_reports(table, order)
    firsts, codes = reports.first_rows().tolist(), article_of.tolist()
    parent, articles = _joined_repeats(reports, article_of, [
        k for k, (begin, end) in enumerate(reports.slices())
        if end - begin > 1 and same_event(example[k], {**example[k], "article_id": codes[firsts[k]]})])

    def merge(i: int, j: int) -> None:
        ri, rj = _find(parent, i), _find(parent, j)
        if ri == rj:
            return
        mine, theirs = articles.setdefault(ri, {codes[ri]}), articles.get(rj, {codes[rj]})
        if mine.isdisjoint(theirs):
            parent[rj] = ri
            mine |= theirs
            articles.pop(rj, None)

    for a, b in _date_pairs([report["date"] for report in example]):
        if same_event(example[a], {**example[b], "article_id": codes[firsts[b]]}):
            merge(firsts[a], firsts[b])
    clusters = GroupedRows(_roots(parent), order)  # each cluster's rows in (article_id, start) order
    keys = member_keys(article_ids, starts).take(clusters.rows).to_pylist()
    ids = [hash_id(*keys[begin:end]) for begin, end in clusters.slices()]
    return with_columns(table, "events", {"event_id": np.array(ids, dtype=object)[clusters.rank]})


def _distinct_reports(table: pd.DataFrame, order: np.ndarray) -> tuple[GroupedRows, list[dict]]:
    """The rows gathered by distinct report — what `same_event` reads of an event bar its
    article: date, actors (sorted), summary — in `order`, reports ranked by their first rows
    there; and each report as a record of no article. Grouped with arrays: wire copy makes most
    of a corpus's events repeats."""
    actors = _sorted_lists(column_array(table, "events", "actors"))
    dates, summaries = column_array(table, "events", "date"), column_array(table, "events", "summary")
    report_of, _ = distinct_rows([dates, pc.binary_join(actors, "\x1f"), summaries])
    reports = GroupedRows(report_of, order)
    firsts = pa.array(reports.first_rows())
    columns = (dates.take(firsts).to_pylist(), actors.take(firsts).to_pylist(), summaries.take(firsts).to_pylist())
    return reports, [{"article_id": None, "date": date, "actors": tuple(names), "summary": summary}
                     for date, names, summary in zip(*columns)]


def _joined_repeats(reports: GroupedRows, article_of: np.ndarray, joining: list[int]
                    ) -> tuple[list[int], dict[int, set[int]]]:
    """The union-find `parent` list with the rows of each report in `joining` joined to its first
    row: the first row of each article does, a second row of an article stays alone (what merging
    them one by one in article order gives); and the articles of each joined cluster by its root."""
    parent = np.arange(len(article_of), dtype=np.int64)
    articles: dict[int, set[int]] = {}
    rows = reports.rows
    for k in joining:
        begin, end = reports.bounds[k], reports.bounds[k + 1]
        members, their_articles = rows[begin:end], article_of[rows[begin:end]]
        # a report's rows are in article order, so an article's rows are consecutive
        first_of_article = np.concatenate([[True], their_articles[1:] != their_articles[:-1]])
        parent[members[first_of_article]] = members[0]
        articles[int(members[0])] = set(their_articles[first_of_article].tolist())
    return parent.tolist(), articles


def _sorted_lists(lists: pa.ListArray) -> pa.ListArray:
    """Each list with its items sorted (as Python's `sorted` orders strings: by code point)."""
    lengths = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False)
    offsets = pa.array(np.concatenate([[0], np.cumsum(lengths)]), pa.int32())
    items = pa.table({"row": pc.list_parent_indices(lists), "item": pc.list_flatten(lists)})
    ranked = pc.sort_indices(items, sort_keys=[("row", "ascending"), ("item", "ascending")])
    return pa.ListArray.from_arrays(offsets, items["item"].take(ranked).combine_chunks())


def _roots(parent: list[int]) -> np.ndarray:
    """The cluster root of every item of a union-find `parent` list (by pointer jumping)."""
    jumps = np.asarray(parent, dtype=np.int64)
    while True:
        further = jumps[jumps]
        if np.array_equal(further, jumps):
            return jumps
        jumps = further

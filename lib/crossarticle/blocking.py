"""Blocks for the cross-article steps: sets of rows that can be linked or aligned on their own.

Linking events and aligning figures and quotes compare only candidates that can match. Each
rule below names, for one step, a block key such that no two rows with different keys are ever
compared; a block is then a whole number of components of the step's graph, and the step run on
each block alone gives the very ids of a run over every row (`link_events`, `align_figures` and
`align_quotes` hash each group's members, which all sit in one block).

* events: a date that is not a range links only to the same value, so by its year; all ranges
  (they overlap across years) form one block; events without a date never link.
* figures: facts and conflicts pair only figures of one metric family (`claim_key`), so by family.
  Conflicts of disjoint periods cross years: a year is not a block for figures.
* quotes: the same speaker within `statement_days`, or an unknown speaker with anyone within
  those days. Blocks are the connected components of that rule over the distinct
  (speaker, statement date) pairs, found without reading a wording.

`packed` gathers small blocks into bins of about a given number of rows (one task each).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence

from lib.contract.periods import interval
from lib.crossarticle.alignment import metric_family
from lib.crossarticle.grouping import components

NO_KEY = "none"
RANGES = "ranges"


def event_block(date: object) -> str:
    """The block of an event by its `date`: its year, RANGES for a range, NO_KEY without one."""
    if not isinstance(date, str) or not date:
        return NO_KEY
    return RANGES if "/" in date else date[:4]


def figure_block(metric: object) -> str:
    """The block of a figure by its `metric`: its family (`alignment.metric_family`), else NO_KEY."""
    return metric_family(metric) or NO_KEY


def quote_blocks(keys: Sequence[tuple[object, object]], days: int) -> list[int]:
    """A block number for each distinct (speaker, statement date) of `keys` (None: unknown):
    the component of the rule of `alignment._statement_candidates` (same or unknown speaker,
    at most `days` apart; an undated statement pairs with every date)."""
    speakers = [speaker if isinstance(speaker, str) and speaker else None for speaker, _ in keys]
    spans = [interval(date) if isinstance(date, str) else None for _, date in keys]
    days_of = [(span[0].toordinal(), span[1].toordinal()) if span else None for span in spans]
    roots = components(len(keys), _statement_pairs(speakers, days_of, days)).tolist()
    numbers: dict[int, int] = {}
    return [numbers.setdefault(root, len(numbers)) for root in roots]


def _statement_pairs(speakers: list[str | None], days_of: list[tuple[int, int] | None],
                     days: int) -> Iterator[tuple[int, int]]:
    """Enough pairs of the keys the statement rule can compare to join each of its components."""
    size = len(speakers)
    undated = [i for i in range(size) if days_of[i] is None]
    for i in undated:  # pairs with every key the speaker rule allows
        for j in range(size):
            if speakers[i] is None or speakers[j] is None or speakers[i] == speakers[j]:
                yield i, j
    dated = sorted((i for i in range(size) if days_of[i] is not None), key=lambda i: days_of[i])
    by_speaker: dict[str, list[int]] = {}
    for i in dated:
        if speakers[i] is not None:
            by_speaker.setdefault(speakers[i], []).append(i)
    for members in by_speaker.values():  # a sweep in start order: each joins the latest-ending before it
        latest = members[0]
        for i in members[1:]:
            if days_of[i][0] - days_of[latest][1] <= days:
                yield latest, i
            if days_of[i][1] > days_of[latest][1]:
                latest = i
    starts = [days_of[i][0] for i in dated]
    longest = max((days_of[i][1] - days_of[i][0] for i in dated), default=0)
    for u in (i for i in dated if speakers[i] is None):  # an unknown speaker pairs with anyone near
        low, high = days_of[u]
        begin, end = bisect_left(starts, low - days - longest), bisect_right(starts, high + days)
        for j in dated[begin:end]:
            if days_of[j][1] >= low - days:
                yield u, j


def packed(sizes: dict[object, int], target: int) -> list[list[object]]:
    """The block keys of `sizes` (key → rows) gathered into bins of at most `target` rows (a
    larger block is a bin of its own), largest blocks first, so that tasks come out even."""
    bins: list[list[object]] = []
    room: list[int] = []
    for key in sorted(sizes, key=lambda k: (-sizes[k], str(k))):
        rows = sizes[key]
        fit = next((b for b, left in enumerate(room) if left >= rows), None)
        if fit is None:
            bins.append([key])
            room.append(target - rows)
        else:
            bins[fit].append(key)
            room[fit] -= rows
    return bins

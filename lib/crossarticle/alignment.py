"""Cross-article alignment: the same facts and statements across articles.

* Figures that state the same fact — same metric family, unit, kind and direction, the same
  period, values equal up to rounding (`value_tolerance`; growth rates compared as rates, so
  "+40%" and "×1.4" agree) — share a `fact_id`. Two values for one metric and period are two
  facts, never one: each figure is a `conflict` when another article gives the same metric and
  period a different value, or the same value to a period that does not overlap. Copies of one
  story (`articles.copy_of`) never conflict with each other: they are one source, not two. This
  is the one definition of a fact and a conflict; Compare and Charts both read it from the tables.
* Quotations that render the same statement share a `quote_group`: the same speaker (or an
  unknown one), said within a few days (the date of the quote's event sentence, else the
  publication date), and the same content words in the same order (rapidfuzz LCS over normalised
  words). Trimmed or retranslated wordings match; statements that merely start alike do not.
* Each fact and statement counts its articles (`n_articles`), its stories (`n_stories`: an
  article and its copies count once) and the outlets carrying it (`n_outlets`: an article of
  unknown outlet is its own), so that "3 articles agree" is read as "2 stories carried by 3 outlets".
* Events already share an `event_id` (`lib.crossarticle.linking.link_events`).
* What the Compare page derives from these groups is in `lib.views.source_comparison`.

Settings: `lib/data/compare_settings.csv` and `lib/data/compare_metric_families.csv`.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import cache, lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz.distance import LCSseq
from spacy.lang.en.stop_words import STOP_WORDS

from lib.contract.datafiles import read_csv
from lib.contract.periods import interval
from lib.contract.schema import conform, missing, signed
from lib.contract.tableio import column_array, column_values, with_columns
from lib.contract.values import conflict_note, format_value, metric_label, shown_value  # noqa: F401
from lib.crossarticle.grouping import GroupedRows, article_order, components, distinct_rows, member_keys

WORD = re.compile(r"[^\W_]+", re.UNICODE)
DISPLAY_WORD = re.compile(r"\S+")


# --- data files -----------------------------------------------------------------------------------


@cache
def settings() -> dict[str, str]:
    """The comparison settings (name → value as written in the data file)."""
    return {row["setting"]: row["value"] for row in read_csv("compare_settings.csv")}


def setting(name: str) -> float:
    """One numeric setting."""
    return float(settings()[name])


@cache
def kept_stop_words() -> frozenset[str]:
    """Stop words compared in statements because they change the meaning ("no", "not")."""
    return frozenset(settings()["kept_stop_words"].split())


@cache
def metric_families() -> dict[str, str]:
    """Metric name part → the family it belongs to ("exports" → "supply")."""
    return {row["part"]: row["family"] for row in read_csv("compare_metric_families.csv")}


def metric_family(metric: object) -> str | None:
    """The family of a metric: each part of its name mapped ("energy_exports" → "energy_supply")."""
    if not isinstance(metric, str) or not metric:
        return None
    return "_".join(metric_families().get(part, part) for part in metric.split("_"))


# --- shared helpers -------------------------------------------------------------------------------


def _pairs_within(keys: list[object]) -> list[tuple[int, int]]:
    """Index pairs of items that share a blocking key (None never pairs)."""
    buckets: dict[object, list[int]] = {}
    for i, key in enumerate(keys):
        if key is not None:
            buckets.setdefault(key, []).append(i)
    return [(a, b) for members in buckets.values() for x, a in enumerate(members) for b in members[x + 1:]]


class Carriers:
    """Which story and which outlet each article is: the story of a copy is the article it copies
    (`articles.copy_of`), the outlet of an article of unknown outlet is the article itself."""

    def __init__(self, articles: pd.DataFrame) -> None:
        ids = [str(a) for a in column_values(articles, "article_id")]
        copies, outlets = ([None] * len(ids) if name not in articles.columns else column_values(articles, name)
                           for name in ("copy_of", "outlet"))
        self._story = {a: a if missing(c) or not str(c) else str(c) for a, c in zip(ids, copies)}
        self._outlet = {a: a if missing(o) or not str(o).strip() else str(o).strip() for a, o in zip(ids, outlets)}

    def story(self, article_id: object) -> str:
        """The story of an article (an article missing from `articles` is its own)."""
        return self._story.get(str(article_id), str(article_id))

    def counts(self, article_ids: list[str]) -> dict[str, int]:
        """`n_articles`, `n_stories` and `n_outlets` of distinct `article_ids`."""
        return {"n_articles": len(article_ids),
                "n_stories": len({self.story(a) for a in article_ids}),
                "n_outlets": len({self._outlet.get(a, a) for a in article_ids})}


@lru_cache(maxsize=1 << 16)
def gap_days(a: str | None, b: str | None) -> int | None:
    """Days between two dates or periods (0 when they overlap); None if either is unknown."""
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return None
    return max(0, (ib[0] - ia[1]).days, (ia[0] - ib[1]).days)


# --- figures --------------------------------------------------------------------------------------


def comparable_value(unit: object, value: object, kind: object) -> tuple[str, float] | None:
    """The unit and value two figures are compared in; percentages and multiples of a change are
    both read as a rate ("40%" → 0.4, "doubled" → 1.0), so the same growth rate matches."""
    if missing(value) or not isinstance(unit, str) or not unit:
        return None
    if unit == "percent":
        return "rate", float(value) / 100
    if unit == "ratio" and kind == "change":
        return "rate", float(value) - 1
    return unit, float(value)


def values_close(a: float, b: float, tolerance: float | None = None) -> bool:
    """Whether two values are the same figure up to rounding (relative `tolerance`)."""
    tolerance = setting("value_tolerance") if tolerance is None else tolerance
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def period_overlap(a: str | None, b: str | None) -> float | None:
    """Shared days of two periods over the days of either (1 = the same period, 0 = disjoint)."""
    if isinstance(a, str) and a == b:
        return 1.0
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return None
    shared = (min(ia[1], ib[1]) - max(ia[0], ib[0])).days + 1
    union = (max(ia[1], ib[1]) - min(ia[0], ib[0])).days + 1
    return max(shared, 0) / union


def period_relation(a: Mapping, b: Mapping) -> str:
    """"same", "overlapping", "disjoint" or "unknown" for the periods of two figures. Figures
    with no period are in the same (unstated) period when their articles appeared close together."""
    pa, pb = a.get("period"), b.get("period")
    if missing(pa) and missing(pb):
        days = gap_days(a.get("published"), b.get("published"))
        return "same" if days is not None and days <= setting("undated_days") else "unknown"
    overlap = period_overlap(None if missing(pa) else pa, None if missing(pb) else pb)
    if overlap is None:
        return "unknown"
    if overlap >= setting("period_overlap"):
        return "same"
    return "overlapping" if overlap > 0 else "disjoint"


def claim_key(figure: Mapping) -> tuple[str, str, str] | None:
    """What a figure measures, as compared across articles: (metric family, unit, kind)."""
    family = metric_family(figure.get("metric"))
    compared = comparable_value(figure.get("unit"), figure.get("value"), figure.get("kind"))
    if family is None or compared is None:
        return None
    return family, compared[0], str(figure.get("kind"))


def _directions_agree(a: Mapping, b: Mapping) -> bool:
    da, db = a.get("direction"), b.get("direction")
    return missing(da) or missing(db) or da == db


def _compared(figure: Mapping) -> float:
    """The value two figures are compared by: signed, in the unit of `comparable_value`."""
    return comparable_value(figure.get("unit"), signed(figure.get("value"), figure.get("trend")), figure.get("kind"))[1]


def same_fact(a: Mapping, b: Mapping) -> bool:
    """Two figures state the same fact: same metric family, unit and kind, compatible directions,
    the same period and values within the tolerance."""
    key = claim_key(a)
    if key is None or key != claim_key(b) or not _directions_agree(a, b):
        return False
    return period_relation(a, b) == "same" and values_close(_compared(a), _compared(b))


def conflicting(a: Mapping, b: Mapping) -> bool:
    """Two stories disagree: the same metric and period with different values, or the same value
    for periods that do not overlap. Figures of one story (`story`, else `article_id`: an article
    and its copies) never conflict."""
    key = claim_key(a)
    if _story(a) == _story(b) or key is None or key != claim_key(b):
        return False
    if not _directions_agree(a, b):
        return False
    relation, close = period_relation(a, b), values_close(_compared(a), _compared(b))
    return (relation == "same" and not close) or (relation == "disjoint" and close)


def _story(figure: Mapping) -> object:
    story = figure.get("story")
    return figure.get("article_id") if story is None else story


def fact_label(figure: Mapping) -> str:
    """What a fact says, for tables: "bilateral trade · 2022 · $190 billion"."""
    period = figure.get("period")
    period = "no period" if missing(period) else str(period)
    return f"{metric_label(figure.get('metric'))} · {period} · {shown_value(figure)}"


def _signature(record: Mapping) -> tuple | None:
    """Everything `same_fact` and `conflicting` read of a figure, bar its article: figures with
    one signature compare alike, so a large corpus is compared once per distinct signature."""
    key = claim_key(record)
    if key is None:
        return None
    period = None if missing(record.get("period")) else str(record["period"])
    direction = None if missing(record.get("direction")) else record["direction"]
    published = record.get("published") if period is None else None
    return key, direction, period, _compared(record), published


SIGNATURE_FIELDS = ("metric", "unit", "value", "kind", "trend", "period", "direction", "published")  # what it reads


FIGURE_FIELDS = ("article_id", "start", "surface",  # what fact grouping reads of a figure ("published" is the article's)
                 *(name for name in SIGNATURE_FIELDS if name != "published"))


def align_figures(figures: pd.DataFrame, articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`figures` with `fact_id` and `conflict` set, and the `fact_groups` table.

    Figures are compared by distinct signature (`_signature`), not row by row, so the cost
    grows with the variety of figures, not with the square of how often they are repeated; rows
    are labelled and gathered into facts with array operations (`lib.crossarticle.grouping`)."""
    table = conform(figures, "figures")
    if not len(table):
        return table, conform(pd.DataFrame(), "fact_groups")
    copies = np.asarray([not missing(v) for v in column_values(table, "converted_from")], dtype=bool)
    if copies.any():
        return _with_converted_copies(table, copies, articles)
    size = len(table)
    article_ids, starts = column_array(table, "figures", "article_id"), column_array(table, "figures", "start")
    fields = {name: column_array(table, "figures", name) for name in FIGURE_FIELDS}
    fields["published"] = _published_of(articles, article_ids)
    # the figures with one set of the fields a signature reads, numbered by their first rows
    fields_of, firsts = distinct_rows([fields[name] for name in SIGNATURE_FIELDS])
    example, signature_of_fields = [], []  # a record per distinct signature; each field set's signature
    known: dict[tuple, int] = {}
    for record in pa.table(fields).take(firsts).to_pylist():
        signature = _signature(record)
        if signature is not None and signature not in known:
            known[signature] = len(example)
            example.append(record)
        signature_of_fields.append(-1 if signature is None else known[signature])
    signature_of = np.asarray(signature_of_fields, dtype=np.int64)[fields_of]  # each row's (-1: compared with none)
    pairs = _pairs_within([signature[0] for signature in known])

    @cache
    def same(a: int, b: int) -> bool:
        return same_fact(example[a], example[b])

    labels = _fact_labels(signature_of, [(a, b) for a, b in pairs if same(a, b)],
                          [same(s, s) for s in range(len(example))])
    groups = GroupedRows(labels, article_order(article_ids, starts), first_in=np.arange(size))
    members = member_keys(article_ids, starts).take(groups.rows).to_pylist()  # in group order
    ids = groups.ids("fact-", members)
    group_labels = labels[groups.first_rows()].tolist()
    id_of = dict(zip(group_labels, ids))  # fact id by label
    conflict, against = np.zeros(size, dtype=bool), {label: set() for label in id_of}
    rows_by_signature = _rows_by(signature_of, len(example))
    carriers = Carriers(articles)
    row_stories = [carriers.story(a) for a in article_ids.to_pylist()]
    for a, b in pairs:
        if conflicting({**example[a], "article_id": None}, example[b]):
            for mine, theirs in ((a, b), (b, a)):
                _mark_conflicts(rows_by_signature(mine), rows_by_signature(theirs), labels, row_stories,
                                conflict, against, id_of)
    table = with_columns(table, "figures", {"fact_id": np.array(ids, dtype=object)[groups.rank], "conflict": conflict})
    columns = {name: fields[name].take(groups.rows).to_pylist() for name in FIGURE_FIELDS}
    columns["member"], columns["conflict"] = members, conflict[groups.rows].tolist()
    rows = [_fact_group(columns, begin, end, fact_id, sorted(against[label]), carriers)
            for (begin, end), fact_id, label in zip(groups.slices(), ids, group_labels)]
    return table, conform(pd.DataFrame(rows), "fact_groups")


def _with_converted_copies(table: pd.DataFrame, copies: np.ndarray, articles: pd.DataFrame
                           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`align_figures` for a table with restatements in another currency ("1.74 trillion yuan
    ($237 billion)"): facts are built without them, and each takes the fact of the figure it
    restates, so a fact is counted once."""
    kept = np.flatnonzero(~copies)
    primary = table.iloc[kept].reset_index(drop=True)
    aligned, facts = align_figures(primary, articles)
    fact_ids: list[object] = [None] * len(copies)
    conflicts = [False] * len(copies)
    for row, fact_id, conflict in zip(kept.tolist(), column_values(aligned, "fact_id"), column_values(aligned, "conflict")):
        fact_ids[row], conflicts[row] = fact_id, bool(conflict)
    article_ids, starts = column_values(table, "article_id"), column_values(table, "start")
    fact_at = {(article_ids[row], starts[row]): fact_ids[row] for row in kept.tolist()}
    sources = column_values(table, "converted_from")
    for row in np.flatnonzero(copies).tolist():
        fact_ids[row] = fact_at.get((article_ids[row], int(sources[row])))
    return with_columns(table, "figures", {"fact_id": fact_ids, "conflict": conflicts}), facts


def _published_of(articles: pd.DataFrame, article_ids: pa.Array) -> pa.Array:
    """The publication date (or null) of the article of each of `article_ids`."""
    known = pa.array([str(a) for a in column_values(articles, "article_id")], pa.string())
    published = pa.array([None if missing(p) else str(p) for p in column_values(articles, "published")], pa.string())
    return published.take(pc.index_in(article_ids, value_set=known))


def _fact_labels(signature_of: np.ndarray, linked: list[tuple[int, int]], self_linked: list[bool]) -> np.ndarray:
    """Each figure's fact label. Signatures joined by `linked` pairs form one fact; every row of a
    signature that matches itself joins it, while of one that does not (no period, no publication
    date) only its first row does. A row without a signature stands alone."""
    size, count = len(signature_of), len(self_linked)
    facts = components(count, linked)
    labels = count + np.arange(size, dtype=np.int64)  # alone, unless joined below
    signed_rows = np.flatnonzero(signature_of >= 0)
    joins = np.asarray(self_linked, dtype=bool)[signature_of[signed_rows]]
    labels[signed_rows[joins]] = facts[signature_of[signed_rows[joins]]]
    distinct, first = np.unique(signature_of[signed_rows], return_index=True)
    labels[signed_rows[first]] = facts[distinct]
    return labels


def _rows_by(labels: np.ndarray, count: int) -> Callable[[int], list[int]]:
    """A function giving the rows (in row order) of each label 0..count-1 of `labels`."""
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(count + 1))
    return lambda label: order[bounds[label]:bounds[label + 1]].tolist()


def _mark_conflicts(rows: list[int], others: list[int], labels: np.ndarray, stories: list[str],
                    conflict: np.ndarray, against: dict[int, set[str]], ids: dict[int, str]) -> None:
    """Flag each of `rows` that conflicts with one of `others` in another fact and another
    story (their signatures conflict; `stories`: each row's story), and note which facts it
    conflicts with."""
    stories_by_fact: dict[int, set[str]] = {}
    for j in others:
        stories_by_fact.setdefault(int(labels[j]), set()).add(stories[j])
    for i in rows:
        fact = int(labels[i])
        for other, its_stories in stories_by_fact.items():
            if other != fact and (len(its_stories) > 1 or stories[i] not in its_stories):
                conflict[i] = True
                against[fact].add(ids[other])


def _fact_group(columns: dict[str, list], begin: int, end: int, fact_id: str, against: list[str],
                carriers: Carriers) -> dict:
    """One `fact_groups` row from the figure columns (in group order: `GroupedRows.rows`) and
    the fact's slice of them, which lists its figures in (article_id, start) order."""
    first = {name: values[begin] for name, values in columns.items()}
    signed_values = (signed(v, trend) for v, trend in zip(columns["value"][begin:end], columns["trend"][begin:end]))
    values = [v for v in signed_values if not missing(v)]
    value = float(statistics.median(values)) if values else float("nan")
    article_ids = list(dict.fromkeys(str(a) for a in columns["article_id"][begin:end]))
    return {
        "fact_id": fact_id,
        "metric": first["metric"],
        "unit": first["unit"],
        "period": first["period"],
        "kind": first["kind"],
        "value": value,
        "label": fact_label({**first, "value": value}),
        "members": columns["member"][begin:end],
        "article_ids": article_ids,
        "surfaces": [str(surface) for surface in columns["surface"][begin:end]],
        **carriers.counts(article_ids),
        "conflict": any(columns["conflict"][begin:end]),
        "conflicts_with": against,
    }


# --- quotes ---------------------------------------------------------------------------------------


def quote_words(text: object) -> list[str]:
    """Lower-case words of a wording, apostrophes and dashes removed ("Russia-China" → russia, china)
    and a plural "s" dropped, so "levels" and "level" agree."""
    words = WORD.findall(str(text or "").lower().replace("’", "'"))
    return [_singular(w) for w in words if len(w) > 1 or w.isdigit()]


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def content_words(text: object) -> list[str]:
    """The words that carry a statement: no stop words except negations (all words if none left)."""
    return list(_content_words(str(text or "")))


@lru_cache(maxsize=1 << 16)
def _content_words(text: str) -> tuple[str, ...]:
    """`content_words`, computed once per distinct wording (grouping compares each many times)."""
    words = quote_words(text)
    kept = [w for w in words if w not in STOP_WORDS or w in kept_stop_words()]
    return tuple(kept or words)


def wording_overlap(a: object, b: object) -> tuple[float, float]:
    """(containment, shared) of two wordings' content words: the share of the shorter wording found
    in the other, and the share of both wordings in common. Each is the mean of an in-order count
    (rapidfuzz LCS) and an any-order count, so a translation that reorders a phrase still agrees."""
    wa, wb = _content_words(str(a or "")), _content_words(str(b or ""))
    if not wa or not wb:
        return 0.0, 0.0
    in_order = LCSseq.similarity(wa, wb)
    any_order = sum((Counter(wa) & Counter(wb)).values())
    common = (in_order + any_order) / 2
    return common / min(len(wa), len(wb)), 2 * common / (len(wa) + len(wb))


def wording_similarity(a: object, b: object, strict: bool = False) -> float | None:
    """The similarity (0–1) of two wordings of one statement, or None when they are different
    statements. Short wordings (and `strict` comparisons) must match almost word for word; longer
    ones may be trimmed or retranslated but must keep most of the shorter one's content in order.
    Short wordings must also agree in their negations ("good" vs "not good")."""
    containment, shared = wording_overlap(a, b)
    shorter = min(len(_content_words(str(a or ""))), len(_content_words(str(b or ""))))
    if strict or shorter < setting("short_quote_words"):
        least = setting("unknown_speaker_ratio" if strict else "short_quote_ratio")
        same = containment >= 1.0 and shared >= least and _negations(a) == _negations(b)
    else:
        same = containment >= setting("min_containment")
    return round((containment + shared) / 2, 3) if same else None


def _negations(text: object) -> Counter:
    return Counter(w for w in quote_words(text) if w in kept_stop_words())


def statement_dates(quotes: pd.DataFrame, events: pd.DataFrame, articles: pd.DataFrame) -> list[str | None]:
    """When each quotation was said: the date of its event sentence when that date is not after
    the publication (a later date is what the statement is about), else the publication date.
    An event sentence is the first event, in table order, of the quote's article whose span holds
    the quote's start: one join of quotes and events on the article (as numbers), not a loop per quote."""
    quote_articles = column_array(quotes, "quotes", "article_id")
    event_articles, event_dates = column_array(events, "events", "article_id"), column_array(events, "events", "date")
    both = pa.concat_arrays([quote_articles, event_articles])
    published = _published_of(articles, both)  # of each quote's article, then of each event's
    size = len(quote_articles)
    usable = np.flatnonzero(_dates_not_after(event_dates, published[size:]).to_numpy(zero_copy_only=False))
    known = pc.unique(both)  # articles as numbers, to join on
    said = pd.DataFrame({"article": pc.index_in(quote_articles, value_set=known).to_numpy(),
                         "start": column_array(quotes, "quotes", "start").to_numpy(), "row": np.arange(size)})
    spans = pd.DataFrame({"article": pc.index_in(event_articles, value_set=known).to_numpy()[usable], "order": usable,
                          "begin": column_array(events, "events", "start").to_numpy()[usable],
                          "end": column_array(events, "events", "end").to_numpy()[usable]})
    joined = said.merge(spans, on="article")
    inside = joined[(joined["begin"] <= joined["start"]) & (joined["start"] < joined["end"])]
    first = inside.groupby("row")["order"].min()  # each quote's first event that holds it
    dates = published[:size].to_numpy(zero_copy_only=False)
    dates[first.index.to_numpy()] = event_dates.take(pa.array(first.to_numpy())).to_numpy(zero_copy_only=False)
    return dates.tolist()


def _dates_not_after(dates: pa.Array, published: pa.Array) -> pa.Array:
    """`_not_after` of each (date, publication date) pair, judged once per distinct pair."""
    absent = "\x00"  # stands for a missing publication date in the pair's key
    keys = pc.binary_join_element_wise(dates, published.fill_null(absent), "\x1f")  # null where the date is
    distinct = pc.unique(keys)
    verdicts = [key is not None and _not_after(*(None if part == absent else part for part in key.split("\x1f")))
                for key in distinct.to_pylist()]
    return pa.array(verdicts, pa.bool_()).take(pc.index_in(keys, value_set=distinct))


@lru_cache(maxsize=1 << 16)
def _not_after(value: object, published: str | None) -> bool:
    span, pub = interval(value if isinstance(value, str) else None), interval(published)
    return span is not None and (pub is None or span[0] <= pub[1])


def same_statement(a: Mapping, b: Mapping) -> float | None:
    """The similarity of two quotations that render one statement (None otherwise): compatible
    speakers, said within `statement_days`, and matching content (`wording_similarity`)."""
    sa, sb = a.get("speaker"), b.get("speaker")
    unknown = missing(sa) or missing(sb)
    if not unknown and sa != sb:
        return None
    days = gap_days(a.get("date"), b.get("date"))
    if days is not None and days > setting("statement_days"):
        return None
    return _similar_wordings(str(a.get("text") or ""), str(b.get("text") or ""), unknown)


@lru_cache(maxsize=1 << 16)
def _similar_wordings(a: str, b: str, strict: bool) -> float | None:
    """`wording_similarity`, once per pair of wordings (a corpus pairs the same few many times)."""
    return wording_similarity(a, b, strict=strict)


def align_quotes(quotes: pd.DataFrame, events: pd.DataFrame | None, articles: pd.DataFrame,
                 said: Sequence[str | None] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`quotes` with `quote_group` and `similarity` set, and the `quote_groups` table.

    Each quote's statement date is `statement_dates` of the quotes and their articles' `events`,
    unless given as `said` (one per quote: a cluster run computes them with each article's rows,
    so its quote tasks need not read the events).

    `similarity` is a quote's best similarity to another wording of its group (NaN when alone).
    Quotes are compared once per distinct statement (speaker, date, wording): a large corpus has
    tens of thousands of quotes, most of them wire copy of a few statements. Rows are labelled
    and gathered into groups with array operations (`lib.crossarticle.grouping`), not one by one."""
    table = conform(quotes, "quotes")
    if not len(table):
        return table, conform(pd.DataFrame(), "quote_groups")
    article_ids, starts = column_array(table, "quotes", "article_id"), column_array(table, "quotes", "start")
    said = {"speaker": column_array(table, "quotes", "speaker"),
            "date": pa.array(list(said) if said is not None else statement_dates(table, events, articles),
                             pa.string(), from_pandas=True),
            "text": column_array(table, "quotes", "text")}
    # wire copy repeats wordings: each distinct statement is judged once
    statement_of, firsts = distinct_rows(list(said.values()))  # statements numbered by their first rows
    repeated = np.flatnonzero(np.bincount(statement_of) > 1).tolist()
    example = _records(table.iloc[firsts], STATEMENT_FIELDS)
    for record, date in zip(example, said["date"].take(firsts).to_pylist()):
        record["date"] = date
        record["speaker"] = None if missing(record["speaker"]) else record["speaker"]
    pairs = [(a, a) for a in repeated] + _statement_candidates(example, int(setting("statement_days")))
    score = {}  # linked pairs of distinct statements → their similarity
    for a, b in pairs:
        found = same_statement(example[a], example[b])
        if found is not None:
            score[(a, b)] = found
    roots = _quote_roots(statement_of, score)
    first_roots = roots[firsts]
    best = np.full(len(example), np.nan)  # statement → its best similarity to another wording of its group
    weakest: dict[int, float] = {}  # group root → the weakest link inside it
    for (a, b), similarity in score.items():
        best[a], best[b] = np.fmax(best[a], similarity), np.fmax(best[b], similarity)
        root = int(first_roots[a])
        weakest[root] = min(weakest.get(root, similarity), similarity)
    groups = GroupedRows(roots, article_order(article_ids, starts))
    members = member_keys(article_ids, starts).take(groups.rows).to_pylist()  # in group order
    ids = groups.ids("quote-", members)
    table = with_columns(table, "quotes", {"quote_group": np.array(ids, dtype=object)[groups.rank],
                                           "similarity": best[statement_of]})
    columns = {name: said[name].take(groups.rows).to_pylist() for name in ("speaker", "date", "text")}
    columns["article_id"] = article_ids.take(groups.rows).to_pylist()
    columns["member"] = members
    labels = roots[groups.first_rows()].tolist()
    carriers = Carriers(articles)
    rows = [_quote_group(columns, begin, end, group, weakest.get(label, float("nan")), carriers)
            for (begin, end), group, label in zip(groups.slices(), ids, labels)]
    return table, conform(pd.DataFrame(rows), "quote_groups")


STATEMENT_FIELDS = ("article_id", "start", "speaker", "text")  # what quote alignment reads of a quote


def _records(table: pd.DataFrame, fields: tuple[str, ...]) -> list[dict]:
    """The rows of a table as dicts of `fields` (plain Python values)."""
    columns = [column_values(table, field) for field in fields]
    return [dict(zip(fields, values)) for values in zip(*columns)]


def _quote_roots(statement_of: np.ndarray, score: dict[tuple[int, int], float]) -> np.ndarray:
    """Each quote's group label: the statements joined by scored pairs form one group with all
    their quotes (labelled by a negative number); a statement in no scored pair leaves each of
    its quotes alone (labelled by its own row)."""
    size = int(statement_of.max()) + 1 if len(statement_of) else 0
    statement_roots = components(size, score)
    paired = np.zeros(size, dtype=bool)
    paired[[k for pair in score for k in pair]] = True
    return np.where(paired[statement_of], -1 - statement_roots[statement_of], np.arange(len(statement_of)))


def _statement_candidates(records: list[dict], days: int) -> list[tuple[int, int]]:
    """Pairs of quotations that could render one statement: the same speaker (or an unknown one)
    and dates at most `days` apart. Sorting by date and sliding a window keeps this near-linear
    in the number of quotations instead of comparing every pair."""
    spans = [interval(r["date"]) if isinstance(r["date"], str) else None for r in records]
    speakers = [None if missing(r["speaker"]) else r["speaker"] for r in records]
    undated = [i for i, span in enumerate(spans) if span is None]
    dated = sorted((i for i, span in enumerate(spans) if span is not None), key=lambda i: spans[i][0])
    pairs: set[tuple[int, int]] = set()
    for x, i in enumerate(dated):
        for j in dated[x + 1:]:
            if (spans[j][0] - spans[i][1]).days > days:
                break
            if speakers[i] is None or speakers[j] is None or speakers[i] == speakers[j]:
                pairs.add((min(i, j), max(i, j)))
    for i in undated:  # no date: compare with every quotation the speaker rule allows
        for j in range(len(records)):
            if j != i and (speakers[i] is None or speakers[j] is None or speakers[i] == speakers[j]):
                pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def _quote_group(columns: dict[str, list], begin: int, end: int, group: str, similarity: float,
                 carriers: Carriers) -> dict:
    """One `quote_groups` row from the quote columns (in group order: `GroupedRows.rows`) and
    the group's slice of them, which lists its rows in (article_id, start) order."""
    texts = [str(text) for text in columns["text"][begin:end]]
    speakers = [speaker for speaker in columns["speaker"][begin:end] if speaker is not None]
    article_ids = list(dict.fromkeys(str(a) for a in columns["article_id"][begin:end]))
    dates = [date for date in columns["date"][begin:end] if date]
    return {
        "quote_group": group,
        "speaker": speakers[0] if speakers else None,
        "text": max(texts, key=len),
        "date": min(dates) if dates else None,
        "members": columns["member"][begin:end],
        "article_ids": article_ids,
        "wordings": texts,
        **carriers.counts(article_ids),
        "similarity": similarity,
    }


def align(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The comparison columns and tables from the linked per-article tables: `figures` and
    `quotes` with their group columns, plus `fact_groups` and `quote_groups`."""
    figures, fact_groups = align_figures(tables["figures"], tables["articles"])
    quotes, quote_groups = align_quotes(tables["quotes"], tables["events"], tables["articles"])
    return {"figures": figures, "quotes": quotes, "fact_groups": fact_groups, "quote_groups": quote_groups}

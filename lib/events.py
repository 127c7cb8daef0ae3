"""Dated events for the timeline, and the linking of one event reported by several articles.

An event is a sentence that carries a pinned date: its most precise date value, the actors
mentioned in it and a short summary (the main clause). Settings live in
`lib/data/events_rules.json`.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from lib.dates import PRECISION_RANK, interval
from lib.schema import conform, records

DATA = Path(__file__).resolve().parent / "data" / "events_rules.json"
QUOTE_CHARS = "\"\u201c\u201d"


@cache
def settings() -> dict:
    """The events data file."""
    return json.loads(DATA.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- summaries


def _subtree_with_commas(token: Token) -> set[int]:
    """A subtree plus the commas that set it off, so "X, a spokesperson, said" reads "X said"."""
    doc = token.doc
    ids = {t.i for t in token.subtree}
    for edge in (token.left_edge.i - 1, token.right_edge.i + 1):
        if 0 <= edge < len(doc) and doc[edge].text in (",", ";", "\u2013", "\u2014"):
            ids.add(edge)
    return ids


def _dropped_tokens(sent: Span, deep: bool) -> set[int]:
    """Token indices outside the main clause: adverbial/parenthetical clauses, coordinated verbs,
    and with `deep` also relative clauses, appositions and other modifiers at any depth."""
    conf = settings()["summary"]
    root = sent.root
    drop: set[int] = set()
    for child in root.children:
        verb_conjunct = child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and conf["drop_verb_conjuncts"]
        if child.dep_ in conf["drop_root_children"] or verb_conjunct:
            drop |= _subtree_with_commas(child)
    if deep:
        for token in sent:
            if token.dep_ in conf["drop_deep"] and token is not root:
                drop |= _subtree_with_commas(token)
    return drop


def _join(tokens: list[Token]) -> str:
    """Text of the kept tokens, with a space wherever dropped tokens left a gap."""
    parts, previous = [], None
    for t in tokens:
        if previous is not None and t.i != previous.i + 1 and not previous.whitespace_:
            parts.append(" ")
        parts.append(t.text_with_ws)
        previous = t
    text = re.sub(r"\s+", " ", "".join(parts))
    text = re.sub(r"\s+([,.;:!?\u2019'])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    if sum(text.count(q) for q in QUOTE_CHARS) % 2 or text.count("\u201c") != text.count("\u201d"):
        text = text.translate({ord(q): None for q in QUOTE_CHARS})
    return text.strip(" ,;:.-\u2013\u2014").strip()


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "\u2026"


def summarise(sent: Span) -> str:
    """A readable summary of a sentence: its main clause, pruned further when long, <= max_chars."""
    limit = settings()["summary"]["max_chars"]
    dropped = _dropped_tokens(sent, deep=False)
    main = _join([t for t in sent if t.i not in dropped])
    if len(main) > limit:
        dropped = _dropped_tokens(sent, deep=True)
        main = _join([t for t in sent if t.i not in dropped]) or main
    main = main or sent.text.strip()
    return _shorten(main[:1].upper() + main[1:], limit)


# ---------------------------------------------------------------- events of one article


def _sentence_date(dates_here: list[dict]) -> tuple[str, str] | None:
    """The most precise pinned date of a sentence (earliest on ties)."""
    pinned = [d for d in dates_here if isinstance(d["value"], str) and d["value"]]
    if not pinned:
        return None
    best = min(pinned, key=lambda d: (PRECISION_RANK.get(d["precision"], 9), d["start"]))
    return best["value"], best["precision"]


def _sentence_actors(actors_here: list[dict]) -> list[str]:
    return list(dict.fromkeys(str(a["actor"]) for a in actors_here if isinstance(a["actor"], str)))


def _hash_id(*parts: object) -> str:
    return "ev-" + hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:10]


def extract_events(doc: Doc, article_id: str, dates: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """One event per sentence that has a pinned date (schema "events"); `event_id` is the
    event's own id until `link_events` merges reports of the same event. `dates` and `actors`
    are the article's tables (frames or row dicts).

    Rows are bucketed by sentence once, so the cost grows with the article, not its square."""
    return conform(event_rows(doc, article_id, dates, actors), "events")


def event_rows(doc: Doc, article_id: str, dates: pd.DataFrame | list[dict], actors: pd.DataFrame | list[dict]) -> list[dict]:
    """`extract_events` as row dicts."""
    sentences = list(doc.sents)
    starts = [sent.start_char for sent in sentences]
    dates_by_sentence = _by_sentence(dates, article_id, starts)
    if not dates_by_sentence:
        return []
    actors_by_sentence = _by_sentence(actors, article_id, starts)
    rows = []
    for sent in sentences:
        here = dates_by_sentence.get(sent.start_char)
        found = _sentence_date(here) if here is not None else None
        if found is None:
            continue
        rows.append({
            "article_id": article_id,
            "event_id": _hash_id(f"{article_id}:{sent.start_char}"),
            "date": found[0],
            "precision": found[1],
            "actors": _sentence_actors(actors_by_sentence.get(sent.start_char, [])),
            "summary": summarise(sent),
            "start": sent.start_char,
            "end": sent.end_char,
        })
    return rows


def _by_sentence(table: pd.DataFrame | list[dict] | None, article_id: str, starts: list[int]) -> dict[int, list[dict]]:
    """Rows of one article (as dicts) grouped by the start of the sentence they begin in, in
    text order."""
    groups: dict[int, list[dict]] = {}
    for row in sorted(records(table), key=lambda r: int(r["start"])):
        if str(row["article_id"]) == str(article_id):
            groups.setdefault(starts[max(0, bisect_right(starts, int(row["start"])) - 1)], []).append(row)
    return groups


# ---------------------------------------------------------------- linking across articles


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


def link_events(events: pd.DataFrame) -> pd.DataFrame:
    """Give reports of the same event in different articles a shared `event_id` ("ev-" + hash of
    its members); every other event gets its own. Deterministic whatever the row order.

    Events are compared once per distinct report (date, actors, summary), since wire copy
    repeats them word for word, and only reports with compatible dates are compared
    (blocking), so the cost grows with the variety of reports per date, not with the square
    of all events. A cluster never holds two events of one article."""
    frame = conform(events, "events")
    if frame.empty:
        return frame
    records = frame.to_dict("records")
    order = sorted(range(len(frame)), key=lambda i: (str(records[i]["article_id"]), int(records[i]["start"])))
    reports: dict[tuple, list[int]] = {}
    for i in order:
        reports.setdefault(_report_key(records[i]), []).append(i)
    parent = list(range(len(frame)))
    articles = [{str(r["article_id"])} for r in records]  # per cluster root

    def merge(i: int, j: int) -> None:
        ri, rj = _find(parent, i), _find(parent, j)
        if ri != rj and articles[ri].isdisjoint(articles[rj]):
            parent[rj] = ri
            articles[ri] |= articles[rj]

    example = [{**records[rows[0]], "article_id": None} for rows in reports.values()]
    firsts = [rows[0] for rows in reports.values()]
    for rows, report in zip(reports.values(), example):
        if len(rows) > 1 and same_event(report, records[rows[0]]):
            for j in rows[1:]:
                merge(rows[0], j)
    candidates = _date_candidates([r["date"] for r in example], list(range(len(example))))
    for a, later in candidates.items():
        for b in later:
            if same_event(example[a], records[firsts[b]]):
                merge(firsts[a], firsts[b])
    members: dict[int, list[str]] = {}
    for i in order:
        members.setdefault(_find(parent, i), []).append(f"{records[i]['article_id']}:{records[i]['start']}")
    ids = {root: _hash_id(*keys) for root, keys in members.items()}
    frame["event_id"] = [ids[_find(parent, i)] for i in range(len(frame))]
    return frame


def _report_key(record: Mapping) -> tuple:
    """What `same_event` reads of an event, bar its article."""
    return record["date"], tuple(sorted(record["actors"])), record["summary"]

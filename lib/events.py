"""Dated events for the timeline, and the linking of one event reported by several articles.

An event is a sentence that carries a pinned date: its most precise date value, the actors
mentioned in it and a short summary (the main clause). Settings live in
`lib/data/events_rules.json`.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz
from spacy.tokens import Doc, Span, Token

from lib.dates import PRECISION_RANK, interval
from lib.schema import conform

DATA = Path(__file__).resolve().parent / "data" / "events_rules.json"
QUOTE_CHARS = "\"\u201c\u201d"


@cache
def settings() -> dict:
    """The events data file."""
    return json.loads(DATA.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- summaries


def _subtree_ids(token: Token) -> set[int]:
    return {t.i for t in token.subtree}


def _dropped_tokens(root: Token) -> set[int]:
    """Token indices outside the main clause: adverbial/parenthetical clauses, coordinated verbs."""
    conf = settings()["summary"]
    drop: set[int] = set()
    for child in root.children:
        if child.dep_ in conf["drop_root_children"]:
            drop |= _subtree_ids(child)
        elif conf["drop_verb_conjuncts"] and child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
            drop |= _subtree_ids(child)
    return drop


def _join(tokens: list[Token]) -> str:
    text = "".join(t.text_with_ws for t in tokens)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?\u2019'])", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    if sum(text.count(q) for q in QUOTE_CHARS) % 2 or text.count("\u201c") != text.count("\u201d"):
        text = text.translate({ord(q): None for q in QUOTE_CHARS})
    return text.strip(" ,;:-\u2013\u2014").strip()


def _svo(root: Token) -> list[Token]:
    """Subject, verb and complements of the root: the fallback for long sentences."""
    keep = {root.i}
    for child in root.children:
        if child.dep_ in settings()["summary"]["svo_children"]:
            keep |= _subtree_ids(child)
    return [t for t in root.doc[root.left_edge.i:root.right_edge.i + 1] if t.i in keep]


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "\u2026"


def summarise(sent: Span) -> str:
    """A readable summary of a sentence: its main clause, else subject-verb-object, <= max_chars."""
    limit = settings()["summary"]["max_chars"]
    root = sent.root
    drop = _dropped_tokens(root)
    main = _join([t for t in sent if t.i not in drop]) or sent.text.strip()
    if len(main) > limit:
        svo = _join(_svo(root))
        if len(svo.split()) >= 3:
            main = svo
    return _shorten(main, limit)


# ---------------------------------------------------------------- events of one article


def _rows_in(frame: pd.DataFrame, article_id: str, start: int, end: int) -> pd.DataFrame:
    if frame is None or frame.empty:
        return frame.iloc[0:0] if frame is not None else pd.DataFrame()
    inside = (frame["article_id"].astype(str) == str(article_id)) & (frame["start"] >= start) \
        & (frame["end"] <= end)
    return frame[inside].sort_values("start")


def _sentence_date(dates_here: pd.DataFrame) -> tuple[str, str] | None:
    """The most precise pinned date of a sentence (earliest on ties)."""
    pinned = dates_here[dates_here["value"].notna()]
    if pinned.empty:
        return None
    ranked = sorted(pinned.itertuples(), key=lambda r: (PRECISION_RANK.get(r.precision, 9), r.start))
    return ranked[0].value, ranked[0].precision


def _sentence_actors(actors_here: pd.DataFrame) -> list[str]:
    names = actors_here["actor"].dropna().astype(str) if not actors_here.empty else []
    return list(dict.fromkeys(names))


def _hash_id(*parts: object) -> str:
    return "ev-" + hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:10]


def extract_events(doc: Doc, article_id: str, dates: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """One event per sentence that has a pinned date (schema "events"); `event_id` is the
    event's own id until `link_events` merges reports of the same event."""
    rows = []
    for sent in doc.sents:
        found = _sentence_date(_rows_in(dates, article_id, sent.start_char, sent.end_char))
        if found is None:
            continue
        rows.append({
            "article_id": article_id,
            "event_id": _hash_id(f"{article_id}:{sent.start_char}"),
            "date": found[0],
            "precision": found[1],
            "actors": _sentence_actors(_rows_in(actors, article_id, sent.start_char, sent.end_char)),
            "summary": summarise(sent),
            "start": sent.start_char,
            "end": sent.end_char,
        })
    return conform(pd.DataFrame(rows), "events")


# ---------------------------------------------------------------- linking across articles


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Same value, or overlapping short spans (days/weeks) such as "Wednesday" and "this week"."""
    if not a or not b or pd.isna(a) or pd.isna(b):
        return False
    if a == b:
        return True
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return False
    longest = settings()["link"]["max_overlap_days"]
    short = all((span[1] - span[0]).days < longest for span in (ia, ib))
    return short and ia[0] <= ib[1] and ib[0] <= ia[1]


def same_event(a: pd.Series, b: pd.Series) -> bool:
    """Two reports of one event: different articles, compatible dates, shared actors, similar wording."""
    conf = settings()["link"]
    if a["article_id"] == b["article_id"] or not dates_compatible(a["date"], b["date"]):
        return False
    if len(set(a["actors"]) & set(b["actors"])) < conf["min_shared_actors"]:
        return False
    similarity = fuzz.token_set_ratio(str(a["summary"]).lower(), str(b["summary"]).lower())
    return similarity >= conf["min_similarity"]


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def link_events(events: pd.DataFrame) -> pd.DataFrame:
    """Give reports of the same event in different articles a shared `event_id` ("ev-" + hash of
    its members); every other event gets its own. Deterministic whatever the row order."""
    frame = conform(events, "events")
    if frame.empty:
        return frame
    order = sorted(range(len(frame)), key=lambda i: (str(frame.at[i, "article_id"]), int(frame.at[i, "start"])))
    parent = list(range(len(frame)))
    rows = [frame.iloc[i] for i in range(len(frame))]
    for x, i in enumerate(order):
        for j in order[x + 1:]:
            if same_event(rows[i], rows[j]):
                parent[_find(parent, j)] = _find(parent, i)
    members: dict[int, list[str]] = {}
    for i in order:
        members.setdefault(_find(parent, i), []).append(f"{frame.at[i, 'article_id']}:{frame.at[i, 'start']}")
    frame["event_id"] = [_hash_id(*members[_find(parent, i)]) for i in range(len(frame))]
    return frame

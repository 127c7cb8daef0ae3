"""Dated events for the timeline, extracted from one article at a time.

An event is a sentence that carries a pinned date: its most precise date value, the actors
mentioned in it and a short summary (the main clause). Settings live in
`lib/data/events_rules.json`.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from functools import cache
from pathlib import Path

import pandas as pd
from spacy.tokens import Doc, Span, Token

from lib.contract.schema import from_rows, records
from lib.extract.dates import PRECISION_RANK
from lib.extract.quotes import is_subject, pronouns

DATA = Path(__file__).resolve().parents[1] / "data" / "events_rules.json"
QUOTE_CHARS = "\"\u201c\u201d"
PRONOUN_REACH = 2  # a subject pronoun refers to an actor named in this many sentences before


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


def _sentence_date(sent: Span, dates_here: list[dict]) -> dict | None:
    """The most precise pinned date of a sentence's own action (earliest on ties): dates of
    subordinate clauses and bounds ("after March") left out (`dates_the_action`)."""
    pinned = [d for d in dates_here if isinstance(d["value"], str) and d["value"] and dates_the_action(sent, d)]
    if not pinned:
        return None
    return min(pinned, key=lambda d: (PRECISION_RANK.get(d["precision"], 9), d["start"]))


def dates_the_action(sent: Span, row: dict) -> bool:
    """Whether a date row dates the sentence's main clause: not a bound ("after March") and not
    inside a clause or phrase opened by "since", "after", "before"... ("since Moscow sent troops
    in February 2022"). "Since February" itself opens the main clause's range and is kept."""
    conf = settings()["dating"]
    if row.get("relation") in conf["undated_relations"]:
        return False
    span = sent.doc.char_span(int(row["start"]), int(row["end"]), alignment_mode="expand")
    if span is None:
        return True
    openers = frozenset(conf["subordinate_openers"])
    previous, node = span.root, span.root.head
    for _ in range(conf["path_steps"]):
        if node is previous or previous is sent.root:
            return True
        if node.dep_ == "prep" and node.lower_ in openers and previous not in span:
            return False
        if node is not sent.root and any(c.dep_ == "mark" and c.lower_ in openers for c in node.children):
            return False
        previous, node = node, node.head
    return True


def event_kind(sent: Span, row: dict) -> str:
    """"forecast" when the date belongs to a clause that tells of the future or a plan ("trade
    would rise by 10% in 2025", "are projected to increase this year", "is set to travel on
    Friday"), else "actual". Walks from the date up to the first verb that settles it."""
    conf = settings()["dating"]
    span = sent.doc.char_span(int(row["start"]), int(row["end"]), alignment_mode="expand")
    previous = span.root if span is not None else sent.root
    for node in [previous, *previous.ancestors]:
        if node.pos_ in ("VERB", "AUX"):
            if any(c.dep_ in ("aux", "auxpass") and c.lower_ in conf["forecast_modals"] for c in node.children):
                return "forecast"
            if node.lemma_.lower() in conf["forecast_governors"] and _has_xcomp(node):
                return "forecast"
            if node.tag_ in ("VBD", "VBZ", "VBP") or any(c.tag_ in ("VBD", "VBZ", "VBP") for c in node.children
                                                         if c.dep_ in ("aux", "auxpass")):
                return "actual"
        previous = node
    return "actual"


def _has_xcomp(verb: Token) -> bool:
    return any(c.dep_ == "xcomp" for c in verb.children)


def _sentence_actors(actors_here: list[dict]) -> list[str]:
    return list(dict.fromkeys(str(a["actor"]) for a in actors_here if isinstance(a["actor"], str)))


def _pronoun_subject(sent: Span, before: list[dict]) -> str | None:
    """"He said trade grew this year": the actor the sentence's subject pronoun stands for, the
    last actor of a fitting type (`lib.extract.quotes.pronouns`) named in the sentences just before,
    one named as a subject first ("Wang met Lavrov. He said ..." is Wang)."""
    subject = next((t for t in sent.root.children if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "PRON"), None)
    types = pronouns().get(subject.lower_) if subject is not None else None
    if not types:
        return None
    fitting = [row for row in reversed(before) if row.get("actor_type") in types and isinstance(row.get("actor"), str)]
    for row in fitting:
        span = sent.doc.char_span(int(row["start"]), int(row["end"]), alignment_mode="expand")
        if span is not None and is_subject(span.root):
            return str(row["actor"])
    return str(fitting[0]["actor"]) if fitting else None


def _reports(sent: Span) -> bool:
    """Whether a sentence can report an event: it has a verb, other than the opening word of a
    page's metadata line ("Published: 24 May 2023")."""
    conf = settings()["sentence"]
    words = [t.lower_ for t in sent[:3]]
    opening = max((len(o.split()) for o in conf["metadata_openings"] if o.split() == words[: len(o.split())]),
                  default=0)
    verbs = frozenset(conf["needs_pos"])
    return any(token.pos_ in verbs for token in sent[opening:])


def hash_id(*parts: object) -> str:
    return "ev-" + hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:10]


def extract_events(doc: Doc, article_id: str, dates: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """One event per sentence that has a pinned date and a verb (schema "events"; a dateline,
    a line that is only a date or a metadata line reports nothing: `_reports`); `event_id` is
    the event's own id until `lib.crossarticle.linking.link_events` merges reports of the same event.
    `dates` and `actors` are the article's tables (frames or row dicts).

    Rows are bucketed by sentence once, so the cost grows with the article, not its square."""
    return from_rows(event_rows(doc, article_id, dates, actors), "events")


def event_rows(doc: Doc, article_id: str, dates: pd.DataFrame | list[dict], actors: pd.DataFrame | list[dict]) -> list[dict]:
    """`extract_events` as row dicts."""
    sentences = list(doc.sents)
    starts = [sent.start_char for sent in sentences]
    dates_by_sentence = _by_sentence(dates, article_id, starts)
    if not dates_by_sentence:
        return []
    actors_by_sentence = _by_sentence(actors, article_id, starts)
    rows = []
    for number, sent in enumerate(sentences):
        here = dates_by_sentence.get(sent.start_char)
        found = _sentence_date(sent, here) if here is not None else None
        if found is None or not _reports(sent):
            continue
        named = _sentence_actors(actors_by_sentence.get(sent.start_char, []))
        before = [row for k in range(max(0, number - PRONOUN_REACH), number)
                  for row in actors_by_sentence.get(starts[k], [])]
        meant = _pronoun_subject(sent, before)
        rows.append({
            "article_id": article_id,
            "event_id": hash_id(f"{article_id}:{sent.start_char}"),
            "date": found["value"],
            "precision": found["precision"],
            "kind": event_kind(sent, found),
            "actors": [meant, *(a for a in named if a != meant)] if meant else named,
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

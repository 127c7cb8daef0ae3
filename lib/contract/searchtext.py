"""Words for full-text search, the same for the index and for a query: stems, sentences, matches.

The search index (`lib.run.search_index`) stores every text as the Snowball (Porter 2) stems of
its words, and a query (`lib.views.search`) is stemmed the same way, so word forms meet:
"unprecedentedly" and "unprecedented" are both "unpreced", "sanctions" is "sanction". SQLite's
own `porter` tokenizer does not conflate those two (it keeps "unprecedentedli").

Both sides import this module, the one place that decides what a word is. The original text is
never changed: `words` gives each word's offsets, so a page can mark the words that matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib.metadata import version

import Stemmer

from lib.contract.datafiles import read_csv

INDEX_FILE = "search.sqlite"  # next to the tables, in the same snapshot
INDEX_FORMAT = 3  # its PRAGMA user_version: the writer sets it, readers refuse another (`lib.run.search_index`)
STEMMER = f"PyStemmer {version('PyStemmer')} english"  # what made the stems (an index records it)
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
PHRASE = re.compile(r'"([^"]*)"')
MAX_QUERY_WORDS = 32  # more words than this in a query are ignored
# A sentence ends at ., ! or ? (closing quotes and brackets included) before a space, and at a
# line break unless the next line goes on in lower case (hard-wrapped text).
SENTENCE_END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s)""")
LINE_BREAK = re.compile(r"\n\s*")
OPENING = re.compile(r"""\s*["'“‘(\[]?\s*[A-Z0-9]""")


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def stems(words: list[str]) -> list[str]:
    """The stem of each word (case and apostrophes folded: "Russia's" → "russia")."""
    folded = [w.casefold().replace("’", "'") for w in words]
    return [s.replace("'", "") for s in _stemmer().stemWords(folded)]


def words(text: str) -> Iterator[re.Match]:
    """Each word of `text` as a match (its offsets are `start()` and `end()`)."""
    return WORD.finditer(text)


def stemmed(text: str) -> str:
    """`text` as the space-separated stems of its words: what the index stores."""
    return " ".join(stems(WORD.findall(text or "")))


def query_phrases(query: str) -> list[list[str]]:
    """The stemmed phrases a query asks for, every one of which must occur: each word on its own,
    and words in double quotes together ("no limits"). Anything else in the query (operators,
    `*`, `:`, brackets) is not syntax here, only a separator."""
    phrases: list[list[str]] = []
    budget = MAX_QUERY_WORDS
    for position, part in enumerate(PHRASE.split(query or "")):
        found = WORD.findall(part)[:budget]
        budget -= len(found)
        if not found:
            continue
        if position % 2:  # inside quotes
            phrases.append(stems(found))
        else:
            phrases.extend([s] for s in stems(found))
    unique: list[list[str]] = []
    for phrase in phrases:
        if phrase not in unique:
            unique.append(phrase)
    return unique


def match_expression(phrases: list[list[str]], any_of: bool = False) -> str:
    """An FTS5 MATCH expression for `phrases`: each a quoted string of stems (stems hold only
    letters and digits, so a user's text can never become FTS5 syntax), joined by AND (all must
    occur) or OR."""
    joiner = " OR " if any_of else " AND "
    return joiner.join('"' + " ".join(phrase) + '"' for phrase in phrases)


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(row["word"].casefold() for row in read_csv("abbreviations.csv"))


CLOSERS = "\"'”’)]"


def _ends_sentence(text: str, found: re.Match) -> bool:
    """Whether the marks `found` end a sentence: a lone full stop after an abbreviation ("Mr.",
    "Sept.") or an initial ("U.S.", "J.") does not, and the next words must open a sentence."""
    if found.group().rstrip(CLOSERS) == ".":
        before = text[: found.start()].rsplit(None, 1)
        word = before[-1].lstrip("\"'“‘([") if before else ""
        if word.casefold() in _abbreviations() or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word):
            return False
    return bool(OPENING.match(text, found.end()))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of `text`, without surrounding white space."""
    cuts = {0, len(text)}
    cuts.update(found.end() for found in SENTENCE_END.finditer(text) if _ends_sentence(text, found))
    for found in LINE_BREAK.finditer(text):
        blank = found.group().count("\n") > 1
        if blank or not text[found.end() : found.end() + 1].islower():
            cuts.add(found.start())
    ordered = sorted(cuts)
    spans = []
    for start, end in zip(ordered, ordered[1:]):
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            left = start + len(piece) - len(piece.lstrip())
            spans.append((left, left + len(stripped)))
    return spans


def sentence_at(text: str, offset: int) -> tuple[int, int] | None:
    """The sentence of `text` that holds character `offset` (None when it falls outside)."""
    for start, end in sentence_spans(text):
        if start <= offset < end:
            return start, end
    return None

"""A sentence in its context, and a ready-to-cite quotation: what a reader needs without leaving a list.

The tables give each row's sentence (or quote, or figure) as offsets into the article text. The
neighbouring sentences are found here with a light splitter: a sentence ends at ". ", "? ", "! "
(after closing quotes or brackets) or a blank line, except after a word of
`lib/data/abbreviations.csv` ("Mr.", "Sept.") or a single letter ("U.S.").
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from lib.contract.datafiles import read_csv

NEIGHBOURS = 1  # sentences shown before and after
LONGEST_SIDE = 600  # characters of context kept on either side at most
_END = re.compile(r"[.!?…][\"”’')\]]*\s+|\n\s*\n")
_LAST_WORD = re.compile(r"(\w+)\.$")

# The articles of a few rows, for their context and their citation ($1: article ids).
ARTICLES_SQL = ("SELECT article_id, text, url, title, coalesce(outlet, '') AS outlet FROM articles "
                "WHERE list_contains($1::VARCHAR[], article_id)")


class Excerpt(NamedTuple):
    """A sentence cut into five pieces: context before, the sentence up to the mark, the mark
    (the quote or figure; the whole sentence when there is none), the rest, context after."""

    before: str
    lead: str
    mark: str
    tail: str
    after: str


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(row["word"].lower() for row in read_csv("abbreviations.csv"))


def boundaries(text: str) -> list[int]:
    """Offsets where a sentence of `text` starts (0 first)."""
    starts = [0]
    for found in _END.finditer(text):
        word = _LAST_WORD.search(text[max(0, found.start() - 12): found.start() + 1])
        if word and (word.group(1).lower() in _abbreviations() or (len(word.group(1)) == 1 and word.group(1).isalpha())):
            continue
        if found.end() < len(text):
            starts.append(found.end())
    return starts


def excerpt(text: str, start: int, end: int, mark: tuple[int, int] | None = None,
            neighbours: int = NEIGHBOURS) -> Excerpt:
    """The sentence(s) covering [`start`, `end`) of `text` with `neighbours` sentences either side;
    `mark` (offsets inside the sentence) is the part to highlight."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    starts = boundaries(text)
    first = max(k for k, s in enumerate(starts) if s <= start)
    last = next((k for k, s in enumerate(starts) if s >= max(end, start + 1)), len(starts))
    sentence_start, sentence_end = starts[first], starts[last] if last < len(starts) else len(text)
    context_start = starts[max(0, first - neighbours)]
    context_end = starts[last + neighbours] if last + neighbours < len(starts) else len(text)
    context_start = max(context_start, sentence_start - LONGEST_SIDE)
    context_end = min(context_end, sentence_end + LONGEST_SIDE)
    low, high = mark if mark else (sentence_start, sentence_end)
    low, high = max(sentence_start, min(low, sentence_end)), max(sentence_start, min(high, sentence_end))
    return Excerpt(text[context_start:sentence_start].strip(), text[sentence_start:low], text[low:high],
                   text[high:sentence_end], text[sentence_end:context_end].strip())


def citation(quote: str, speaker: str | None, outlet: str | None, date: str | None, url: str | None) -> str:
    """A quotation ready to paste: “quote” — speaker, outlet, date. URL (unknown parts left out)."""
    said = f"“{' '.join(str(quote).split())}”"
    who = ", ".join(_known(part) for part in (speaker, outlet, date) if _known(part))
    line = f"{said} — {who}." if who else said
    return f"{line} {url}" if _known(url) else line


def _known(value: object) -> str:
    """The text of a value, "" for a missing one (None, NaN, blank)."""
    if value is None or value != value:  # NaN is not equal to itself
        return ""
    return str(value).strip()

"""Datelines ("MOSCOW, Oct. 2, 2024 (Reuters) -") and sentence ends that are not abbreviations.

A dateline opens a wire story with the place, often the date and the agency; it is not part of the
lead sentence, and its date is the publication date (`lib.extract.dates.infer_published`).
"""

from __future__ import annotations

import re
from functools import cache

from lib.contract.datafiles import read_csv

# Place in capitals (optionally ", Country"), a comma, the date, an optional "(Agency)", a dash.
DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'\u2019 -]{1,40}?(?:,\s*[A-Z][A-Za-z.'\u2019 -]{1,30}?)?)\s*"
    r"(?:,\s*(?P<date>[A-Za-z0-9][A-Za-z0-9., ]{2,30}?))?\s*"
    r"(?:\((?P<agency>[^()\n]{1,40})\))?\s*[-\u2013\u2014]+\s+"
)


def dateline(text: str) -> re.Match | None:
    """The dateline at the start of `text`: it needs a date or an agency besides the place."""
    match = DATELINE.match(text)
    if match is None or not (match["date"] or match["agency"]):
        return None
    return match


def dateline_date(text: str) -> str | None:
    """The date written in the dateline ("Oct. 2, 2024"), or None."""
    match = dateline(text)
    return match["date"].strip(" ,") if match and match["date"] else None


def without_dateline(text: str) -> str:
    """`text` with its opening dateline removed."""
    match = dateline(text)
    return text[match.end():] if match else text


@cache
def abbreviations() -> frozenset[str]:
    """Words written with a period that does not end a sentence (`lib/data/abbreviations.csv`)."""
    return frozenset(row["word"].lower() for row in read_csv("abbreviations.csv"))


def ends_sentence(text: str, period: int) -> bool:
    """Whether the punctuation at `period` ends a sentence: not after an abbreviation ("Sept.")
    or initials ("U.S.")."""
    if text[period] != ".":
        return True
    word = re.search(r"([A-Za-z.]+)$", text[:period])
    if word is None:
        return True
    last = word[1]
    return not (last.lower().rstrip(".") in abbreviations() or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", last))


def first_sentence(text: str) -> str:
    """The lead sentence of `text`: up to the first line break or sentence end that is not an
    abbreviation's period."""
    for match in re.finditer(r"[.!?](?=\s)|\n", text):
        if match[0] == "\n" or ends_sentence(text, match.start()):
            return text[:match.start() + (match[0] != "\n")]
    return text

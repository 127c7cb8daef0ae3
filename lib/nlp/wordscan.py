"""Many case-insensitive whole-word patterns matched over one text in one scan, with exactly
the matches each pattern's own `finditer` gives.

Dates try some fifty patterns on every article. A `finditer` pass per pattern costs a
noticeable share of an article's whole processing (docs/performance.md), because Python's
regex engine tries a case-insensitive pattern at every position of the text. `WordPatterns` first finds, in one pass over the lower-cased text with one
case-sensitive pattern, the positions where any of the patterns can match (a lookahead
alternation of them all); each pattern is then tried at those positions only, in `finditer`'s
leftmost, non-overlapping order.

Matching the lower-cased text case-sensitively finds every match that matching the text
case-insensitively finds when the pattern's letters are lower-case ASCII (and no escape spells
a character), and when lower-casing keeps the text's length and no other character of the text
folds to an ASCII letter (the long s, the dotless i, the Kelvin sign). Other patterns, and
other texts, are matched by `finditer` itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lib.simpler import simpler

BEFORE, AFTER = r"(?<![\w-])", r"(?![\w-])"  # a match neither starts nor ends inside a word
FOLDS_TO_ASCII = re.compile(r"(?=[^\x00-\x7f])(?i:[a-z])")  # "ſ", "ı", "K", ... (the class outside
# IGNORECASE: inside it, "[^\x00-\x7f]" would not match "ſ", which folds to "s")
CHARACTER_ESCAPE = re.compile(r"\\[0-9xuUN]")  # \x41, \u0041, \N{...}, octal and back-references
NAMED_GROUP = re.compile(r"\(\?P<(\w+)>")


def _gate_part(core: str, compiled: re.Pattern) -> str | None:
    """`core` made fit for the gate (named groups unnamed: the names repeat across patterns), or
    None when the lower-cased scan might miss one of its matches."""
    literal = re.sub(r"\\.", "", core, flags=re.DOTALL)  # escapes such as \d or \s spell no letter
    if CHARACTER_ESCAPE.search(core) or len(NAMED_GROUP.findall(literal)) != len(compiled.groupindex):
        return None  # a character spelled by its code, or "(?P<" that opens no group
    if not all(_lower_ascii_or_uncased(char) for char in NAMED_GROUP.sub("(?:", literal)):
        return None
    return NAMED_GROUP.sub("(?:", core)


def _lower_ascii_or_uncased(char: str) -> bool:
    """A character that matches the same characters of a lower-cased text with and without
    IGNORECASE: a lower-case ASCII letter, or any character without case ("-", "\u2013")."""
    return (char.isascii() and not char.isupper()) or char.lower() == char.upper()


class WordPatterns:
    """Case-insensitive patterns `(?<![\\w-])(?:core)(?![\\w-])`, one per core, matched together."""

    def __init__(self, cores: Sequence[str]) -> None:
        self.patterns = [re.compile(rf"{BEFORE}(?:{core}){AFTER}", re.IGNORECASE) for core in cores]
        parts = [_gate_part(core, pattern) for core, pattern in zip(cores, self.patterns)]
        self.gated = [part is not None for part in parts]
        alternatives = "|".join(f"(?:{part}){AFTER}" for part in parts if part is not None)
        self.gate = re.compile(rf"{BEFORE}(?={alternatives})") if alternatives else None

    def finditer(self, text: str) -> list[list[re.Match]]:
        """Each pattern's matches in `text`, as its `finditer` gives them."""
        if simpler("wordscan"):
            return [list(pattern.finditer(text)) for pattern in self.patterns]
        starts = self._starts(text)
        found = []
        for pattern, gated in zip(self.patterns, self.gated):
            matches = self._at(pattern, text, starts) if gated and starts is not None else None
            found.append(list(pattern.finditer(text)) if matches is None else matches)
        return found

    def _starts(self, text: str) -> list[int] | None:
        """Where some gated pattern may match; None when the lower-cased scan is not exact here."""
        if self.gate is None:
            return None
        lowered = text.lower()
        if len(lowered) != len(text) or FOLDS_TO_ASCII.search(text):
            return None
        return [m.start() for m in self.gate.finditer(lowered)]

    @staticmethod
    def _at(pattern: re.Pattern, text: str, starts: list[int]) -> list[re.Match] | None:
        """`pattern.finditer(text)` tried at `starts` only (None after an empty match, where
        `finditer`'s rule for what comes next differs)."""
        matches, end = [], 0
        for start in starts:
            if start >= end and (m := pattern.match(text, start)):
                if m.end() == start:
                    return None
                matches.append(m)
                end = m.end()
        return matches

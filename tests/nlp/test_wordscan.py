"""Matching many word patterns in one scan finds exactly what each pattern's `finditer` finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.extract import dates
from lib.nlp.wordscan import WordPatterns
from lib.read.corpus import read_corpus
from tests.conftest import SEEDS

CORES = [
    r"(?:the )?(?P<month>march|may|june)(?: (?P<year>\d{4}))?",
    r"(?P<num>\d+|two|three) (?P<unit>days|weeks) ago",
    r"mid-(?P<month>march)",
    r"so far this year|this year so far",
    r"[A-Z]{2}\d",  # upper-case letters: matched by finditer itself
    r"\x41bc",  # a letter spelled by its code: matched by finditer itself
    r"(?:x)?",  # can match the empty string
]

TEXTS = [
    "In MARCH 2024, three weeks ago, and the May 2023 talks; mid-March, not mid-march-ish.",
    "So far this year trade grew; this year so far AB1 and Abc and abc. xx x",
    "Auguſt and ſo far this year, 2 dayſ ago",  # the long s folds to "s" without IGNORECASE
    "İstanbul talks in June, then KZ1 (Kelvin sign) and ı",  # lower-casing "İ" adds a character
    "",
    "junE-2024 re-May May-day 'May' (June) june2024",
]


def spans(found):
    return [[(m.span(), m.groupdict()) for m in matches] for matches in found]


def expected(scanner: WordPatterns, text: str):
    return spans([list(pattern.finditer(text)) for pattern in scanner.patterns])


@pytest.fixture(scope="module")
def scanner() -> WordPatterns:
    return WordPatterns(CORES)


@pytest.mark.parametrize("text", TEXTS)
def test_same_matches_as_each_patterns_finditer(scanner, text):
    assert spans(scanner.finditer(text)) == expected(scanner, text)


def test_patterns_the_scan_might_miss_are_left_to_finditer(scanner):
    assert scanner.gated == [True, True, True, True, False, False, True]
    assert [m.group() for m in scanner.finditer("Abc abc ABC")[5]] == ["Abc", "abc", "ABC"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["March", "may", "MAY", "june", " ", "-", "mid", "2024", "three", "weeks",
                                 "ago", "ſ", "İ", "\u212a", "so far this year", "x", "AB1", ",", "Abc"]))
       .map("".join))
def test_same_matches_on_any_mix_of_the_words(text):
    scanner = WordPatterns(CORES)
    assert spans(scanner.finditer(text)) == expected(scanner, text)


def test_the_date_rules_are_all_scanned_at_once_and_match_as_before():
    scanner = dates._in_text_patterns()
    assert [rule.search for rule in dates.rules() if rule.search is not None] == scanner.patterns
    assert all(scanner.gated)
    articles, _ = read_corpus(SEEDS)
    for text in [*articles["text"], *TEXTS]:
        assert spans(scanner.finditer(text)) == expected(scanner, text)

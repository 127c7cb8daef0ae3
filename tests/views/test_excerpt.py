"""A sentence in its context and a citation, on short sentences written for these tests."""

from __future__ import annotations

import pytest

from lib.views.excerpt import boundaries, citation, excerpt

TEXT = ("Trade grew last year. Mr. Lavrov said “we stand together” on Sept. 3 in Moscow. "
        "The U.S. objected at once! Talks resume in May.\n\nA new paragraph starts here.")


@pytest.mark.parametrize("inside, sentence", [
    ("Trade grew", "Trade grew last year."),
    ("we stand", "Mr. Lavrov said “we stand together” on Sept. 3 in Moscow."),  # "Mr." and "Sept." end nothing
    ("objected", "The U.S. objected at once!"),  # nor do the letters of "U.S."
    ("resume", "Talks resume in May."),
    ("new paragraph", "A new paragraph starts here."),
])
def test_the_sentence_around_an_offset(inside, sentence):
    at = TEXT.index(inside)
    piece = excerpt(TEXT, at, at + 1)
    assert (piece.lead + piece.mark + piece.tail).strip() == sentence


def test_neighbours_come_on_either_side_and_the_mark_is_cut_out():
    start = TEXT.index("we stand")
    piece = excerpt(TEXT, start, start + len("we stand together"), mark=(start, start + len("we stand together")))
    assert piece.before == "Trade grew last year."
    assert piece.after == "The U.S. objected at once!"
    assert (piece.lead, piece.mark) == ("Mr. Lavrov said “", "we stand together")
    assert piece.tail.startswith("” on Sept. 3")


def test_the_first_and_last_sentences_have_one_side_only():
    assert excerpt(TEXT, 0, 5).before == ""
    assert excerpt(TEXT, len(TEXT) - 3, len(TEXT)).after == ""


def test_boundaries_start_at_zero_and_at_each_sentence():
    starts = boundaries(TEXT)
    assert [TEXT[s:s + 5] for s in starts] == ["Trade", "Mr. L", "The U", "Talks", "A new"]


@pytest.mark.parametrize("parts, expected", [
    (("we agree", "Sergei Lavrov", "TASS", "2024-03-01", "https://example.org/a"),
     "“we agree” — Sergei Lavrov, TASS, 2024-03-01. https://example.org/a"),
    (("we  agree\n again", None, "TASS", float("nan"), None), "“we agree again” — TASS."),
    (("no limits", None, None, None, None), "“no limits”"),
])
def test_a_citation_names_what_is_known(parts, expected):
    assert citation(*parts) == expected

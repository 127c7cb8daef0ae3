"""Copies of a story: identical or lightly edited texts are linked, different reports are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.read.copies import NEAR_COPY_JACCARD, copy_of, extraction_twins, signature, similarity
from tests.conftest import SEEDS

WIRE = (Path(__file__).parents[1] / "fixtures" / "bad_corpus" / "wire_story.txt").read_text(encoding="utf-8")
PARAGRAPHS = WIRE.split("\n\n")


def edited(headline: str | None = None, byline: str | None = None, added: str | None = None) -> str:
    """The wire story as another outlet runs it."""
    parts = [headline or PARAGRAPHS[0], byline or PARAGRAPHS[1], *PARAGRAPHS[2:]]
    return "\n\n".join(parts + ([added] if added else []))


@pytest.mark.parametrize(
    "text",
    [
        edited(headline="Moscow and Beijing seal pipeline pact"),
        edited(byline="By Daily Three staff, with Example Wire"),
        edited(added="Analysts in Moscow said the deal would help Russia make up for gas sales lost in Europe."),
        edited("Gas deal signed", "From our correspondent", "The pipeline runs 3,000 km from Yakutia to China."),
        WIRE.upper(),  # case and spacing do not matter
        " ".join(WIRE.split()),
    ],
)
def test_a_lightly_edited_story_is_a_near_copy(text):
    assert similarity(signature(WIRE), signature(text)) >= NEAR_COPY_JACCARD
    assert copy_of(["h0", "h1"], [signature(WIRE), signature(text)]) == [None, 0]


def test_different_reports_are_not_copies():
    seeds = [signature(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    assert copy_of([str(i) for i in range(len(seeds))], seeds) == [None] * len(seeds)
    half = "\n\n".join(PARAGRAPHS[:3])  # the same lead, the rest of the story missing
    assert similarity(signature(WIRE), signature(half)) < NEAR_COPY_JACCARD


def test_identical_texts_link_to_the_first_copy_and_chains_to_the_first_of_all():
    near = signature(edited(headline="Another headline"))
    nearer = signature(edited(headline="Another headline", added="One more paragraph about the deal and its price."))
    other = signature("Putin met Xi in Astana on Wednesday, the Kremlin said.")
    links = copy_of(["w", "x", "w", "y", "z"], [signature(WIRE), other, signature(WIRE), near, nearer])
    assert links == [None, None, 0, 0, 0]


def test_signature_is_stable_and_handles_texts_without_words():
    assert signature(WIRE) == signature(WIRE)
    assert signature("") == signature("…") and similarity(signature(""), signature("Putin met Xi.")) == 0


def test_extraction_twins_need_the_same_text_and_date_and_prefer_one_already_extracted():
    records = [{"content_hash": "t", "published": "2024-05-16"}, {"content_hash": "t", "published": None},
               {"content_hash": "t", "published": "2024-05-16"}, {"content_hash": "u", "published": None},
               {"content_hash": "t", "published": "2024-05-16"}]
    assert extraction_twins(records) == {2: 0, 4: 0}
    assert extraction_twins(records, ready={2}) == {0: 2, 4: 2}

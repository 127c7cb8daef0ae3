"""Line breaks as sentence boundaries: a headline, byline or dateline is a sentence of its own,
while the line breaks of hard-wrapped text stay inside their sentences."""

from __future__ import annotations

import pytest

from lib.nlp import paragraphs


def sentences(nlp, text: str) -> list[str]:
    return [sent.text.strip() for sent in nlp(text).sents]


def test_the_component_runs_just_before_the_parser(nlp):
    names = nlp.pipe_names
    assert names.index(paragraphs.COMPONENT) + 1 == names.index("parser")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Putin, Xi sign joint statement\n\nBy Staff Writer\n\nMay 16, 2024\n\nPutin arrived in Beijing on Thursday.",
         ["Putin, Xi sign joint statement", "By Staff Writer", "May 16, 2024", "Putin arrived in Beijing on Thursday."]),
        ("China and Russia deepen energy ties\nMoscow and Beijing signed a deal on Tuesday.",
         ["China and Russia deepen energy ties", "Moscow and Beijing signed a deal on Tuesday."]),
        ("Trade grew in 2023.\nIt was a record for both countries.",
         ["Trade grew in 2023.", "It was a record for both countries."]),
    ],
)
def test_a_line_of_its_own_is_a_sentence_of_its_own(nlp, text, expected):
    assert sentences(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HONG KONG, Sept 5 (Bloomberg) -- Sinopec and Rosneft agreed to study a refinery.",
         ["HONG KONG, Sept 5 (Bloomberg) --", "Sinopec and Rosneft agreed to study a refinery."]),
        ("Oil prices rise\n\nLONDON (Reuters) - Oil prices rose on Monday.",
         ["Oil prices rise", "LONDON (Reuters) -", "Oil prices rose on Monday."]),
        ("WASHINGTON, May 3, 2024 (AP) \u2014 The United States warned China on Friday.",
         ["WASHINGTON, May 3, 2024 (AP) \u2014", "The United States warned China on Friday."]),
    ],
)
def test_a_dateline_is_a_sentence_of_its_own(nlp, text, expected):
    assert sentences(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    ["NATO - the alliance - said on Monday it would respond.", "US, China - a rivalry that shapes the decade",
     "Xi met Putin (again) - and agreed on 12 points."],
)
def test_a_line_that_only_looks_like_a_dateline_is_left_whole(nlp, text):
    assert sentences(nlp, text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "Russian President Vladimir Putin arrived in Beijing on Thursday for a\n"
        "two-day state visit, his first foreign trip since being sworn in for\n"
        "a fifth term in office.",
        "Xi Jinping greeted Putin at the Great Hall of the People and the two\n"
        "leaders then signed a joint statement on deepening their partnership.",
    ],
)
def test_hard_wrapped_lines_stay_one_sentence(nlp, text):
    assert len(sentences(nlp, text)) == 1


def test_a_blank_line_ends_a_sentence_even_in_hard_wrapped_text(nlp):
    text = ("Russia and China signed a deal\non energy that runs until\nthe end of the decade\n\n"
            "Officials said more would follow.")
    assert sentences(nlp, text) == ["Russia and China signed a deal\non energy that runs until\nthe end of the decade",
                                    "Officials said more would follow."]


@pytest.mark.parametrize(
    ("text", "wrapped"),
    [
        ("Headline\nBody one.\nBody two.", False),
        ("one line that goes\non and\non", True),
        ("Headline\n\nbody in lower case after a blank line.", False),
        ("A paragraph.\nAnother paragraph.\nA third one that wraps\nhere.\nAnd a fourth.\nFifth.", False),
    ],
)
def test_hard_wrapped_text_is_told_by_its_lines_going_on_in_lower_case(nlp, text, wrapped):
    doc = nlp.make_doc(text)
    assert paragraphs.hard_wrapped(doc, paragraphs.breaks(doc)) is wrapped

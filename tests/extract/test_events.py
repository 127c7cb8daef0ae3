"""Dated events: one per dated sentence, with actors and a short summary; linking across articles."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from lib.contract.schema import conform
from lib.crossarticle.linking import _date_pairs, dates_compatible, link_events
from lib.extract.actors import extract_actors
from lib.extract.dates import extract_dates
from lib.extract.events import extract_events

WEDNESDAY = dt.date(2023, 5, 24)
NAMES = {"Xi": "Xi Jinping", "Putin": "Vladimir Putin", "Mishustin": "Mikhail Mishustin", "China": "China",
         "Russia": "Russia", "Beijing": "China", "Moscow": "Russia"}


def hand_made_actors(text: str, article_id: str) -> pd.DataFrame:
    rows = [{"article_id": article_id, "actor": actor, "actor_type": "country", "surface": m.group(0),
             "start": m.start(), "end": m.end()}
            for surface, actor in NAMES.items() for m in re.finditer(rf"\b{surface}\b", text)]
    return conform(pd.DataFrame(rows), "actors")


def events_of(nlp, text: str, article_id: str = "a") -> pd.DataFrame:
    doc = nlp(text)
    return extract_events(doc, article_id, extract_dates(doc, article_id, WEDNESDAY),
                          hand_made_actors(text, article_id))


def test_one_event_per_dated_sentence(nlp):
    text = "Xi met Putin in Moscow on Wednesday. Relations are close. Russia sold more oil to China last year."
    frame = events_of(nlp, text)
    assert list(frame["date"]) == ["2023-05-24", "2022"]
    assert list(frame["precision"]) == ["day", "year"]
    first = frame.iloc[0]
    assert text[first["start"]:first["end"]].strip() == "Xi met Putin in Moscow on Wednesday."


def test_actors_are_unique_and_in_order(nlp):
    frame = events_of(nlp, "Beijing and Moscow, China and Russia, met on Tuesday as Xi hosted Putin.")
    assert frame.iloc[0]["actors"] == ["China", "Russia", "Xi Jinping", "Vladimir Putin"]


def test_most_precise_date_of_the_sentence_wins(nlp):
    frame = events_of(nlp, "Mishustin predicted on Tuesday that trade would rise from $190 billion in 2022.")
    assert frame.iloc[0]["date"] == "2023-05-23"


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        ("Mao Ning, a spokesperson for the foreign ministry of the People's Republic of China who often speaks "
         "to the press, criticised the plan of the North Atlantic alliance and its many partners in Europe and "
         "in Asia on Wednesday.",
         "Mao Ning criticised the plan", "spokesperson"),
        ("After the summit ended, Xi hosted Putin in Beijing on Tuesday.", "Xi hosted Putin in Beijing",
         "summit ended"),
    ],
)
def test_summary_is_the_main_clause(nlp, text, kept, dropped):
    summary = events_of(nlp, text).iloc[0]["summary"]
    assert kept in summary and dropped not in summary


def test_summary_is_short(nlp):
    text = ("On Tuesday, the agency reported that officials from both countries, who had met many times before, "
            "had agreed to expand cooperation in energy, agriculture, finance, transport, science, technology, "
            "education, culture, sport and tourism over the coming decade, according to a statement.")
    summary = events_of(nlp, text).iloc[0]["summary"]
    assert 0 < len(summary) <= 160


def test_sentence_without_pinned_date_gives_no_event(nlp):
    assert events_of(nlp, "Ties have grown in recent years. China and Russia are partners.").empty


@pytest.mark.parametrize(
    "line",
    ["MOSCOW, May 24 (Reuters) -", "May 24, 2023", "BEIJING, May 24, 2023 (Xinhua) --", "Wednesday, 24 May 2023",
     "Published: 24 May 2023", "Last updated 24 May 2023"],
)
def test_a_dateline_or_a_line_of_only_a_date_is_no_event(nlp, line):
    frame = events_of(nlp, f"Xi and Putin meet again\n\n{line}\n\nXi met Putin in Moscow on Tuesday.")
    assert list(frame["date"]) == ["2023-05-23"]
    assert frame.iloc[0]["summary"].startswith("Xi met Putin in Moscow")


def test_a_sentence_that_opens_like_metadata_can_still_report(nlp):
    frame = events_of(nlp, "Updated figures published on Tuesday showed that Russia sold more oil to China.")
    assert list(frame["date"]) == ["2023-05-23"]


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        ("Wang Yi met Lavrov on Monday. He said the two sides had agreed on talks this year.", ["Wang Yi"]),
        ("Gazprom raised output. It said exports to China grew in 2022.", ["Gazprom", "China"]),
        ("He said trade grew in 2022.", []),  # nobody named before
        ("Xi met Putin. Officials met in Astana. Then talks stalled. He said trade grew in 2022.", []),  # too far back
    ],
)
def test_a_subject_pronoun_stands_for_the_actor_named_just_before(nlp, text, actors):
    doc = nlp(text)
    found = extract_actors(doc, "a", WEDNESDAY)
    frame = extract_events(doc, "a", extract_dates(doc, "a", WEDNESDAY), found)
    assert frame.iloc[-1]["actors"] == actors


def test_a_headline_does_not_take_the_lead_sentences_date_and_actors(nlp):
    text = "China and Russia sign deal\n\nBy Staff Writer\n\nXi met Putin in Moscow on Tuesday."
    frame = events_of(nlp, text)
    assert len(frame) == 1 and text[frame.iloc[0]["start"]:].startswith("Xi met Putin")
    assert frame.iloc[0]["actors"] == ["Xi Jinping", "Vladimir Putin", "Russia"]


def event(article_id, start, date, actors, summary):
    return {"article_id": article_id, "date": date, "precision": "day", "actors": actors, "summary": summary,
            "start": start, "end": start + 50}


LINKED = [
    event("a", 0, "2023-05-24", ["Xi Jinping", "Mikhail Mishustin"], "Xi met Mishustin in Beijing"),
    event("b", 10, "2023-05-24", ["Mikhail Mishustin", "Xi Jinping", "China"],
          "Russian Prime Minister Mishustin held talks with Xi Jinping in Beijing"),
]


def test_reports_of_one_event_share_an_id():
    frame = link_events(conform(pd.DataFrame(LINKED), "events"))
    assert frame["event_id"].nunique() == 1
    assert frame["event_id"].iloc[0].startswith("ev-")


@pytest.mark.parametrize(
    "other",
    [
        event("b", 10, "2023-05-19", ["Mikhail Mishustin", "Xi Jinping"], "Xi met Mishustin in Beijing"),
        event("b", 10, "2023-05-24", ["Joe Biden"], "Xi met Mishustin in Beijing"),
        event("a", 99, "2023-05-24", ["Xi Jinping", "Mikhail Mishustin"], "Xi met Mishustin in Beijing"),
    ],
    ids=["different date", "no shared actor", "same article"],
)
def test_unrelated_events_keep_their_own_ids(other):
    frame = link_events(conform(pd.DataFrame([LINKED[0], other]), "events"))
    assert frame["event_id"].nunique() == 2


def test_wire_copy_links_once_per_article():
    """One report word for word in three articles, twice in the first: each article's first copy
    joins one event; the second copy in article "a" stays an event of its own."""
    copy = LINKED[0]
    rows = [copy, {**copy, "start": 200}, {**copy, "article_id": "b"}, {**copy, "article_id": "c"}]
    frame = link_events(conform(pd.DataFrame(rows), "events"))
    ids = frame["event_id"].tolist()
    assert ids[0] == ids[2] == ids[3]
    assert ids[1] != ids[0]


def test_actors_in_another_order_are_the_same_report_and_only_event_id_changes():
    """"A report" is its set of actors: listed in any order, it links the same; linking changes
    nothing but `event_id`."""
    copy = LINKED[0]
    rows = [*LINKED, {**copy, "article_id": "c", "actors": copy["actors"][::-1]}, {**copy, "article_id": "d", "date": None}]
    frame = conform(pd.DataFrame(rows), "events")
    linked = link_events(frame)
    assert len(set(linked["event_id"].tolist()[:3])) == 1 and linked["event_id"].iat[3] != linked["event_id"].iat[0]
    pd.testing.assert_frame_equal(linked.drop(columns="event_id"), frame.drop(columns="event_id"))


def test_linking_is_deterministic_whatever_the_order():
    forward = link_events(conform(pd.DataFrame(LINKED), "events"))
    backward = link_events(conform(pd.DataFrame(LINKED[::-1]), "events"))
    assert set(forward["event_id"]) == set(backward["event_id"])


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("2023-05-24", "2023-05-24", True), ("2023-05-24", "2023-05-23", False),
     ("2023-01-01/2023-03-31", "2023-03-01/2023-05-24", True), ("2023-01-01/2023-02-28", "2023-03-01/2023-05-24", False),
     (None, "2023", False)],
)
def test_dates_compatible(a, b, expected):
    assert dates_compatible(a, b) is expected


@pytest.mark.parametrize(
    "dates",
    [["2023-05-24", None, "2023-05-24", "2023-01-01/2023-03-31", "2023", "2023-02-01/2023-02-28", "2023-05-24"],
     [None, None, "2023-01-01/2023-12-31"], ["2023-05-24"], []],
)
def test_date_blocking_keeps_every_pair_that_could_link(dates):
    """Only pairs of equal dates or of two ranges are compared; no other pair can be compatible."""
    expected = [(i, j) for i in range(len(dates)) for j in range(i + 1, len(dates))
                if dates[i] == dates[j] or all(isinstance(d, str) and "/" in d for d in (dates[i], dates[j]))]
    assert list(_date_pairs(dates)) == expected
    assert all(not dates_compatible(dates[i], dates[j]) for i in range(len(dates)) for j in range(len(dates))
               if i < j and (i, j) not in expected)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Putin visited Beijing in October, after Xi travelled to Moscow on March 20.", "2022-10"),
        ("Since February, Xi has promoted a peace plan.", "2023-02"),
        ("His trip this week is the highest-level visit by a Russian official to China since the invasion "
         "of Ukraine last year.", "2023-05-22/2023-05-28"),
        ("Before the summit on June 3, Xi met Putin in March.", "2023-03"),
        ("Trade grew 30% last year.", "2022"),
    ],
)
def test_the_main_clause_dates_the_event(nlp, text, date):
    assert list(events_of(nlp, text)["date"]) == [date]


@pytest.mark.parametrize(
    "text",
    [
        "The premier, the first to visit Beijing since Moscow sent troops to Ukraine in February 2022, held talks.",
        "It was a rare trip abroad for the Russian leader after a court issued a warrant against him in March.",
        "Xi met Putin after March.",
    ],
)
def test_a_date_of_a_subordinate_clause_dates_nothing(nlp, text):
    assert events_of(nlp, text).empty


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Officials said trade would rise by 10% in 2025.", "forecast"),
        ("Energy shipments are projected to increase by 40% this year.", "forecast"),
        ("Putin is set to travel to Beijing on Friday.", "forecast"),
        ("On Friday, the envoy is set to travel to Russia.", "forecast"),
        ("Mishustin predicted on Tuesday that trade would grow.", "actual"),
        ("Xi met Putin in Moscow in March.", "actual"),
    ],
)
def test_forecasts_and_plans_are_marked(nlp, text, kind):
    assert list(events_of(nlp, text)["kind"]) == [kind]

"""An outlet as the Outlet page shows it, on the outlet test corpus: TASS gives 2022 trade as
$185 billion where Xinhua and Reuters give $190 billion; an unknown outlet carries a copy of a
TASS story about gas supplies; only Reuters gives the growth of oil exports."""

from __future__ import annotations

import pytest

from lib.views import outlet_profile
from tests.views.outlet_run import open_run


@pytest.fixture(scope="module")
def run(outlet_tables):
    query, warehouse = open_run(outlet_tables)
    yield query
    warehouse.close()


def test_outlets_are_listed_most_articles_first(run):
    listed = outlet_profile.outlets(run)
    assert listed["outlet"].tolist()[:2] == ["TASS", "Xinhua"]
    assert set(listed["outlet"]) == {"TASS", "Xinhua", "Reuters", "Eurasia Wire Daily"}
    assert dict(zip(listed["outlet"], listed["articles"]))["TASS"] == 2


@pytest.mark.parametrize(
    ("outlet", "expected"),
    [
        ("TASS", {"country": "Russia", "ownership": "state", "kind": "agency", "group": "Russian state media",
                  "articles": 2, "stories": 2, "copies": 0, "first": "2023-03-02", "last": "2023-05-15"}),
        ("Xinhua", {"country": "China", "group": "Chinese state media", "articles": 2}),
        ("Reuters", {"country": "United Kingdom", "ownership": "private", "group": "Western private media"}),
        ("Eurasia Wire Daily", {"country": None, "ownership": None, "kind": None, "group": "unknown outlet",
                                "copies": 1}),
    ],
)
def test_profile(run, outlet, expected):
    found = outlet_profile.profile(run, outlet)
    assert {key: found[key] for key in expected} == expected


def test_articles_name_the_story_a_copy_repeats(run):
    rows = outlet_profile.articles(run, "Eurasia Wire Daily")
    assert rows["article_id"].tolist() == ["e_unknown"]
    row = rows.iloc[0]
    assert outlet_profile.copy_note(row["copy_of"], row["copy_title"], row["copy_source"]) == \
        "copy of “Gas deliveries grow” (TASS)"
    tass = outlet_profile.articles(run, "TASS")
    assert tass["article_id"].tolist() == ["d_tass", "b_tass"]  # newest first
    assert [outlet_profile.copy_note(*r) for r in zip(tass["copy_of"], tass["copy_title"], tass["copy_source"])] \
        == ["", ""]


def test_what_it_covers_most(run):
    actors = outlet_profile.top_actors(run, "TASS", 3)
    assert actors.iloc[0]["actor"] == "China" and actors.iloc[0]["articles"] == 2
    assert len(actors) == 3
    measures = outlet_profile.top_metrics(run, "TASS")
    assert set(measures["metric"]) == {"bilateral trade", "gas supply"}  # readable names


def test_a_contested_fact_shows_the_other_outlets_value_side_by_side(run):
    facts = outlet_profile.contested_facts(run, "TASS")
    assert len(facts) == 1
    fact = facts.iloc[0]
    assert fact["says"] == "$185 billion"
    assert fact["others say"] == "$190 bn (Reuters, Xinhua)"
    assert fact["difference"] == "$185 bn vs $190 bn, 2.6%"
    assert fact["article_id"] == "b_tass"
    reuters = outlet_profile.contested_facts(run, "Reuters").iloc[0]
    assert reuters["others say"] == "$185 bn (TASS)"


def test_facts_only_its_story_carries(run):
    reuters = outlet_profile.alone_facts(run, "Reuters")
    assert reuters["says"].tolist() == ["24%"]  # its trade figure is also Xinhua's
    tass = outlet_profile.alone_facts(run, "TASS").set_index("says")
    assert set(tass.index) == {"$185 billion", "22.7 billion cubic metres"}
    assert tass.loc["$185 billion", "conflict"]
    assert tass.loc["22.7 billion cubic metres", "copies in"] == "Eurasia Wire Daily"  # a copy, not another story
    assert outlet_profile.alone_facts(run, "Xinhua").empty


def test_an_outlet_without_articles_has_none(run):
    assert outlet_profile.articles(run, "Nobody").empty
    assert outlet_profile.contested_facts(run, "Nobody").empty
    assert outlet_profile.profile(run, "Nobody")["articles"] == 0

"""The Compare sources page: facts × sources, quote wordings side by side, coverage, URL-bound sources."""

from __future__ import annotations

from urllib.parse import parse_qs

import pandas as pd

from lib.contract.tableio import read_tables
from tests.conftest import page

KEY = "src"
SCMP, AFP, BLOOMBERG = "South China Morning Post", "AFP", "Bloomberg"  # the seeds' outlets (seeds/sources.csv)
UNKNOWN_001 = "unknown outlet · 2023-05-24 · China on Wednesday staged…"
UNKNOWN_004 = "unknown outlet · 2023-05-24 · As part of bilateral…"
SOURCES = [AFP, BLOOMBERG, SCMP, UNKNOWN_004, UNKNOWN_001]  # in name order


def frame_with(at, column: str) -> pd.DataFrame:
    """The first data frame of the page that has `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def link_target(at, key: str, row: int, column: str) -> tuple[str, int]:
    """(article, offset) of the sentence a selected cell of the matrix `key` opens, same tab."""
    at.session_state[key] = {"selection": {"rows": [], "columns": [], "cells": [(row, column)]}}
    at.run()
    assert not at.exception
    link = next(e for e in at.get("page_link") if e.proto.label == "Open the sentence in the article")
    query = parse_qs(link.proto.query_string)
    return query["article"][0], int(query["at"][0])


def test_all_sources_by_default_with_the_shared_facts(app_data):
    at = page("compare").run()
    assert not at.exception
    assert at.multiselect(key=KEY).value == SOURCES
    facts = frame_with(at, "conflict")
    trade = facts[facts["label"] == "bilateral trade · 2022 · $190 bn"].iloc[0]
    assert trade["sources"] == 2 and not trade["conflict"]
    texts = read_tables(app_data)["articles"].set_index("article_id")["text"]
    row = facts.index[facts["label"] == "bilateral trade · 2022 · $190 bn"][0]
    for source, article_id in ((AFP, "002_3449a7e67f893c9d"), (UNKNOWN_004, "004_37be19fe9c2cb324")):
        assert trade[source] == "$190 billion"
        article, at_offset = link_target(at, "facts_matrix", row, source)
        assert article == article_id
        assert texts[article][at_offset:at_offset + 12] == "$190 billion"  # the cell leads to the figure
    assert trade[SCMP] is None or pd.isna(trade[SCMP])
    energy = facts[facts["label"].str.startswith("energy supply")].iloc[0]
    assert energy["sources"] == 3


def view(name: str):
    """The page opened on one tab (only the open tab is computed)."""
    at = page("compare")
    at.query_params["view"] = name
    return at.run()


def test_quote_wordings_side_by_side_with_their_differences_marked(app_data):
    at = view("Quotes")
    bodies = [h.proto.body for h in at.get("html")]
    trimmed = [b for b in bodies if "unprecedented" in b]
    assert len(trimmed) == 2  # the two wordings of Mishustin's remark
    assert any(">high</span>" in b for b in trimmed)  # the word one wording lacks is marked
    links = [e.proto.query_string for e in at.get("page_link") if e.proto.label == "Open the sentence"]
    assert any("article=001_c082953bc7ab4014" in v for v in links)
    assert not any("<script" in b for b in bodies)


def test_actor_coverage_and_what_only_one_source_reports(app_data):
    at = view("Actors and events")
    assert not at.exception
    actors = next(d.value for d in at.dataframe if "label" in d.value and "China" in set(d.value["label"]))
    china = actors[actors["label"] == "China"].iloc[0]
    assert china["sources"] == 5
    assert link_target(at, "actor_matrix", int(actors.index[actors["label"] == "China"][0]), BLOOMBERG)[0] == (
        "003_8d543dddf1d6987b")
    at = view("Only one source")
    alone = frame_with(at, "what")
    assert {"source", "kind", "what"} <= set(alone.columns)
    assert alone["source"].iloc[0] == AFP  # sources in name order
    at.session_state["alone_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    link = next(e for e in at.get("page_link") if e.proto.label == "Open the sentence in the article")
    assert link.proto.query_string.startswith("article=002_3449a7e67f893c9d&at=")


def test_sources_from_the_url_restrict_the_comparison(app_data):
    at = page("compare")
    at.query_params[KEY] = [AFP, UNKNOWN_004]
    at.run()
    assert not at.exception
    assert at.multiselect(key=KEY).value == [AFP, UNKNOWN_004]
    facts = frame_with(at, "conflict")
    assert [c for c in facts.columns if c in SOURCES] == [AFP, UNKNOWN_004]
    assert "shipping time · no period · almost half" not in set(facts["label"])  # only in article 000


def test_choosing_sources_updates_the_comparison(app_data):
    at = page("compare").run()
    at.multiselect(key=KEY).set_value([UNKNOWN_001, AFP]).run()
    assert not at.exception
    facts = frame_with(at, "conflict")
    assert facts[facts["label"].str.startswith("energy supply")]["sources"].tolist() == [2]


def test_one_source_asks_for_another(app_data):
    at = page("compare")
    at.query_params[KEY] = AFP
    at.run()
    assert not at.exception
    assert "at least two sources" in at.info[0].value


def test_unknown_sources_in_the_url_are_ignored(app_data):
    at = page("compare")
    at.query_params[KEY] = "<script>alert(1)</script>"
    at.run()
    assert not at.exception
    assert at.multiselect(key=KEY).value == SOURCES


def test_only_the_open_tab_is_computed(app_data):
    at = page("compare").run()
    assert not at.exception
    assert len(at.dataframe) == 1 and "conflict" in at.dataframe[0].value  # the facts only
    assert not at.get("html")


def test_actors_are_paginated_with_the_page_in_the_url(app_data):
    first = view("Actors and events")
    actors = frame_with(first, "label")
    assert len(actors) == 50 and actors["sources"].is_monotonic_decreasing
    assert any(c.value.startswith("1–50 of 55 actors") for c in first.caption)
    at = page("compare")
    at.query_params["view"] = "Actors and events"
    at.query_params["actors_page"] = "2"
    at.run()
    assert not at.exception
    rest = frame_with(at, "label")
    assert len(rest) == 5 and not set(rest["label"]) & set(actors["label"])


def test_choosing_other_sources_goes_back_to_the_first_page(app_data):
    at = page("compare")
    at.query_params["view"] = "Only one source"
    at.query_params["alone_page"] = "2"
    at.run()
    assert any(c.value.startswith("51–100 of") for c in at.caption)
    at.multiselect(key=KEY).set_value(SOURCES[1:]).run()
    assert not at.exception
    assert at.session_state["alone_page"] == 1
    assert any(c.value.startswith("1–50 of") for c in at.caption)


def test_the_caption_says_how_many_sources_are_compared(app_data):
    at = page("compare")
    at.query_params[KEY] = SOURCES[:3]
    at.run()
    assert any(c.value.startswith("Comparing 3 of 5 sources") for c in at.caption)
    assert not any(c.value.startswith("Comparing") for c in page("compare").run().caption)  # all 5 by default


def test_every_quotation_is_listed_by_source(app_data):
    at = view("Quotes")
    assert not at.exception
    statements = frame_with(at, "label")
    assert len(statements) == 34 and statements["sources"].max() == 2  # all 34 fit on one page
    assert [c for c in statements.columns if c in SOURCES] == SOURCES


def test_two_articles_that_disagree_are_two_facts_side_by_side_with_the_difference(conflict_tables, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA", str(conflict_tables))
    at = page("compare").run()
    assert not at.exception
    assert at.multiselect(key=KEY).value == ["TASS", "Xinhua"]
    facts = frame_with(at, "conflict").set_index("label")
    assert facts["conflict"].all() and len(facts) == 2
    assert facts.at["bilateral trade · 2022 · $185 bn", "disagrees with"] == (
        "$185 bn vs $190 bn, 2.6% (Xinhua)")
    assert facts.at["bilateral trade · 2022 · $190 bn", "disagrees with"] == (
        "$190 bn vs $185 bn, 2.6% (TASS)")
    assert facts.at["bilateral trade · 2022 · $185 bn", "TASS"] == "$185 billion"
    assert pd.isna(facts.at["bilateral trade · 2022 · $185 bn", "Xinhua"])  # Xinhua does not say it
    assert at.metric[1].value == "2"  # facts in conflict



def test_facts_grid_leaves_omitted_cells_blank(app_data):
    at = page("compare").run()
    styler = next(d for d in at.dataframe if "conflict" in d.value.columns)
    trade = styler.value.set_index("label").loc["bilateral trade · 2022 · $190 bn"]
    assert pd.isna(trade[SCMP])  # the data: no link
    assert b"None" not in styler.proto.arrow_data.styler.display_values  # the display: a blank cell, not "None"

"""A story carried by several outlets counts once: one wire story carried by AFP and Reuters as
identical copies and by TASS lightly edited, and one story of Xinhua's of its own."""

from __future__ import annotations

import pytest

from lib.views import event_lanes, figure_series, quote_search
from lib.views.warehouse import Warehouse
from tests.conftest import page
from tests.pages.test_page_charts import table, traces
from tests.pages.test_page_timeline import chart

WIRE = (
    "Chinese President Xi Jinping met Russian President Vladimir Putin in Beijing on May 16, 2024, "
    "and the two leaders signed a joint statement on deepening their partnership. "
    "Bilateral trade between China and Russia reached $240 billion in 2023, according to Chinese customs data. "
    "\"Our relations are not directed against anyone,\" Putin told reporters after the talks in the Great Hall. "
    "The visit was Putin's first trip abroad since his inauguration for a fifth term earlier this month, "
    "and officials said the talks covered energy, finance and the war in Ukraine."
)
ADDED = "Analysts in Moscow said the statement offered few concrete commitments on a new gas pipeline."
OTHER = (
    "Russian Prime Minister Mikhail Mishustin visited Shanghai on March 12, 2024, to open an industrial fair. "
    "Energy exports from Russia to China rose by 15% in 2023, the Russian energy ministry said. "
    "\"We are building new routes for our goods,\" Mishustin said at the opening ceremony of the fair."
)
ARTICLES = {
    "afp.txt": ("Xi and Putin meet in Beijing", "AFP", WIRE),
    "reuters.txt": ("Xi and Putin meet in Beijing", "Reuters", WIRE),
    "tass.txt": ("Putin and Xi sign statement", "TASS", WIRE + "\n\n" + ADDED),
    "xinhua.txt": ("Mishustin opens Shanghai fair", "Xinhua", OTHER),
}


@pytest.fixture(scope="module")
def copied_tables(tmp_path_factory):
    """The four articles preprocessed once."""
    from lib.run.preprocess import run

    src, out = tmp_path_factory.mktemp("copied_src"), tmp_path_factory.mktemp("copied_tables")
    rows = ["file,title,outlet,published,url"]
    for name, (title, outlet, text) in ARTICLES.items():
        (src / name).write_text(text, encoding="utf-8")
        rows.append(f"{name},{title},{outlet},2024-05-17,")
    (src / "sources.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    run(src, out, progress=False)
    return out


@pytest.fixture
def copied_data(copied_tables, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA", str(copied_tables))
    return copied_tables


@pytest.fixture
def warehouse(copied_tables):
    opened = Warehouse(copied_tables)
    yield opened
    opened.close()


def test_overview_counts_the_copied_story_once_and_sources_as_outlets(copied_data):
    at = page("overview").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Articles"], metrics["Stories"], metrics["Outlets"]) == ("4", "2", "4")
    assert any(c.value.startswith("Articles: 4 · Stories: 2") for c in at.caption)


def facts(at):
    """The Compare page's facts table."""
    return next(d.value for d in at.dataframe if "conflict" in d.value.columns)


def test_compare_says_a_fact_is_one_story_carried_by_several_outlets(copied_data):
    at = page("compare").run()
    assert not at.exception
    trade = facts(at).set_index("label").loc["bilateral trade · 2023 · $240 bn"]
    assert (trade["stories"], trade["sources"], trade["copies"]) == (1, 3, "one story carried by 3 outlets")
    at.multiselect(key="src").set_value(["AFP", "Reuters", "Xinhua"]).run()
    table = facts(at).set_index("label")
    assert table.at["bilateral trade · 2023 · $240 bn", "copies"] == "one story carried by 2 outlets"
    assert table.at["bilateral trade · 2023 · $240 bn", "stories"] == 1
    assert table["copies"].tolist().count("") == len(table) - 1  # Xinhua's own facts are no copies


def test_compare_says_a_statement_is_one_story_carried_by_several_outlets(copied_data):
    at = page("compare")
    at.query_params["view"] = "Quotes"
    at.query_params["src"] = ["AFP", "Reuters"]
    at.run()
    assert not at.exception
    headings = [m.value for m in at.markdown if m.value.startswith("**Vladimir Putin**")]
    assert len(headings) == 1 and headings[0].endswith(" · one story carried by 2 outlets")


def test_the_timeline_counts_the_event_in_one_story(warehouse):
    events = event_lanes.build_events(warehouse).set_index("summary")
    meeting = events[events.index.str.startswith("Chinese President Xi Jinping met")].iloc[0]
    assert (meeting["n_sources"], meeting["n_articles"], meeting["n_stories"]) == (3, 3, 1)


def test_chart_reports_of_the_copied_story_count_once(warehouse):
    warehouse.derive(figure_series.CHART_FIGURES, figure_series.chart_figures)
    stats = warehouse.query(figure_series.point_stats_sql("TRUE"), [figure_series.MONEY]).iloc[0]
    assert (stats["points"], stats["reports"], stats["stories"]) == (1, 3, 1)
    assert figure_series.story_note(3, 1) == " (1 counting a copied story once)"


def test_quote_summary_counts_the_speakers_story_once(warehouse):
    warehouse.derive(quote_search.QUOTE_ROWS, quote_search.quote_rows)
    summary = warehouse.query(quote_search.summary_sql("TRUE"), [10, 0]).set_index("speaker")
    putin = summary.loc["Vladimir Putin"]
    assert (putin["quotes"], putin["sources"], putin["articles"], putin["stories"]) == (3, 3, 3, 1)


def test_charts_hover_says_the_copied_story_is_one_story_carried_by_three_sources(copied_data):
    at = page("charts").run()
    assert not at.exception
    hovers = [h for t in traces(at, "chart_money_figures") if t.get("mode") == "markers" for h in t.get("hovertext") or []]
    trade = [h for h in hovers if "· 2023 (actual)" in h]
    assert len(trade) == 1 and "1 story carried by 3 sources: AFP, Reuters, TASS" in trade[0]
    assert not any("confirmed by several" in c.value for c in at.caption)  # copies alone confirm nothing
    rows = table(at, "money_figures")
    assert set(zip(rows["agreeing sources"], rows["agreeing stories"])) == {(3, 1)}


def test_timeline_hover_says_the_meeting_is_one_story_carried_by_three_sources(copied_data):
    at = page("timeline").run()
    assert not at.exception
    hovers = [h for trace in chart(at)["data"] for _, h in trace["customdata"]]
    meeting = [h for h in hovers if "Xi Jinping met" in h]
    assert len(meeting) == 1 and "1 story carried by 3 sources: " in meeting[0]


def test_fact_and_statement_groups_count_the_copied_story_once(copied_tables):
    from lib.contract.tableio import read_tables

    tables = read_tables(copied_tables)
    counts = ["n_articles", "n_stories", "n_outlets"]
    trade = tables["fact_groups"].set_index("label").loc["bilateral trade · 2023 · $240 bn"]
    assert trade[counts].tolist() == [3, 1, 3] and not trade["conflict"]
    putin = tables["quote_groups"].set_index("speaker").loc["Vladimir Putin"]
    assert putin[counts].tolist() == [3, 1, 3]

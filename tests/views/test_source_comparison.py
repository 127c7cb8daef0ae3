"""Source comparison as the Compare page shows it: coverage per source, word differences."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.contract.tableio import write_tables
from lib.views import source_comparison
from lib.views.warehouse import Warehouse

# --- coverage -------------------------------------------------------------------------------------

LONG = "Today, relations between our two countries are at an unprecedented high level, higher than ever in history"
CORPUS = {
    "articles": pd.DataFrame({"article_id": ["a1", "a2", "b1", "c1", "d1"],
                              "outlet": ["A", " A ", "B", "  ", None]}),
    "actors": pd.DataFrame(
        [("a1", "China", "China", 0), ("a1", "China", "Beijing", 10), ("a1", "Putin", "Putin", 5),
         ("a2", "China", "PRC", 3), ("b1", "China", "China", 4), ("b1", "Mao Ning", "Mao", 9),
         ("c1", "Putin", "Vladimir Putin", 2)],
        columns=["article_id", "actor", "surface", "start"]),
    "figures": pd.DataFrame(
        [("a1", "f1", "$190 billion", 20), ("c1", "f1", "$190bn", 30), ("b1", "f2", "$150 billion", 7)],
        columns=["article_id", "fact_id", "surface", "start"]),
    "fact_groups": pd.DataFrame({
        "fact_id": ["f1", "f2"], "label": ["trade · 2022 · $190 billion", "trade · 2022 · $150 billion"],
        "value": [190e9, 150e9], "unit": ["USD", "USD"], "article_ids": [["a1", "c1"], ["b1"]],
        "conflict": [True, True], "conflicts_with": [["f2"], ["f1", "f9"]]}),
    "quotes": pd.DataFrame(
        [("c1", "q1", LONG, 50), ("b1", "q1", "relations are at a level", 12), ("a1", "q2", "no limits", 8)],
        columns=["article_id", "quote_group", "text", "start"]),
    "quote_groups": pd.DataFrame({"quote_group": ["q1", "q2"], "speaker": ["Mishustin", None], "text": [LONG, "no limits"],
                                  "date": ["2023-05-24", None], "similarity": [0.9, None]}),
    "events": pd.DataFrame([("d1", "e1", None, "Summit in Moscow", 0), ("a1", "e1", "2024-01-01", "Summit", 40)],
                           columns=["article_id", "event_id", "date", "summary", "start"]),
}
C1, D1 = "unknown outlet · undated · c1", "unknown outlet · undated · d1"  # no outlet, no date, no title
ABCD = ["A", "B", C1, D1]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The page's `run(sql, *params)` over the small corpus, with the coverage tables registered."""
    folder = tmp_path_factory.mktemp("coverage")
    write_tables(CORPUS, folder, {})
    warehouse = Warehouse(folder)
    warehouse.register(source_comparison.CELLS, source_comparison.coverage_cells(warehouse))
    warehouse.register(source_comparison.LABELS, source_comparison.coverage_labels(warehouse))
    yield lambda sql, *params: warehouse.query(sql, params)
    warehouse.close()


def _cells(run) -> pd.DataFrame:
    return run(f"SELECT * FROM {source_comparison.CELLS}").set_index(["kind", "item", "source"])


@pytest.mark.parametrize(
    ("key", "first", "mentions", "articles"),
    [
        (("actor", "China", "A"), ("a1", 0, "China"), 3, 2),  # the first article of an outlet, every mention
        (("actor", "Putin", C1), ("c1", 2, "Vladimir Putin"), 1, 1),  # a blank outlet: the article is the source
        (("fact", "f1", C1), ("c1", 30, "$190bn"), 1, 1),
        (("quote", "q1", "B"), ("b1", 12, "relations are at a level"), 1, 1),
        (("event", "e1", D1), ("d1", 0, "Summit in Moscow"), 1, 1),  # no outlet at all
    ],
)
def test_coverage_cells_keep_each_sources_first_mention_and_count_them_all(run, key, first, mentions, articles):
    row = _cells(run).loc[key]
    assert (row["article_id"], row["start"], row["shown"]) == first
    assert (row["mentions"], row["articles"]) == (mentions, articles)


@pytest.mark.parametrize(
    ("kind", "item", "label"),
    [
        ("actor", "Mao Ning", "Mao Ning"),
        ("fact", "f2", "trade · 2022 · $150 billion"),
        ("quote", "q1", "Mishustin: “" + LONG[:89].rstrip() + "…”"),
        ("quote", "q2", "unknown speaker: “no limits”"),
        ("event", "e1", "2024-01-01 · Summit"),  # from the first article by id
    ],
)
def test_coverage_labels(run, kind, item, label):
    labels = run(f"SELECT * FROM {source_comparison.LABELS}").set_index(["kind", "item"])["label"]
    assert labels[(kind, item)] == label


def test_kind_counts_among_the_chosen_sources(run):
    counts = source_comparison.kind_counts(run, ABCD)
    assert counts.loc["actor"].tolist() == [3, 2, 1, 0]  # China (A, B), Putin (A, c1), Mao Ning (B)
    assert counts.loc["fact"].tolist() == [2, 1, 1, 2]
    assert counts.loc["event"].tolist() == [1, 1, 0, 0]
    assert source_comparison.kind_counts(run, ["B", D1]).loc["quote"].tolist() == [1, 0, 1, 0]


def test_matrix_has_one_column_per_source_and_none_where_omitted(run):
    rows = source_comparison.matrix_rows(run, "actor", ABCD)
    matrix = source_comparison.matrix(rows, ABCD, lambda a, s, v: f"{a}@{s}={v}", value="mentions")
    assert matrix["label"].tolist() == ["China", "Putin", "Mao Ning"]  # most widely carried, then by label
    china = matrix.set_index("item").loc["China"]
    assert china["A"] == "a1@0=3" and china["B"] == "b1@4=1" and china[C1] is None and china["sources"] == 2
    assert china["stories"] == 3  # a1 and a2 of A, b1 of B: no copies
    assert list(matrix.columns) == ["item", "label", "stories", "sources", "copies", *ABCD]
    assert set(matrix["copies"]) == {""}  # no copies in this corpus


def test_copies_of_one_story_in_several_sources_are_noted(tmp_path):
    # a2 (outlet B) and a3 (outlet C) are copies of a1's story (outlet A); b1 (B) is a story of its own
    corpus = {"articles": pd.DataFrame({"article_id": ["a1", "a2", "a3", "b1"], "outlet": ["A", "B", "C", "B"],
                                        "copy_of": [None, "a1", "a1", None]}),
              "figures": pd.DataFrame([("a1", "f1", 0), ("a2", "f1", 0), ("b1", "f1", 0), ("a1", "f2", 5),
                                       ("b1", "f2", 5)], columns=["article_id", "fact_id", "start"]).assign(surface="x"),
              "fact_groups": pd.DataFrame({"fact_id": ["f1", "f2"], "label": ["trade", "gas"]})}
    write_tables(corpus, tmp_path, {})
    warehouse = Warehouse(tmp_path)
    try:
        for name, build in ((source_comparison.CELLS, source_comparison.coverage_cells),
                            (source_comparison.LABELS, source_comparison.coverage_labels)):
            warehouse.register(name, build(warehouse))
        rows = source_comparison.matrix_rows(lambda sql, *params: warehouse.query(sql, params), "fact",
                                             ["A", "B", "C"])
    finally:
        warehouse.close()
    assert source_comparison.outlets_per_story(rows).to_dict() == {"f1": 2, "f2": 1}
    matrix = source_comparison.matrix(rows, ["A", "B", "C"], lambda a, s, v: v).set_index("item")
    assert matrix.at["f1", "copies"] == "one story carried by 2 outlets" and matrix.at["f2", "copies"] == ""
    assert matrix.at["f1", "stories"] == 2  # a1's story and b1's


def test_matrix_shows_a_missing_text_as_empty():
    rows = pd.DataFrame({"item": ["e1"], "label": ["Summit"], "sources": [1], "stories_of_item": [1], "source": ["A"],
                         "article_id": ["a1"],
                         "start": [4], "shown": [None], "mentions": [1], "articles": [1], "outlets_per_story": [1]})
    matrix = source_comparison.matrix(rows, ["A", "B"], lambda a, s, v: f"{a}@{s}={v}")
    assert matrix.iloc[0][["A", "B"]].tolist() == ["a1@4=", None]


@pytest.mark.parametrize(
    ("min_sources", "limit", "offset", "items"),
    [(1, 50, 0, ["China", "Putin", "Mao Ning"]), (2, 50, 0, ["China", "Putin"]), (1, 2, 0, ["China", "Putin"]),
     (1, 2, 2, ["Mao Ning"]), (1, 2, 4, [])],
)
def test_matrix_rows_are_one_page_of_the_items_carried_widely_enough(run, min_sources, limit, offset, items):
    rows = source_comparison.matrix_rows(run, "actor", ABCD, min_sources, limit, offset)
    assert list(dict.fromkeys(rows["item"])) == items
    assert source_comparison.matrix(rows, ABCD, lambda *cell: "x")["item"].tolist() == items


@pytest.mark.parametrize(
    ("sources", "alone"),
    [
        (ABCD, {("Mao Ning", "B"), ("q2", "A"), ("f2", "B")}),
        (["A", "B"], {("Putin", "A"), ("Mao Ning", "B"), ("f1", "A"), ("f2", "B"), ("q1", "B"), ("q2", "A"),
                      ("e1", "A")}),
    ],
)
def test_only_one_source_depends_on_the_sources_chosen(run, sources, alone):
    rows = source_comparison.only_in_one_source(run, sources)
    labels = run(f"SELECT label, item FROM {source_comparison.LABELS}").set_index("label")["item"]
    assert {(labels[label], source) for label, source in zip(rows["label"], rows["source"])} == alone
    assert rows["source"].is_monotonic_increasing
    assert len(source_comparison.only_in_one_source(run, sources, limit=2, offset=1)) == min(2, len(alone) - 1)


def test_source_summary_counts_carried_exclusive_and_omitted_items(run):
    summary = source_comparison.source_summary(run, ABCD).set_index(["source", "kind"])
    assert summary.loc[("B", "actor")].tolist() == [2, 1, 1]
    assert summary.loc[("A", "fact")].tolist() == [1, 0, 1]
    assert summary.loc[(D1, "actor")].tolist() == [0, 0, 3]  # a source that carries none is listed
    assert len(summary) == len(ABCD) * len(source_comparison.KINDS)


def test_fact_conflicts_name_the_facts_disagreed_with(run):
    conflicts = source_comparison.fact_conflicts(run, ["f1", "f2"])
    assert conflicts.at["f1", "disagrees"] == "$190 bn vs $150 bn, 21.1% (B)"
    assert conflicts.at["f2", "disagrees"] == f"$150 bn vs $190 bn, 21.1% (A, {C1})"  # f9 is gone
    assert conflicts["conflict"].all() and source_comparison.fact_conflicts(run, []).empty


def test_quote_groups_give_speaker_date_and_similarity(run):
    groups = source_comparison.quote_groups(run, ["q1"])
    assert groups.loc["q1", ["speaker", "date"]].tolist() == ["Mishustin", "2023-05-24"]
    assert groups.at["q1", "similarity"] == pytest.approx(0.9)


@pytest.mark.parametrize(
    ("n", "top"),
    [(2, ["A", "c1"]), (3, ["A", "B", "c1"]), (9, ["A", "B", "c1", "d1"])],
)
def test_top_sources_have_most_articles_and_keep_their_order(n, top):
    counts = pd.DataFrame({"source": ["A", "B", "c1", "d1"], "articles": [5, 1, 2, 1]})
    assert source_comparison.top_sources(counts, n) == top


# --- wording differences --------------------------------------------------------------------------


def test_word_diff_flags_the_words_one_wording_lacks():
    mine, theirs = source_comparison.word_diff("Today, relations are at a high level,", "relations are at a level")
    assert [w for w, changed in mine if changed] == ["Today,", "high"]
    assert not any(changed for _, changed in theirs)


def test_group_diff_compares_every_wording_with_the_longest():
    marked = source_comparison.group_diff(["at a level", "at an unprecedented high level", "at a high level"])
    assert [w for w, changed in marked[1] if changed] == ["an", "unprecedented", "high"]
    assert [w for w, changed in marked[2] if changed] == ["a"]


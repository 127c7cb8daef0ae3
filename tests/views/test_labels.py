"""lib.views.labels: the one definition of an article's source and date labels, in Python and SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

from lib.contract.schema import from_rows
from lib.views import labels
from lib.views.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "outlet, published, title, article_id, label",
    [
        (" AFP ", "2023-05-24", "x", "a1", "AFP"),
        (None, "2023-05-24", "Ministers met in the port city today", "a1",
         "unknown outlet · 2023-05-24 · Ministers met in the…"),
        ("", None, None, "a1", "unknown outlet · undated · a1"),
        ("  ", "", "Short title", "a1", "unknown outlet · undated · Short title"),
        (float("nan"), float("nan"), float("nan"), "a9", "unknown outlet · undated · a9"),
    ],
)
def test_source_label_is_the_outlet_else_date_and_title_words(outlet, published, title, article_id, label):
    assert labels.source_label(outlet, published, title, article_id) == label


@pytest.mark.parametrize(
    "published, inferred, label",
    [
        ("2023-05-24", False, "2023-05-24"),
        ("2023-05-24", True, "2023-05-24 (inferred)"),
        ("2023-05", None, "2023-05"),
        (None, True, "unknown"),
        ("", False, "unknown"),
        (float("nan"), float("nan"), "unknown"),
    ],
)
def test_published_label_marks_inferred_dates(published, inferred, label):
    assert labels.published_label(published, inferred) == label


@pytest.mark.parametrize(("n_sources", "n_stories", "label"), [
    (3, 3, "sources (3)"),
    (1, None, "sources (1)"),
    (3, 1, "1 story carried by 3 sources"),
    (4, 2, "2 stories carried by 4 sources"),
])
def test_carriers_label_counts_copies_of_a_story_once(n_sources, n_stories, label):
    assert labels.carriers_label(n_sources, n_stories) == label


def test_warehouse_label_tables_use_the_same_functions(tmp_path):
    rows = [
        {"article_id": "a1", "outlet": "Xinhua", "published": "2024-03-01", "published_inferred": False},
        {"article_id": "a2", "title": "Gas deal signed after long talks", "published": "2024-03-02",
         "published_inferred": True},
        {"article_id": "a3"},
    ]
    from_rows(rows, "articles").to_parquet(tmp_path / "articles.parquet")
    warehouse = Warehouse(tmp_path)
    try:
        got = warehouse.query("SELECT article_id, source, published_label FROM sources "
                              "JOIN published_labels USING (article_id) ORDER BY article_id")
    finally:
        warehouse.close()
    assert got.values.tolist() == [
        ["a1", "Xinhua", "2024-03-01"],
        ["a2", "unknown outlet · 2024-03-02 · Gas deal signed after…", "2024-03-02 (inferred)"],
        ["a3", "unknown outlet · undated · a3", "unknown"],
    ]


# where the labels are defined: the views' labels, and the name of an unknown outlet in the contract
DEFINITIONS = {ROOT / "lib" / "views" / "labels.py", ROOT / "lib" / "contract" / "outlet_groups.py"}


def _sources() -> list[Path]:
    return sorted([*ROOT.glob("lib/**/*.py"), *ROOT.glob("app/*.py"), *ROOT.glob("pages/*.py"), ROOT / "dashboard.py"])


@pytest.mark.parametrize("rule", [
    re.compile(r"\(inferred\)"),  # the date label's mark
    re.compile(r"unknown outlet"),  # the source label of an article without outlet
    re.compile(r"published_inferred\s+THEN", re.IGNORECASE),  # the date label rebuilt in SQL
])
def test_labels_are_written_nowhere_else(rule):
    """A page or view that spells a label itself drifts from the others: they join the label
    tables or call `lib.views.labels`."""
    found = []
    for path in _sources():
        if path in DEFINITIONS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}  # docstrings may name a label
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs \
                    and rule.search(node.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, f"label rule spelled outside lib/views/labels.py: {found}"


def test_missing_texts_are_blank_and_numbers_keep_their_gaps():
    frame = pd.DataFrame({"origin": pd.Series(["Li", None], dtype="string"), "speaker": [None, "Xi"],
                          "value": [1.0, None], "conflict": [True, False]})
    shown = labels.blank_texts(frame)
    assert shown["origin"].tolist() == ["Li", ""] and shown["speaker"].tolist() == ["", "Xi"]
    assert pd.isna(shown.at[1, "value"]) and shown["conflict"].tolist() == [True, False]

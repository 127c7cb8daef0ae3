"""The Compare page's lens by outlet group, on the outlet test corpus."""

from __future__ import annotations

from tests.conftest import page

GROUPS = ["Chinese state media", "Russian state media", "Western private media", "unknown outlet"]


def compare(**params):
    at = page("compare")
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def facts(at):
    return next(d.value for d in at.dataframe if "conflict" in d.value.columns)


def shown(cell: object) -> str | None:
    """The text a matrix cell shows (None for an empty cell)."""
    return cell if isinstance(cell, str) else None


def test_by_outlet_by_default(outlet_data):
    at = compare()
    assert not at.exception
    assert at.radio(key="by").value == "outlet"
    assert "TASS" in facts(at).columns


def test_by_group_the_facts_have_a_column_per_group(outlet_data):
    at = compare(by="outlet group")
    assert not at.exception and not at.warning
    assert at.multiselect(key="group").value == GROUPS
    grid = facts(at).set_index("label")
    assert list(grid.columns[-4:]) == GROUPS
    agreed = grid.loc["bilateral trade · 2022 · $190 bn"]
    assert [shown(agreed[g]) for g in GROUPS[:3]] == ["$190 billion", None, "$190 billion"]
    assert agreed["conflict"] and "$185 bn" in agreed["disagrees with"]
    assert shown(grid.loc["bilateral trade · 2022 · $185 bn", "Russian state media"]) == "$185 billion"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Facts in conflict"] == "2"


def test_two_groups_chosen_in_the_link(outlet_data):
    at = compare(by="outlet group", group=["Chinese state media", "Russian state media"])
    assert not at.exception and not at.warning
    grid = facts(at)
    assert list(grid.columns[-2:]) == ["Chinese state media", "Russian state media"]
    assert "Western private media" not in grid.columns


def test_a_group_that_is_not_there_is_left_out_with_one_warning(outlet_data):
    at = compare(by="outlet group", group=["Martian media", "Chinese state media", "Russian state media"])
    assert not at.exception
    assert len(at.warning) == 1 and "Martian media" in at.warning[0].value
    assert at.multiselect(key="group").value == ["Chinese state media", "Russian state media"]

"""Comparing two tables folders (`benchmarks.compare_tables`), as the restructure check uses it."""

from pathlib import Path

import pandas as pd
import pytest

from benchmarks.compare_tables import compare_folders, main


def write(folder: Path, tables: dict[str, pd.DataFrame]) -> Path:
    folder.mkdir()
    for name, frame in tables.items():
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


EVENTS = pd.DataFrame({"article_id": ["a", "a", "b"], "date": ["2024-05", "2024", None],
                       "actors": [["China", "Russia"], ["Russia"], []], "start": [0, 40, 7]})


def test_the_same_rows_in_another_order_are_identical(tmp_path):
    before = write(tmp_path / "before", {"events": EVENTS})
    after = write(tmp_path / "after", {"events": EVENTS.iloc[::-1]})
    assert compare_folders(before, after)["events"]["difference"] is None
    assert main([str(before), str(after)]) == 0


@pytest.mark.parametrize("change", [
    lambda f: f.assign(actors=[["Russia", "China"], ["Russia"], []]),  # list order is content
    lambda f: f.assign(date=["2024-05", "2023", None]),
    lambda f: f.iloc[:2],
])
def test_a_changed_value_list_or_row_count_is_a_difference(tmp_path, change):
    before = write(tmp_path / "before", {"events": EVENTS})
    after = write(tmp_path / "after", {"events": change(EVENTS)})
    assert compare_folders(before, after)["events"]["difference"]
    assert main([str(before), str(after)]) == 1


def test_a_column_added_since_is_listed_and_the_common_ones_compared(tmp_path):
    before = write(tmp_path / "before", {"events": EVENTS})
    after = write(tmp_path / "after", {"events": EVENTS.assign(tense=["actual", "forecast", "actual"])})
    result = compare_folders(before, after)["events"]
    assert result["only_after"] == ["tense"] and result["only_before"] == []
    assert result["difference"] is None


def test_a_table_missing_on_one_side_is_a_difference(tmp_path):
    before = write(tmp_path / "before", {"events": EVENTS, "quotes": pd.DataFrame({"text": ["x"]})})
    after = write(tmp_path / "after", {"events": EVENTS})
    assert "missing" in compare_folders(before, after)["quotes"]["difference"]

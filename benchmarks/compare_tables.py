"""Compare two tables folders written by `python -m lib.preprocess`, table by table.

    python -m benchmarks.compare_tables BEFORE AFTER [--tables figures quotes]

For every Parquet table in either folder it prints the rows on each side, the columns only one
side has (columns added since are expected), and whether the columns both sides have hold the
same rows. Rows are compared as sets: each side is sorted by every common column (lists written
out as JSON for the sort), so a change of row order alone is no difference; values are then
compared with `pandas.testing.assert_frame_equal`, list columns as Python lists. The first
differing rows are shown. Exit status 1 when any table differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq


def _plain(value: object) -> object:
    """A cell as plain Python: arrays become lists (recursively), missing values None."""
    if isinstance(value, np.ndarray | list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def read_table(path: Path) -> pd.DataFrame:
    """A table with every cell as plain Python (lists as lists), so both sides compare alike."""
    frame = pq.read_table(path).to_pandas()
    return pd.DataFrame({name: [_plain(v) for v in frame[name]] for name in frame.columns}, dtype=object)


def sorted_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame`'s rows sorted by all its columns (a stable order whatever order they came in)."""
    keys = pd.DataFrame({name: [json.dumps(v, sort_keys=True, default=str) for v in frame[name]]
                         for name in frame.columns})
    order = keys.sort_values(list(keys.columns), kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def compare_table(before: pd.DataFrame, after: pd.DataFrame) -> dict:
    """Rows on each side, columns of only one side, and the differences on the common columns
    (None when there are none)."""
    common = [name for name in before.columns if name in after.columns]
    result = {"rows": (len(before), len(after)),
              "only_before": [c for c in before.columns if c not in common],
              "only_after": [c for c in after.columns if c not in common],
              "difference": None}
    left, right = sorted_rows(before[common]), sorted_rows(after[common])
    if len(left) != len(right):
        result["difference"] = f"{len(left)} rows against {len(right)}"
        return result
    try:
        pd.testing.assert_frame_equal(left, right, check_dtype=False)
    except AssertionError as error:
        differing = [name for name in common if not left[name].equals(right[name])]
        first = next((i for i in range(len(left)) if not left.iloc[i].equals(right.iloc[i])), None)
        example = "" if first is None else (f"; first differing row {first}: "
                                            f"{left.iloc[first][differing].to_dict()} against "
                                            f"{right.iloc[first][differing].to_dict()}")
        result["difference"] = f"columns {differing} differ{example} ({str(error).splitlines()[0]})"
    return result


def compare_folders(before: Path, after: Path, tables: list[str] | None = None) -> dict[str, dict]:
    """`compare_table` for each table of either folder (or of `tables`)."""
    names = tables or sorted({p.stem for folder in (before, after) for p in folder.glob("*.parquet")})
    results = {}
    for name in names:
        paths = before / f"{name}.parquet", after / f"{name}.parquet"
        missing = [str(p) for p in paths if not p.exists()]
        results[name] = ({"difference": f"missing: {', '.join(missing)}"} if missing
                         else compare_table(read_table(paths[0]), read_table(paths[1])))
    return results


def report(results: dict[str, dict]) -> str:
    lines = []
    for name, result in results.items():
        rows = result.get("rows")
        head = f"{name}: " + (f"{rows[0]} rows / {rows[1]} rows" if rows else "")
        if result.get("only_before") or result.get("only_after"):
            head += f"; only before: {result['only_before']}; only after: {result['only_after']}"
        lines.append(f"{head}; {'identical' if result['difference'] is None else 'DIFFERENT: ' + result['difference']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--tables", nargs="+", help="only these tables (default: every table of either folder)")
    args = parser.parse_args(argv)
    results = compare_folders(args.before, args.after, args.tables)
    print(report(results))
    return 0 if all(r["difference"] is None for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

"""The tables pages derive from whole tables, built with the tables rather than on a first visit.

A page's derived table (the timeline's grouped events, the charts' figures with their spans,
Compare's cells, ...) reads every row of a table and is built in Python: seconds at ten thousand
articles, minutes at a hundred thousand. A run writes each into its snapshot, under
`DERIVED_FOLDER` (`write`), and the `Warehouse` serves them from there; tables written without
them (by an older run) are derived on the first visit, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lib.views import event_lanes, figure_series, quote_search, source_comparison
from lib.views.warehouse import DERIVED_FOLDER, Warehouse

BUILDERS: dict[str, Callable] = {  # name → build(warehouse); none reads another derived table
    event_lanes.REPORTS: event_lanes.build_reports,
    event_lanes.EVENTS: event_lanes.build_events,
    figure_series.CHART_FIGURES: figure_series.chart_figures,
    quote_search.QUOTE_ROWS: quote_search.quote_rows,
    source_comparison.CELLS: source_comparison.coverage_cells,
    source_comparison.GROUP_CELLS: source_comparison.group_cells,
    source_comparison.LABELS: source_comparison.coverage_labels,
}
# Builders that also take (part, parts) and build their table from one part of the rows of a table
# at a time (`event_lanes._placed_reports`): name → the table whose rows are split.
IN_PARTS = {event_lanes.REPORTS: "events", event_lanes.EVENTS: "events"}
PART_ROWS = 1_000_000  # rows of that table a part holds at most (some 3 KB of memory a row)


def write(folder: Path) -> None:
    """Build every derived table of the tables in `folder` and write it under `DERIVED_FOLDER`,
    one at a time (a large one part by part), so that memory holds one table (or part) at most."""
    target = Path(folder) / DERIVED_FOLDER
    tables = Warehouse(Path(folder))
    try:
        target.mkdir(exist_ok=True)
        for name, build in BUILDERS.items():
            split = IN_PARTS.get(name)
            parts = max(1, -(-int(tables.value(f"SELECT count(*) FROM {split}")) // PART_ROWS)) if split else 1
            writer = None
            for part in range(parts):
                table = _as_arrow(build(tables, part, parts) if split else build(tables))
                writer = writer or pq.ParquetWriter(target / f"{name}.parquet", table.schema)
                writer.write_table(table)
            writer.close()
    finally:
        tables.close()


def _as_arrow(frame: pd.DataFrame) -> pa.Table:
    """`frame` as Arrow; a column of Python objects that are all missing is typed as strings."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for index, field in enumerate(table.schema):
        if pa.types.is_null(field.type):
            table = table.set_column(index, pa.field(field.name, pa.string()), table.column(index).cast(pa.string()))
    return table

"""A large tables folder made by copying a small one's rows, for page timings (not a test).

    python -m benchmarks.replicated TABLES OUT --articles 10000

Preprocessing 10,000 articles takes minutes of spaCy; the pages only read tables. This copies
every row of TABLES (for example the preprocessed seeds) under new article ids until OUT holds
`--articles` articles, each copy published a few days after the last, so dates spread over the
years as a real collection's do. Copies are separate stories (`copy_of` is cleared), and the
event and fact ids get a copy suffix so the copies are separate events and facts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from lib.contract.searchtext import INDEX_FILE
from lib.contract.tableio import read_tables, write_tables
from lib.run import search_index
from lib.views import derived

DAYS_APART = 1  # each copy of the corpus is published this many days after the previous one
COPY_IDS = ("event_id", "fact_id", "quote_group")


def replicate(tables: dict[str, pd.DataFrame], articles: int) -> dict[str, pd.DataFrame]:
    """`tables` copied until they hold `articles` articles (the last copy cut short)."""
    originals = tables["articles"]["article_id"].tolist()
    copies = -(-articles // len(originals))
    out: dict[str, list[pd.DataFrame]] = {name: [] for name in tables}
    for copy in range(copies):
        wanted = originals[: articles - copy * len(originals)]
        renamed = {a: f"{a}-c{copy:05d}" for a in wanted}
        for name, frame in tables.items():
            if "article_id" not in frame:
                out[name].append(frame if copy == 0 else frame.iloc[0:0])
                continue
            rows = frame[frame["article_id"].isin(wanted)].copy()
            rows["article_id"] = rows["article_id"].map(renamed)
            for column in COPY_IDS:
                if column in rows:
                    rows[column] = rows[column].map(lambda v, c=copy: v if pd.isna(v) else f"{v}-c{c}")
            if name == "articles":
                rows = _moved(rows, copy)
            out[name].append(rows)
    return {name: pd.concat(parts, ignore_index=True) for name, parts in out.items()}


def _moved(articles: pd.DataFrame, copy: int) -> pd.DataFrame:
    """The articles of one copy, published `copy * DAYS_APART` days later, none a copy of another."""
    shift = dt.timedelta(days=copy * DAYS_APART)
    days = pd.to_datetime(articles["published"], errors="coerce")
    moved = (days + shift).dt.strftime("%Y-%m-%d")
    articles["published"] = moved.where(days.notna(), articles["published"])
    if "copy_of" in articles:
        articles["copy_of"] = None
    return articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tables", type=Path, help="a folder of tables written by lib.preprocess")
    parser.add_argument("out", type=Path, help="where to write the copies")
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args(argv)
    tables = replicate(read_tables(args.tables), args.articles)
    manifest = {"data_version": f"replicated-{args.articles}", "source": "replicated",
                "rows": {name: len(frame) for name, frame in tables.items()}}
    write_tables(tables, args.out, manifest, derive=derived.write,  # with the search index, as a run writes it
                 extras={INDEX_FILE: lambda path: search_index.build(tables, path)})
    print(f"{len(tables['articles'])} articles, {len(tables['actors'])} actor mentions in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

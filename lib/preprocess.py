"""Preprocess a folder of articles into the Parquet tables of the output contract.

    python -m lib.preprocess SRC --out DIR      (or the console script `crties-preprocess`)

Reads the articles (`lib.corpus`), parses them once with `nlp.pipe` (`lib.nlp`), runs every
extractor on each Doc, links events across articles, aligns facts and quotes across articles
(`lib.compare`), and writes `articles`, `actors`, `dates`, `figures`, `quotes`, `events`,
`fact_groups` and `quote_groups` as Parquet plus `manifest.json` (data version, counts,
problems). Tables are staged in full before any is renamed into place (`lib.tableio`), so a
run that is interrupted leaves the previous tables intact.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from lib import PIPELINE_VERSION, actors, compare, dates, events, figures, quotes
from lib.corpus import Problem, read_corpus
from lib.nlp import build_pipeline
from lib.schema import conform, empty
from lib.tableio import write_tables

DATA_FILES = Path(__file__).parent / "data"
PER_ARTICLE_TABLES = ("actors", "dates", "figures", "quotes", "events")


def pipeline_fingerprint() -> str:
    """Hash of the pipeline version and every domain data file: changes when results could."""
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    for path in sorted(DATA_FILES.glob("*")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def data_version(articles: pd.DataFrame) -> str:
    """A short hash of the corpus (texts and metadata) and the pipeline."""
    digest = hashlib.sha256(pipeline_fingerprint().encode())
    columns = ["article_id", "title", "outlet", "published", "url", "text"]
    for row in articles.sort_values("article_id")[columns].itertuples(index=False):
        digest.update("\x1f".join("" if pd.isna(v) else str(v) for v in row).encode())
    return digest.hexdigest()[:10]


def _published(article: dict, doc) -> tuple[dt.date | None, bool]:
    """The publication date from sources.csv, else inferred from the text."""
    given = article.get("published")
    if isinstance(given, str) and given:
        return dt.date.fromisoformat(given), False
    inferred = dates.infer_published(doc)
    return inferred, inferred is not None


def extract_article(doc, article: dict) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Every per-article table for one parsed article; an extractor that fails is reported."""
    aid = article["article_id"]
    published, inferred = _published(article, doc)
    article["published"] = published.isoformat() if published else None
    article["published_inferred"] = inferred
    problems: list[Problem] = []
    out: dict[str, pd.DataFrame] = {}

    def run(table: str, extractor: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        try:
            out[table] = extractor()
        except Exception as error:  # noqa: BLE001 - one extractor's bug must not lose the article
            problems.append(Problem(article["file"], f"{table} extraction failed: {type(error).__name__}: {error}"))
            out[table] = empty(table)
        return out[table]

    found_actors = run("actors", lambda: actors.extract_actors(doc, aid, published))
    found_dates = run("dates", lambda: dates.extract_dates(doc, aid, published))
    run("figures", lambda: figures.extract_figures(doc, aid, published, found_dates))
    run("quotes", lambda: quotes.extract_quotes(doc, aid, found_actors))
    run("events", lambda: events.extract_events(doc, aid, found_dates, found_actors))
    return out, problems


def process(src: Path, progress: bool = True) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read, parse and extract a whole source folder into the contract tables (in memory)."""
    articles, problems = read_corpus(src)
    records = articles.to_dict("records")
    parts: dict[str, list[pd.DataFrame]] = {t: [] for t in PER_ARTICLE_TABLES}
    if records:
        nlp = build_pipeline()
        docs = nlp.pipe((r["text"] for r in records), batch_size=32)
        for article, doc in tqdm(zip(records, docs), total=len(records), unit="article", disable=not progress):
            tables, article_problems = extract_article(doc, article)
            problems.extend(article_problems)
            for table, frame in tables.items():
                if not frame.empty:
                    parts[table].append(frame)
    result = {"articles": conform(pd.DataFrame(records), "articles") if records else empty("articles")}
    for table in PER_ARTICLE_TABLES:
        frames = parts[table]
        result[table] = conform(pd.concat(frames, ignore_index=True), table) if frames else empty(table)
    result["events"] = events.link_events(result["events"])
    result.update(compare.align(result))
    return result, problems


def run(src: Path, out: Path, progress: bool = True) -> dict:
    """Preprocess `src` into `out`; returns the manifest (also written as manifest.json)."""
    began = time.perf_counter()
    tables, problems = process(src, progress=progress)
    manifest = {
        "data_version": data_version(tables["articles"]),
        "pipeline_version": PIPELINE_VERSION,
        "source": Path(src).name,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "rows": {table: len(frame) for table, frame in tables.items()},
        "problems": [str(p) for p in problems],
        "seconds": round(time.perf_counter() - began, 2),
    }
    if len(tables["articles"]):
        write_tables(tables, Path(out), manifest)
    return manifest


def summary(manifest: dict) -> str:
    """The end-of-run report for the terminal."""
    lines = [f"articles read: {manifest['rows']['articles']}"]
    skipped = manifest["problems"]
    lines.append(f"problems: {len(skipped)}")
    lines.extend(f"  - {p}" for p in skipped)
    lines.append("rows: " + ", ".join(f"{t} {n}" for t, n in manifest["rows"].items()))
    lines.append(f"seconds: {manifest['seconds']}")
    lines.append(f"data version: {manifest['data_version']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crties-preprocess", description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path, help="folder of .txt/.md/.html articles (+ optional sources.csv)")
    parser.add_argument("--out", type=Path, default=Path("data"), help="folder for the Parquet tables")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        manifest = run(args.src, args.out, progress=not args.quiet)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"interrupted; the tables in {args.out} are unchanged", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the user gets one clear line, not a traceback
        print(f"error: preprocessing failed ({type(error).__name__}: {error}); {args.out} is unchanged", file=sys.stderr)
        return 1
    print(summary(manifest))
    if not manifest["rows"]["articles"]:
        print(f"error: no article in {args.src} could be processed; {args.out} left unchanged", file=sys.stderr)
        return 1
    print(f"tables written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

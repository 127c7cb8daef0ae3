"""Everything one article's rows depend on: its Doc, run through every extractor.

`extract_chunk` parses a chunk of articles with `nlp.pipe` inside one memory zone and reduces
each to plain data (`article_result`), the unit that the article cache stores and that worker
processes and cluster workers send back. A change to this module, or to any module it calls,
changes `lib.run.fingerprint.extraction_fingerprint` and so invalidates the cache.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from lib.contract.schema import column_lists, from_columns, rows_of
from lib.extract import actors, dates, events, figures, quotes
from lib.extract.parser import build_pipeline
from lib.nlp.pipeline import remember_text
from lib.read.corpus import Problem

BATCH_SIZE = 32  # texts per nlp.pipe batch: each doubling costs a worker ~300 MiB at its peak, for little speed
ARTICLE_FIELDS = ("published", "published_inferred")  # what extraction adds to the articles row


def _published(article: dict, doc) -> tuple[dt.date | None, bool]:
    """The publication date from sources.csv, else inferred from the text."""
    given = article.get("published")
    if isinstance(given, str) and given:
        return dt.date.fromisoformat(given), False
    inferred = dates.infer_published(doc)
    return inferred, inferred is not None


def extract_columns(doc, article: dict) -> tuple[dict[str, dict[str, list]], list[Problem]]:
    """Every per-article table of one parsed article as column lists (`schema.column_lists`);
    an extractor that fails is reported and its table left empty. Sets the article's
    `published` and `published_inferred`. Plain lists, not frames: a DataFrame per table and
    article would cost as much as some extractors."""
    aid = article["article_id"]
    published, inferred = _published(article, doc)
    article["published"] = published.isoformat() if published else None
    article["published_inferred"] = inferred
    problems: list[Problem] = []
    out: dict[str, dict[str, list]] = {}

    def run(table: str, extractor: Callable[[], list[dict]]) -> list[dict]:
        """The table's rows as the next extractors see them (typed like the table's cells)."""
        try:
            out[table] = column_lists(extractor(), table)
        except Exception as error:  # noqa: BLE001 - one extractor's bug must not lose the article
            problems.append(Problem(article["file"], f"{table} extraction failed: {type(error).__name__}: {error}"))
            out[table] = column_lists([], table)
        return rows_of(out[table])

    found_actors = run("actors", lambda: actors.actor_rows(doc, aid, published))
    found_dates = run("dates", lambda: dates.date_rows(doc, aid, published))
    spans = dates.covered(found_dates, published)  # "since 2020" spans 2020 to publication
    run("figures", lambda: figures.figure_rows(doc, aid, published, spans))
    run("quotes", lambda: quotes.quote_rows(doc, aid, found_actors))
    run("events", lambda: events.event_rows(doc, aid, spans, found_actors))
    return out, problems


def extract_article(doc, article: dict) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """`extract_columns` as contract frames."""
    columns, problems = extract_columns(doc, article)
    return {table: from_columns(values, table) for table, values in columns.items()}, problems


def article_result(doc, article: dict) -> dict:
    """One article reduced to plain data (what the cache stores and workers send back): the
    fields extraction adds to its `articles` row, its column lists per table, and its problems."""
    found = dict(article)
    columns, problems = extract_columns(doc, found)
    return {
        "article": {field: found[field] for field in ARTICLE_FIELDS},
        "columns": {table: values for table, values in columns.items() if values and len(next(iter(values.values())))},
        "problems": [[p.file, p.reason] for p in problems],
    }


def result_for_copy(result: dict, article: dict) -> dict:
    """The `article_result` of an article whose text and given date equal those of the article
    `result` was extracted from: the same rows and problems under the copy's own id and file
    name (extraction reads only the text and the date, and the offsets hold for the same text)."""
    columns = {table: {**values, "article_id": [article["article_id"]] * len(values["article_id"])}
               for table, values in result["columns"].items()}
    problems = [[article["file"], reason] for _, reason in result["problems"]]
    return {"article": dict(result["article"]), "columns": columns, "problems": problems}


# --- parsing ---------------------------------------------------------------------------------------

_PIPELINE = None


def shared_pipeline():
    """This process's pipeline, built on first use (once per worker process)."""
    global _PIPELINE
    if _PIPELINE is None:
        _PIPELINE = build_pipeline()
    return _PIPELINE


def extract_chunk(nlp, articles: list[dict], batch_size: int = BATCH_SIZE) -> list[dict]:
    """`article_result` of each article, parsed with `nlp.pipe` inside one memory zone: the
    strings the chunk adds to the vocabulary are freed with it; the results are plain data."""
    with nlp.memory_zone():
        docs = nlp.pipe((a["text"] for a in articles), batch_size=batch_size)
        return [article_result(remember_text(doc, article["text"]), article) for article, doc in zip(articles, docs)]


def extract_chunk_here(articles: list[dict], batch_size: int = BATCH_SIZE) -> list[dict]:
    """`extract_chunk` with this process's own pipeline (the task a worker runs)."""
    return extract_chunk(shared_pipeline(), articles, batch_size)

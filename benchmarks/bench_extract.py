"""Milliseconds of extraction per article, in one process, parsing excluded (not a test).

    python -m benchmarks.bench_extract [--articles 200] [--repeat 3]

Parses N synthetic articles (`benchmarks.corpus`) once with the project's pipeline, then times
every extractor over the parsed Docs, each the best of R rounds, and prints milliseconds per
article for each extractor and for the whole of `lib.extract.article.extract_columns`, in CPU
time of this process (steadier than wall time on a shared machine; extraction does no I/O). The
budget is 15 ms per article for the whole.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from benchmarks.corpus import synthetic_articles
from lib.extract import actors, dates, events, figures, quotes
from lib.extract.article import extract_columns
from lib.extract.parser import build_pipeline
from lib.nlp.pipeline import remember_text


def best_ms_per_article(run, docs: list, repeat: int) -> float:
    """The fastest of `repeat` rounds of `run(i, doc)` over every Doc, per article, in CPU ms."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for i, doc in enumerate(docs):
            run(i, doc)
        best = min(best, time.process_time() - started)
    return 1000 * best / len(docs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    nlp = build_pipeline()
    corpus = synthetic_articles(args.articles)
    docs = [remember_text(doc, text) for doc, (text, _) in zip(nlp.pipe(t for t, _ in corpus), corpus)]
    published = [dt.date.fromisoformat(p) for _, p in corpus]
    found_actors = [actors.actor_rows(d, f"a{i}", published[i]) for i, d in enumerate(docs)]
    found_dates = [dates.date_rows(d, f"a{i}", published[i]) for i, d in enumerate(docs)]
    steps = {
        "actors": lambda i, d: actors.actor_rows(d, f"a{i}", published[i]),
        "dates": lambda i, d: dates.date_rows(d, f"a{i}", published[i]),
        "figures": lambda i, d: figures.figure_rows(d, f"a{i}", published[i], found_dates[i]),
        "quotes": lambda i, d: quotes.quote_rows(d, f"a{i}", found_actors[i]),
        "events": lambda i, d: events.event_rows(d, f"a{i}", found_dates[i], found_actors[i]),
        "all (extract_columns)": lambda i, d: extract_columns(
            d, {"article_id": f"a{i}", "file": f"a{i}.txt", "published": corpus[i][1]}),
    }
    words = sum(len(d) for d in docs) / len(docs)
    print(f"{len(docs)} articles, {words:.0f} tokens each on average; best of {args.repeat} rounds")
    print("| step | ms per article |\n|---|---|")
    for name, run in steps.items():
        print(f"| {name} | {best_ms_per_article(run, docs, args.repeat):.2f} |")


if __name__ == "__main__":
    main()

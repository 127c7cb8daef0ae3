"""Dashboard speed on a folder of tables (not a test).

    python -m benchmarks.bench_pages DATA_DIR [--runs 5] [--json results.json]
    python -m benchmarks.bench_pages DATA_DIR --synthetic-search 10000   (writes DATA_DIR first)

Measures, with Streamlit's AppTest in this one process:

* the first load of the data: the Overview's run with every cache empty (opening the tables and
  its queries), both in this fresh process (Python imports included) and once more after
  clearing the caches (the data alone);
* every page's script run once its data is cached (and a few views besides a page's default,
  `VIEWS`: the Outlet page of the outlet with most articles, ...): the median of `--runs` re-runs, each a
  fresh session (a new AppTest) so nothing but the shared caches is reused. The time is taken
  inside the script run (a wrapper runs the page file), so AppTest's own start-up is not in it.

The Search page runs with the query of `PAGE_PARAMS`; `search_times` also times the search index
itself, uncached (`SEARCHES`: a word in almost every article, word forms, several words, a
phrase), and the time a run spends building it, or updating the last run's after `ADDED` articles
were added. `--synthetic-search N` first writes DATA_DIR as
a tables folder of N synthetic articles (`benchmarks.corpus`: seed paragraphs reshuffled) with
quotes (the text in quote marks) and events (sentences naming a year) found by pattern, not by the
pipeline, which takes minutes at 10,000 articles: for search, what counts is the size of the texts.

`--profile PAGE` prints where a warm run of PAGE spends its time instead.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("overview", "article", "timeline", "charts", "quotes", "compare", "search", "actor", "outlet")
PAGE_PARAMS = {"search": {"q": "China"}}  # the URL a page is opened with (a word of nearly every article)
INDEXED = ("articles", "quotes", "events")  # the tables the search index holds
ADDED = 10  # articles added to a corpus whose search index is then updated
SEARCHES = ("China", "unprecedented", "sanctioned pipelines", "gas trade Russia", '"no limits"')
# Pages timed on a view a link opens rather than their bare address: the name of a query for the
# parameter's value (the actor page: the most mentioned actor, the one with most rows to read).
PAGE_QUERY = {"actor": ("name", "SELECT actor FROM actors GROUP BY actor ORDER BY count(*) DESC LIMIT 1")}
# views measured besides each page's default one: name -> (page, URL parameters); "<top outlet>"
# stands for the outlet with most articles
VIEWS = {
    "overview (coverage bar chosen)": ("overview", {"per": "month", "bucket": "<first month>"}),
    "compare (by outlet group)": ("compare", {"by": "outlet group"}),
    "outlet (its page)": ("outlet", {"name": "<top outlet>"}),
}


TIMER = "benchmarks.bench_pages"  # the module the wrapper script leaves its measurement in
MEASURED: list[float] = []
WRAPPER = """
import cProfile, runpy, sys, time
profiler = cProfile.Profile() if {profile} else None
began = time.perf_counter()
try:
    if profiler:
        profiler.enable()
    runpy.run_path({path!r}, run_name="__main__")
finally:
    if profiler:
        profiler.disable()
        profiler.dump_stats({path!r} + ".prof")
    # not in st.session_state: after a page's st.stop() every Streamlit call is refused
    sys.modules[{timer!r}].MEASURED.append(time.perf_counter() - began)
"""


def _query_params(page: str) -> dict[str, str]:
    """The URL parameters `page` is timed with: PAGE_PARAMS, or PAGE_QUERY read from the served tables."""
    if page not in PAGE_QUERY:
        return dict(PAGE_PARAMS.get(page, {}))
    from lib.contract.tableio import tables_folder
    from lib.views.warehouse import Warehouse

    name, sql = PAGE_QUERY[page]
    warehouse = Warehouse(tables_folder(Path(os.environ["DASHBOARD_DATA"])))
    try:
        found = warehouse.value(sql)
    finally:
        warehouse.close()
    return {} if found is None else {name: str(found)}


def _run(page: str, profile: bool = False, params: dict[str, str] | None = None) -> float:
    """Seconds of one script run of `page` (with URL `params`) in a fresh AppTest session."""
    from streamlit.testing.v1 import AppTest

    path = str(ROOT / "pages" / f"{page}.py")
    app = AppTest.from_string(WRAPPER.format(path=path, timer=TIMER, profile=profile), default_timeout=600)
    for name, value in {**_query_params(page), **(params or {})}.items():
        app.query_params[name] = value
    sys.modules.setdefault(TIMER, sys.modules[__name__])  # also when run as `python -m`
    MEASURED.clear()
    app.run()
    if app.exception:
        raise RuntimeError(f"{page}: {app.exception[0].message}")
    return MEASURED[-1]


def profile(page: str, lines: int = 40) -> None:
    """Print the functions a warm run of `page` spends most time in."""
    import pstats

    _run(page)
    _run(page, profile=True)
    stats_file = ROOT / "pages" / f"{page}.py.prof"
    pstats.Stats(str(stats_file)).sort_stats("cumulative").print_stats(lines)
    stats_file.unlink()


def first_load(page: str = "overview") -> float:
    """Seconds of the first run of `page` with every cache empty."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    return _run(page)


def page_times(data_dir: Path, runs: int = 5, pages: tuple[str, ...] = PAGES) -> dict:
    """The first data load and each of `pages`' warm script time (seconds) on the tables of `data_dir`."""
    os.environ["DASHBOARD_DATA"] = str(data_dir)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    result: dict = {"first_run_s": round(first_load(), 3), "first_load_s": round(first_load(), 3),
                    "cold_s": {}, "warm_s": {}}
    for page in pages:
        result["cold_s"][page] = round(_run(page), 3)  # fills this page's caches
        result["warm_s"][page] = round(statistics.median(_run(page) for _ in range(runs)), 3)
    stand_ins = _stand_ins(data_dir)
    for name, (page, params) in VIEWS.items():
        given = {key: stand_ins.get(value, value) for key, value in params.items()}
        result["cold_s"][name] = round(_run(page, params=given), 3)
        result["warm_s"][name] = round(statistics.median(_run(page, params=given) for _ in range(runs)), 3)
    return result


def search_times(data_dir: Path, runs: int = 5) -> dict:
    """Seconds of each query of SEARCHES on the open index of `data_dir`, uncached (the median of
    `runs`): the counts of the three kinds and the first page of each; and of building the index."""
    import tempfile

    from lib.contract.tableio import read_tables, tables_folder
    from lib.run import search_index
    from lib.views.search import KINDS, SearchIndex

    folder = tables_folder(Path(data_dir))
    index = SearchIndex.open(folder)
    if index is None:
        raise SystemExit(f"{folder} has no search index: run lib.preprocess on it first")

    def once(query: str) -> float:
        began = time.perf_counter()
        for kind in KINDS:
            index.count(kind, query)
            index.hits(kind, query, 20)
        return time.perf_counter() - began

    result = {"queries_s": {q: round(statistics.median(once(q) for _ in range(runs)), 4) for q in SEARCHES}}
    result["matches"] = {q: {kind: index.count(kind, q) for kind in KINDS} for q in SEARCHES}
    tables = read_tables(folder)
    with tempfile.TemporaryDirectory() as scratch:
        whole, last, updated = (Path(scratch) / name for name in ("whole", "last", "updated"))
        began = time.perf_counter()
        search_index.build(tables, whole)
        result["build_s"] = round(time.perf_counter() - began, 2)
        result["index_mb"] = round(whole.stat().st_size / 1e6, 1)
        # the index of the corpus less its last ADDED articles, updated to the whole corpus
        kept = set(tables["articles"]["article_id"].iloc[:-ADDED])
        search_index.build({name: tables[name][tables[name]["article_id"].isin(kept)] for name in INDEXED}, last)
        began = time.perf_counter()
        search_index.build(tables, updated, previous=last)
        result["update_s"] = round(time.perf_counter() - began, 2)
    result["articles"] = len(tables["articles"])
    return result


def synthetic_search_tables(folder: Path, n: int) -> None:
    """A tables folder of `n` synthetic articles, their quotes and events found by pattern, and
    its search index, written as a run writes them."""
    import re

    import pandas as pd

    from benchmarks.corpus import synthetic_articles
    from lib.contract.searchtext import INDEX_FILE, sentence_spans
    from lib.contract.tableio import write_tables
    from lib.run import search_index
    from lib.views import derived

    articles, quotes, events = [], [], []
    for k, (text, published) in enumerate(synthetic_articles(n)):
        article_id = f"syn_{k:06d}"
        title = text.split("\n", 1)[0][:90]
        articles.append({"article_id": article_id, "title": title, "outlet": f"outlet {k % 7}",
                         "published": published, "published_inferred": False, "text": text,
                         "words": len(text.split())})
        for found in re.finditer(r"“([^”]{3,400})”", text):
            quotes.append({"article_id": article_id, "text": found.group(1), "start": found.start(1),
                           "end": found.end(1), "speaker": None, "kind": "full"})
        for start, end in sentence_spans(text):
            year = re.search(r"\b(19|20)\d\d\b", text[start:end])
            if year:
                events.append({"article_id": article_id, "date": year.group(), "actors": [],
                               "summary": text[start:end], "start": start, "end": end, "kind": "actual"})

    tables = {"articles": pd.DataFrame(articles), "quotes": pd.DataFrame(quotes), "events": pd.DataFrame(events)}
    manifest = {"data_version": f"synthetic-{n}", "rows": {name: len(t) for name, t in tables.items()}}
    write_tables(tables, Path(folder), manifest, derive=derived.write,
                 extras={INDEX_FILE: lambda path: search_index.build(tables, path)})


def search_report(result: dict) -> str:
    lines = [f"  search index of {result['articles']} articles: built in {result['build_s']} s, "
             f"{result['index_mb']} MB; updated after adding {ADDED} articles in {result['update_s']} s"]
    lines += [f"  search {query!r}: {seconds} s uncached (counts and first page of articles, quotes, events; "
              f"matches {result['matches'][query]})" for query, seconds in result["queries_s"].items()]
    return "\n".join(lines)


def _stand_ins(data_dir: Path) -> dict[str, str]:
    """The values VIEWS name by a stand-in: the outlet with most articles, the first month."""
    from lib.contract.tableio import read_manifest, tables_folder
    from lib.views.warehouse import Warehouse

    warehouse = Warehouse(tables_folder(data_dir, read_manifest(data_dir)))
    try:
        top = warehouse.value("SELECT trim(outlet) FROM articles WHERE trim(outlet) <> '' "
                              "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
        first = warehouse.value("SELECT strftime(date_trunc('month', min(try_cast(published AS DATE))), '%Y-%m-%d') "
                                "FROM articles")
    finally:
        warehouse.close()
    return {"<top outlet>": str(top or ""), "<first month>": str(first or "")}


def report(result: dict) -> str:
    lines = [f"  first data load: {result['first_load_s']} s (first run in a fresh process, imports included: "
             f"{result['first_run_s']} s)"]
    lines += [f"  {page}: warm {result['warm_s'][page]} s (first visit {result['cold_s'][page]} s)"
              for page in result["warm_s"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="a folder of tables written by lib.preprocess")
    parser.add_argument("--runs", type=int, default=5, help="warm runs per page (the median is shown)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    parser.add_argument("--profile", choices=PAGES, default=None, help="profile a warm run of this page instead")
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=None,
                        help="time these pages only (default: every page; with --synthetic-search: search)")
    parser.add_argument("--synthetic-search", type=int, default=0, metavar="N",
                        help="first write DATA as N synthetic articles with their search index")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    if args.synthetic_search:
        synthetic_search_tables(args.data.resolve(), args.synthetic_search)
    if args.profile:
        logging.getLogger("streamlit").setLevel(logging.ERROR)
        os.environ["DASHBOARD_DATA"] = str(args.data.resolve())
        profile(args.profile)
        return 0
    # a synthetic folder has only the tables search needs: the other pages would time empty tables
    pages = tuple(args.pages or (("search",) if args.synthetic_search else PAGES))
    result = page_times(args.data.resolve(), args.runs, pages)
    print(report(result), flush=True)
    if "search" in pages:  # the index itself too
        result["search"] = search_times(args.data.resolve(), args.runs)
        print(search_report(result["search"]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

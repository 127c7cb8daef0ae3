"""Speed as a reader feels it: seconds until each page is fully drawn in headless Chromium (not a test).

    python -m benchmarks.bench_browser [--tables DIR | --articles 1000] [--work DIR] [--runs 3]

Without `--tables`, builds a synthetic corpus of `--articles` articles (`benchmarks.corpus`) and
its tables (`python -m lib.preprocess`) under `--work` (default: a folder in the system's temporary
directory), reusing them when they are already there. Serves the dashboard on the tables, opens
each page in headless Chromium and waits until Streamlit reports no running script: its status
widget gone, no element marked stale, the link box drawn, every chart drawn. Prints, per page, the
seconds of the first visit after the server started (its queries not yet cached) and the medians
of `--runs` warm visits: each in a new tab (a new session on cached data, and a new browser
process that parses Streamlit's and Plotly's scripts again), and in the reader's tab, one tab
coming from the page before (links inside the dashboard open in the same tab).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote_plus

import pandas as pd

from benchmarks.corpus import write_corpus
from lib.contract.tableio import read_manifest, tables_folder
from tests.serving import CHROMIUM_ARGS, chromium_executable, dashboard

PAGES = {"overview": "/", "article": "/article", "timeline": "/timeline", "charts": "/charts",
         "quotes": "/quotes", "compare": "/compare", "actor": "/actor", "outlet": "/outlet", "search": "/search"}
SEARCHED = "China"  # the Search page's query: a word of nearly every article, so the longest listing
TIMEOUT_MS = 300_000
STEADY_MS = 300  # the page must stay drawn this long to count as done (the time is when it first was)
# True once the page is drawn (the charts and tables in view: a closed tab's are not drawn) and no script runs; returns the moment it first was (ms since the
# navigation started) after it has held for STEADY_MS.
DRAWN = """(steady) => {
  const ready = document.querySelector('.st-key-share_link code')
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(c => c.checkVisibility())
         .every(c => c.querySelector('.main-svg'))
    && [...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(d => d.checkVisibility())
         .every(d => d.querySelector('canvas'));
  const now = performance.now();
  if (!ready) { window.__drawnAt = undefined; return false; }
  if (window.__drawnAt === undefined) window.__drawnAt = now;
  return now - window.__drawnAt >= steady ? window.__drawnAt : false;
}"""


def tables_for(articles: int, work: Path) -> Path:
    """The tables of a synthetic corpus of `articles` articles under `work` (built once)."""
    corpus, tables = work / "corpus", work / "tables"
    if read_manifest(tables).get("data_version"):
        return tables
    if not any(corpus.glob("*.txt")):
        write_corpus(corpus, articles)
    print(f"building the tables of {articles} articles…", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "lib.preprocess", str(corpus), "--out", str(tables)], check=True)
    return tables


def visit(context, url: str) -> float:
    """Seconds from navigating to `url` in a new tab until the page is fully drawn."""
    tab = context.new_page()
    try:
        return drawn_after(tab, url)
    finally:
        tab.close()


def drawn_after(tab, url: str) -> float:
    """Seconds from navigating `tab` to `url` until the page is fully drawn."""
    tab.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    drawn = tab.wait_for_function(DRAWN, arg=STEADY_MS, polling=50, timeout=TIMEOUT_MS)
    return float(drawn.json_value()) / 1000


def page_paths(tables: Path) -> dict[str, str]:
    """Each page's address; the Actor and Outlet pages on the most mentioned actor and the outlet
    with most articles (their heaviest case), the Search page on SEARCHED."""
    folder = tables_folder(tables)
    actors = pd.read_parquet(folder / "actors.parquet", columns=["actor"])["actor"]
    outlets = pd.read_parquet(folder / "articles.parquet", columns=["outlet"])["outlet"].dropna()
    paths = dict(PAGES, search=f"/search?q={quote_plus(SEARCHED)}")
    if len(actors):
        paths["actor"] = f"/actor?name={quote_plus(actors.value_counts().index[0])}"
    if len(outlets):
        paths["outlet"] = f"/outlet?name={quote_plus(outlets.value_counts().index[0])}"
    return paths


def measure(url: str, runs: int, pages: list[str], paths: dict[str, str]) -> dict[str, tuple[float, float, float]]:
    """(first, warm in a new tab, warm in the reader's tab) seconds per page of the dashboard
    served at `url`. The reader's tab is one tab moving from page to page, as a reader follows
    links (they open in the same tab): each timed visit comes from the page before it in `pages`."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium_executable() or "/usr/bin/chromium",
                                         args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        warm_up = context.new_page()  # Streamlit's own scripts fetched once, not timed
        warm_up.goto(url + "/add", timeout=TIMEOUT_MS)
        warm_up.wait_for_selector('[data-testid="stApp"]', timeout=TIMEOUT_MS)
        warm_up.close()
        reader = context.new_page()
        drawn_after(reader, url + "/add")
        for number, name in enumerate(pages):
            path, before = paths[name], paths[pages[number - 1]] if number else "/add"
            first = visit(context, url + path)
            new_tab = statistics.median(visit(context, url + path) for _ in range(runs))
            same_tab = []
            for _ in range(runs):
                drawn_after(reader, url + before)
                same_tab.append(drawn_after(reader, url + path))
            results[name] = (first, new_tab, statistics.median(same_tab))
            print(f"{name:<10} first {first:6.2f} s   warm, new tab {new_tab:6.2f} s   warm, reader's tab "
                  f"{results[name][2]:6.2f} s", flush=True)
        browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=Path, help="a tables folder built by lib.preprocess")
    parser.add_argument("--articles", type=int, default=1000, help="size of the synthetic corpus (without --tables)")
    parser.add_argument("--work", type=Path, help="where the synthetic corpus and its tables are kept")
    parser.add_argument("--runs", type=int, default=3, help="warm visits per page (their median is printed)")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES), help="the pages to open")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.gettempdir()) / f"dashboard-bench-{args.articles}"
    tables = args.tables or tables_for(args.articles, work)
    articles = read_manifest(tables).get("rows", {}).get("articles", "?")
    print(f"tables: {tables} ({articles} articles)")
    with dashboard(tables) as served:
        results = measure(served.url, args.runs, args.pages, page_paths(tables))
    for column, label in ((1, "warm, new tab"), (2, "warm, reader's tab")):
        slowest = max(results, key=lambda name: results[name][column])
        print(f"slowest page {label}: {slowest}, {results[slowest][column]:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

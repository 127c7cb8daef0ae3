"""Many readers while an article is added: no reader may see an error, an empty page or a
half-written table, and every reader sees the new article soon after.

    python -m benchmarks.bench_readers [--tables DIR] [--sessions 20] [--seconds 60] [--add-after 5]

Serves the dashboard on a copy of a tables folder (by default the seeds, preprocessed here),
opens N sessions in headless Chromium that read every page in a loop, and after `--add-after`
seconds adds one article through `lib.run.ingest` (the Add page's path) while they read. Prints
the errors, page latency percentiles and the seconds until every session saw the new article.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.bench_browser import DRAWN, STEADY_MS
from lib.contract.tableio import read_tables
from lib.run import ingest
from lib.run.preprocess import run
from tests.serving import CHROMIUM_ARGS, chromium_executable, dashboard

MARK = "Quetzalcoatlian"  # a word only the added article has
ARTICLE = (f"Vladimir Putin met Xi Jinping in Beijing on Thursday.\n\n"
           f"\u201c{MARK} friendship is forever,\u201d Putin said.\n\n"
           "Bilateral trade reached $240 billion in 2023, officials said.\n")
LOAD_MS = 120_000


@dataclass
class Session:
    """What one reading session met: latencies (s), errors, when it first saw the new article."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    saw_new: float | None = None
    stale: int = 0  # visits of the marked page begun after the addition ended that did not show it


def pages_to_read(data: Path) -> list[str]:
    """Every reading page (the Add page aside), with parameters where a page needs them."""
    first = sorted(read_tables(data)["articles"]["article_id"])[0]
    return ["/", f"/article?article={first}", "/timeline", "/charts", f"/quotes?q={MARK}", "/compare"]


async def read_page(tab, url: str) -> str:
    """Open `url` and wait until the page is fully drawn and its run has finished (the test
    `bench_browser` times: no running script, nothing stale, the link box and charts drawn, held
    for a moment); returns its text."""
    await tab.goto(url, wait_until="commit")
    await tab.wait_for_function(DRAWN, arg=STEADY_MS, polling=100)
    return await tab.locator('[data-testid="stMain"]').inner_text()


async def reader(browser, base: str, paths: list[str], until: float, added: dict, session: Session) -> None:
    """Read `paths` in a loop until `until` (monotonic), noting latencies, errors and the new article."""
    tab = await browser.new_page()
    tab.set_default_timeout(LOAD_MS)
    try:
        while time.monotonic() < until:
            for path in paths:
                began = time.monotonic()
                try:
                    text = await read_page(tab, base + path)
                    failures = await tab.locator('[data-testid="stException"]').count()
                except Exception as error:  # noqa: BLE001 - a reader's failure is a finding, not a crash
                    session.errors.append(f"{path}: {type(error).__name__}")
                    continue
                session.latencies.append(time.monotonic() - began)
                if failures or not text.strip():
                    session.errors.append(f"{path}: {'an exception' if failures else 'an empty page'}")
                after = "done" in added and began >= added["done"]
                if MARK in path and after and MARK not in text:
                    session.stale += 1
                if MARK in text and "done" in added and session.saw_new is None:
                    session.saw_new = time.monotonic()
    finally:
        await tab.close()


def add_article(data: Path, added: dict) -> None:
    """Add the marked article the way the Add page does, noting when it began and ended."""
    added["began"] = time.monotonic()
    path = ingest.save_pasted(ingest.added_folder(data), ARTICLE, title=f"{MARK} summit")
    ingest.add_articles(data, [path])
    added["done"] = time.monotonic()


async def drive(base: str, data: Path, sessions: int, seconds: float, add_after: float) -> tuple[list[Session], dict]:
    from playwright.async_api import async_playwright

    added: dict = {}
    results = [Session() for _ in range(sessions)]
    paths = pages_to_read(data)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        until = time.monotonic() + seconds
        readers = [asyncio.create_task(reader(browser, base, paths, until, added, s)) for s in results]
        await asyncio.sleep(add_after)
        await asyncio.to_thread(add_article, data, added)
        await asyncio.gather(*readers)
        await browser.close()
    return results, added


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile of `values` (0 when empty)."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def measure(tables: Path, sessions: int, seconds: float, add_after: float) -> dict:
    """Serve a copy of `tables`, read with `sessions` sessions for `seconds` while an article
    is added; returns the figures (errors, latencies, seconds until all saw the article)."""
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "data"
        shutil.copytree(tables, data)
        with dashboard(data, ADD_ARTICLES="off") as served:
            results, added = asyncio.run(drive(served.url, data, sessions, seconds, add_after))
    latencies = [x for s in results for x in s.latencies]
    seen = [s.saw_new for s in results]
    return {
        "sessions": sessions,
        "pages": len(latencies),
        "errors": [e for s in results for e in s.errors],
        "p50": percentile(latencies, 0.5), "p90": percentile(latencies, 0.9), "p99": percentile(latencies, 0.99),
        "adding_seconds": added["done"] - added["began"] if "done" in added else None,
        "all_saw_it": (max(seen) - added["began"]) if seen and None not in seen else None,
        "stale_visits": sum(s.stale for s in results),
        "loop_seconds": statistics.median(latencies) * len(pages_to_read(tables)) if latencies else 0.0,
    }


def report(figures: dict) -> str:
    """The figures as lines for the terminal."""
    seen = figures["all_saw_it"]
    lines = [f"sessions: {figures['sessions']}, pages read: {figures['pages']}, errors: {len(figures['errors'])}"]
    lines += [f"  - {e}" for e in figures["errors"][:20]]
    lines.append(f"page latency (s): p50 {figures['p50']:.2f}, p90 {figures['p90']:.2f}, p99 {figures['p99']:.2f}")
    lines.append(f"adding the article took {figures['adding_seconds']:.1f} s" if figures["adding_seconds"] else
                 "the article was not added in time")
    lines.append(f"every session saw it {seen:.1f} s after the addition began" if seen is not None else
                 "not every session saw the new article")
    lines.append(f"visits of the page showing it, begun after the addition, that did not show it: "
                 f"{figures['stale_visits']} (a session reads its pages in turn, about "
                 f"{figures['loop_seconds']:.0f} s a round at the median latency)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=Path, help="a tables folder built by lib.preprocess (default: the seeds)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--add-after", type=float, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        tables = args.tables
        if tables is None:
            tables = Path(scratch) / "seeds"
            run(Path(__file__).resolve().parents[1] / "seeds", tables, progress=False)
        figures = measure(tables, args.sessions, args.seconds, args.add_after)
    print(report(figures))
    return 1 if figures["errors"] or figures["all_saw_it"] is None else 0


if __name__ == "__main__":
    sys.exit(main())

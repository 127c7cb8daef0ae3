"""Dashboard speed on a folder of tables (not a test).

    python -m benchmarks.bench_pages DATA_DIR [--runs 5] [--json results.json]

Measures, with Streamlit's AppTest in this one process:

* the first load of the data: the Overview's run with every cache empty (opening the tables and
  its queries), both in this fresh process (Python imports included) and once more after
  clearing the caches (the data alone);
* every page's script run once its data is cached: the median of `--runs` re-runs, each a
  fresh session (a new AppTest) so nothing but the shared caches is reused. The time is taken
  inside the script run (a wrapper runs the page file), so AppTest's own start-up is not in it.

`--profile PAGE` prints where a warm run of PAGE spends its time instead.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("overview", "article", "timeline", "charts", "quotes", "compare", "actor")
# Pages timed on a view a link opens rather than their bare address: the name of a query for the
# parameter's value (the actor page: the most mentioned actor, the one with most rows to read).
PAGE_QUERY = {"actor": ("name", "SELECT actor FROM actors GROUP BY actor ORDER BY count(*) DESC LIMIT 1")}


TIMER = "bench_seconds"  # session-state key the wrapper script leaves its measurement in
WRAPPER = """
import cProfile, runpy, time
import streamlit as st
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
    st.session_state[{timer!r}] = time.perf_counter() - began
"""


def _query_params(page: str) -> dict[str, str]:
    """The URL parameters `page` is timed with (PAGE_QUERY), read from the served tables."""
    if page not in PAGE_QUERY:
        return {}
    from lib.contract.tableio import tables_folder
    from lib.views.warehouse import Warehouse

    name, sql = PAGE_QUERY[page]
    warehouse = Warehouse(tables_folder(Path(os.environ["DASHBOARD_DATA"])))
    try:
        found = warehouse.value(sql)
    finally:
        warehouse.close()
    return {} if found is None else {name: str(found)}


def _run(page: str, profile: bool = False) -> float:
    """Seconds of one script run of `page` in a fresh AppTest session."""
    from streamlit.testing.v1 import AppTest

    path = str(ROOT / "pages" / f"{page}.py")
    app = AppTest.from_string(WRAPPER.format(path=path, timer=TIMER, profile=profile), default_timeout=600)
    for name, value in _query_params(page).items():
        app.query_params[name] = value
    app.run()
    if app.exception:
        raise RuntimeError(f"{page}: {app.exception[0].message}")
    return app.session_state[TIMER]


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
    """The first data load and each page's warm script time (seconds) on the tables of `data_dir`."""
    os.environ["DASHBOARD_DATA"] = str(data_dir)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    result: dict = {"first_run_s": round(first_load(), 3), "first_load_s": round(first_load(), 3),
                    "cold_s": {}, "warm_s": {}}
    for page in pages:
        result["cold_s"][page] = round(_run(page), 3)  # fills this page's caches
        result["warm_s"][page] = round(statistics.median(_run(page) for _ in range(runs)), 3)
    return result


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
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=PAGES, help="time only these pages")
    parser.add_argument("--profile", choices=PAGES, default=None, help="profile a warm run of this page instead")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    if args.profile:
        logging.getLogger("streamlit").setLevel(logging.ERROR)
        os.environ["DASHBOARD_DATA"] = str(args.data.resolve())
        profile(args.profile)
        return 0
    result = page_times(args.data.resolve(), args.runs, tuple(args.pages))
    print(report(result), flush=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

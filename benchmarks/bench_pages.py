"""Dashboard speed on a folder of tables (not a test).

    python -m benchmarks.bench_pages DATA_DIR [--runs 5] [--json results.json]

Measures, with Streamlit's AppTest in this one process:

* the first load of the data: the Overview's run with every cache empty (opening the tables and
  its queries), both in this fresh process (Python imports included) and once more after
  clearing the caches (the data alone);
* every page's script run once its data is cached (and a few views besides a page's default,
  `VIEWS`: the Outlet page of the outlet with most articles, ...): the median of `--runs` re-runs, each a
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
PAGES = ("overview", "article", "timeline", "charts", "quotes", "compare", "outlet")
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


def _run(page: str, profile: bool = False, params: dict[str, str] | None = None) -> float:
    """Seconds of one script run of `page` (with URL `params`) in a fresh AppTest session."""
    from streamlit.testing.v1 import AppTest

    path = str(ROOT / "pages" / f"{page}.py")
    app = AppTest.from_string(WRAPPER.format(path=path, timer=TIMER, profile=profile), default_timeout=600)
    for name, value in (params or {}).items():
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


def page_times(data_dir: Path, runs: int = 5) -> dict:
    """The first data load and each page's warm script time (seconds) on the tables of `data_dir`."""
    os.environ["DASHBOARD_DATA"] = str(data_dir)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    result: dict = {"first_run_s": round(first_load(), 3), "first_load_s": round(first_load(), 3),
                    "cold_s": {}, "warm_s": {}}
    for page in PAGES:
        result["cold_s"][page] = round(_run(page), 3)  # fills this page's caches
        result["warm_s"][page] = round(statistics.median(_run(page) for _ in range(runs)), 3)
    stand_ins = _stand_ins(data_dir)
    for name, (page, params) in VIEWS.items():
        given = {key: stand_ins.get(value, value) for key, value in params.items()}
        result["cold_s"][name] = round(_run(page, params=given), 3)
        result["warm_s"][name] = round(statistics.median(_run(page, params=given) for _ in range(runs)), 3)
    return result


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
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    if args.profile:
        logging.getLogger("streamlit").setLevel(logging.ERROR)
        os.environ["DASHBOARD_DATA"] = str(args.data.resolve())
        profile(args.profile)
        return 0
    result = page_times(args.data.resolve(), args.runs)
    print(report(result), flush=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

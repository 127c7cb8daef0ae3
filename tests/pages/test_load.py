"""Under load: 20 concurrent sessions go through every page of a served dashboard; no page
errors and the server's memory stays bounded.

Why a server and websockets rather than AppTest: AppTest is not thread-safe (each run installs a
process-wide mock Runtime and config, and removes them when it ends), so parallel AppTests in
threads would interfere with one another. Instead the dashboard is started once, and each
session speaks Streamlit's own protocol over its websocket, like a browser tab without the
rendering: it asks for a page (a `rerun_script` BackMsg) and reads the ForwardMsgs until the
script has finished, failing on any exception element. All sessions run concurrently in one
asyncio loop; the server process's resident memory is read from /proc before and after.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.serving import dashboard

websockets = pytest.importorskip("websockets")
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

SESSIONS = 20
LOAD_SECONDS = 25  # sessions start new page runs for this long (the server runs scripts under one GIL)
PAGE_SECONDS = 90  # a single page run slower than this (queued behind the others) counts as a failure
RSS_GROWTH_LIMIT_MB = 400  # generous: caches fill once, sessions must not accumulate
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


def page_paths() -> list[str]:
    """The url_path of every page the dashboard registers."""
    paths = [""] + re.findall(r'url_path="([^"]+)"', (ROOT / "dashboard.py").read_text(encoding="utf-8"))  # "" is /
    assert len(paths) > 1, "no pages found in dashboard.py"
    return paths


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (Linux /proc)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status)[1]) / 1024


@pytest.fixture(scope="module")
def server(seed_tables, tmp_path_factory):
    """(port, pid) of a dashboard serving a copy of the seed tables."""
    if not Path("/proc/self/status").exists():
        pytest.skip("memory is read from /proc")
    data = tmp_path_factory.mktemp("load") / "data"
    shutil.copytree(seed_tables, data)
    with dashboard(data) as served:
        yield served.port, served.pid


async def run_page(ws, page: str) -> list[str]:
    """Ask for one page and read until its script has finished; returns its error messages."""
    request = BackMsg()
    request.rerun_script.query_string = ""
    request.rerun_script.page_name = page
    await ws.send(request.SerializeToString())
    errors = []
    while True:
        message = ForwardMsg()
        message.ParseFromString(await asyncio.wait_for(ws.recv(), PAGE_SECONDS))
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "exception":
                errors.append(f"{page}: {element.exception.type}: {element.exception.message}")
        elif kind == "script_finished":
            if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                return [*errors, f"{page}: compile error"]
            if message.script_finished in FINISHED:
                return errors
            # FINISHED_EARLY_FOR_RERUN: the page asked for a rerun (e.g. to settle its URL); keep reading


async def session(port: int, pages: list[str], first: int, until: float, least: int, visits: list[str]) -> list[str]:
    """One browser-less tab: goes round every page, starting at page `first`, over one websocket
    until the loop's clock passes `until`, visiting at least `least` pages."""
    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    loop = asyncio.get_running_loop()
    errors: list[str] = []
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
        step = 0
        while step < least or loop.time() < until:
            page = pages[(first + step) % len(pages)]
            errors.extend(await run_page(ws, page))
            visits.append(page)
            step += 1
    return errors


def drive(port: int, pages: list[str], count: int, seconds: float = 0, least: int = 1) -> tuple[list[str], list[str]]:
    """`count` concurrent sessions for about `seconds`; returns (errors, pages visited)."""

    async def all_sessions() -> list:
        until = asyncio.get_running_loop().time() + seconds
        return await asyncio.gather(
            *(session(port, pages, i, until, least, visits) for i in range(count)), return_exceptions=True
        )

    visits: list[str] = []
    errors = []
    # In a thread of its own: a Playwright fixture of another test module may hold this thread's loop.
    with ThreadPoolExecutor(max_workers=1) as runner:
        results = runner.submit(asyncio.run, all_sessions()).result()
    for result in results:
        errors.extend([f"{type(result).__name__}: {result}"] if isinstance(result, BaseException) else result)
    return errors, visits


def test_concurrent_sessions_through_every_page(server):
    port, pid = server
    pages = page_paths()
    errors, _ = drive(port, pages, 1, least=len(pages))  # warm-up: tables load and caches fill once
    assert errors == []
    before = rss_mb(pid)
    errors, visits = drive(port, pages, SESSIONS, LOAD_SECONDS)
    assert errors == []
    assert set(visits) == set(pages) and len(visits) >= SESSIONS
    errors, _ = drive(port, pages, 1, least=len(pages))  # still serving every page after the load
    assert errors == []
    growth = rss_mb(pid) - before
    assert growth < RSS_GROWTH_LIMIT_MB, f"server memory grew by {growth:.0f} MB over {len(visits)} page runs"

"""Several readers in headless Chromium keep reading every page while an article is added: none
sees an error or an empty page (`benchmarks.bench_readers`, short and bounded). How soon every
reader sees the new article depends on the machine's speed, so the benchmark reports it and this
test does not time it."""

from __future__ import annotations

import threading

import pytest

from tests.serving import chromium_executable, unavailable

pytestmark = pytest.mark.browser


def test_readers_see_no_error_while_an_article_is_added(seed_tables):
    if chromium_executable() is None:
        unavailable("Chromium is not installed (make browser-deps)")
    from benchmarks.bench_readers import measure

    figures = {}
    # a thread of its own: the async driver needs an event loop the session's sync browser does not hold
    worker = threading.Thread(target=lambda: figures.update(measure(seed_tables, sessions=5, seconds=20, add_after=4)))
    worker.start()
    worker.join(timeout=300)
    assert figures, "the load run did not finish"
    assert figures["errors"] == []
    assert figures["pages"] > 0

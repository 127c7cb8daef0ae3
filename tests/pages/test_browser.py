"""The served dashboard in headless Chromium: links open views, filters write links, nothing is injected.

A session-scoped fixture serves dashboard.py on the preprocessed seeds; each test opens a URL
and checks what a person sees. Screenshots land in test-artifacts/. The tests skip when Chromium
or Playwright is missing, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.conftest import ROOT
from tests.serving import dashboard

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT_MS = 60_000
PAGES = ["overview", "article", "timeline", "charts", "quotes", "compare"]


@pytest.fixture(scope="session")
def server(seed_tables):
    """The dashboard served on the seed tables at a free local port; stopped at the end."""
    with dashboard(seed_tables) as served:
        yield served.url


@pytest.fixture(scope="session")
def context(chromium):
    """One browser profile for every test, so Streamlit's scripts are fetched once."""
    shared = chromium.new_context(viewport={"width": 1400, "height": 900})
    yield shared
    shared.close()


@pytest.fixture
def tab(context):
    """A new tab of the shared profile, closed after the test."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    page.close()


def open_view(tab, server: str, path: str, ready: str = "h1"):
    """Open `path` and wait until Streamlit has drawn the page and finished running it."""
    tab.goto(server + path, wait_until="domcontentloaded")
    tab.wait_for_selector('[data-testid="stApp"]')
    tab.wait_for_selector(ready)
    settle(tab)
    return tab


def settle(tab) -> None:
    """Wait for the current script run to end (the status widget disappears) and the link box."""
    tab.wait_for_selector('.st-key-share_link code')
    tab.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS
    )


def wait_for_link(tab, part: str) -> None:
    """Wait until the rerun after an interaction has redrawn the link box with `part`."""
    tab.wait_for_function(
        "part => (document.querySelector('.st-key-share_link code')?.innerText || '').replace(/\\n/g, '').includes(part)",
        arg=part,
    )


def link_box(tab) -> str:
    return tab.locator(".st-key-share_link code").inner_text().replace("\n", "")


def address(tab) -> dict[str, list[str]]:
    return parse_qs(urlsplit(tab.url).query)


def screenshot(tab, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def caption_with(tab, words: str) -> str:
    return tab.locator('[data-testid="stCaptionContainer"]', has_text=words).first.inner_text()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_shows_its_link_without_scrolling(tab, server, name):
    open_view(tab, server, "/" if name == "overview" else f"/{name}")
    assert tab.get_by_text("Page not found").count() == 0
    box = tab.locator(".st-key-share_link code")
    assert box.is_visible()
    top = box.bounding_box()
    assert top is not None and top["y"] + top["height"] <= 900  # inside the first screen
    assert f"/{name}" in link_box(tab) or name == "overview"
    assert "v=" in link_box(tab)
    screenshot(tab, f"page-{name}")


def test_a_link_opens_the_filtered_timeline(tab, server):
    open_view(tab, server, "/timeline?actor=Xi+Jinping&color=actor", ready='[data-testid="stPlotlyChart"]')
    chips = tab.locator('[data-testid="stMultiSelect"]', has_text="Actors")
    assert "Xi Jinping" in chips.inner_text()
    assert tab.get_by_role("radio", name="actor").is_checked()
    shown, _, everything = caption_with(tab, "events, from").split()[:3]  # "6 of 38 events, …"
    assert 0 < int(shown) < int(everything)
    assert "Lead actor" in tab.locator('[data-testid="stPlotlyChart"]').inner_text()
    screenshot(tab, "timeline-from-link")


def test_changing_a_filter_writes_the_address_and_survives_a_reload(tab, server):
    open_view(tab, server, "/timeline", ready='[data-testid="stPlotlyChart"]')
    assert "color" not in address(tab)
    tab.locator('[data-testid="stRadio"]').get_by_text("actor", exact=True).click()
    tab.wait_for_function("() => location.search.includes('color=actor')")
    wait_for_link(tab, "color=actor")
    assert address(tab)["color"] == ["actor"]
    assert "color=actor" in link_box(tab)
    tab.reload(wait_until="domcontentloaded")
    tab.wait_for_selector('[data-testid="stPlotlyChart"]')
    settle(tab)
    assert tab.get_by_role("radio", name="actor").is_checked()
    assert "Lead actor" in tab.locator('[data-testid="stPlotlyChart"]').inner_text()


def test_a_quotes_search_link_narrows_the_list_and_a_tab_is_kept(tab, server):
    open_view(tab, server, "/quotes?q=unprecedented", ready="text=Mikhail Mishustin")
    assert tab.get_by_role("textbox", name="Search the quotes").input_value() == "unprecedented"
    assert caption_with(tab, "quotes").split()[0] != caption_with(tab, "quotes").split()[2]  # "n of m"
    tab.get_by_role("tab", name="Speakers").click()
    tab.wait_for_function("() => location.search.includes('view=Speakers')")
    wait_for_link(tab, "view=Speakers")
    assert "q=unprecedented&view=Speakers&v=" in link_box(tab)
    screenshot(tab, "quotes-from-link")


@pytest.mark.parametrize(
    "path",
    [
        "/quotes?q=" + quote("<script>window.__x=1</script>"),
        "/timeline?actor=" + quote("<img src=x onerror=window.__x=1>") + "&src=" + quote("<script>window.__x=1</script>"),
        "/article?article=" + quote("<img src=x onerror=window.__x=1>") + "&at=" + quote("<b>1</b>"),
        "/charts?metric=" + quote("<svg onload=window.__x=1>"),
    ],
)
def test_markup_in_a_link_is_dropped_with_a_notice_and_never_runs(tab, server, path):
    open_view(tab, server, path)
    notice = tab.locator('[data-testid="stAlert"]', has_text="left out")
    assert notice.count() == 1
    assert "window.__x=1" in notice.inner_text()  # shown as text
    assert tab.evaluate("() => typeof window.__x") == "undefined"
    assert tab.locator("img[src='x'], svg[onload], script:has-text('__x')").count() == 0
    assert "__x" not in (urlsplit(tab.url).query + link_box(tab))
    screenshot(tab, "markup-dropped-" + path.split("?")[0].strip("/"))


def test_a_link_made_on_other_data_says_so(tab, server):
    open_view(tab, server, "/compare?src=AFP&src=Bloomberg&v=0000000000")
    assert tab.locator('[data-testid="stAlert"]', has_text="another version of the data").count() == 1
    assert "Choose at least two sources" not in tab.content()
    assert address(tab)["src"] == ["AFP", "Bloomberg"]


def last_sentence_link(seed_tables) -> tuple[str, int, str]:
    """The article id, offset and text of the last quote of the longest seed article: far down."""
    import pandas as pd

    articles = pd.read_parquet(seed_tables / "articles.parquet")
    longest = articles.loc[articles["text"].str.len().idxmax()]
    quotes = pd.read_parquet(seed_tables / "quotes.parquet")
    last = quotes[quotes["article_id"] == longest["article_id"]].sort_values("start").iloc[-1]
    return str(longest["article_id"]), int(last["start"]), str(last["text"])


def in_viewport(tab, selector: str) -> bool:
    return tab.evaluate(
        """sel => { const r = document.querySelector(sel)?.getBoundingClientRect();
                    return !!r && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_a_sentence_link_lands_on_the_highlighted_sentence(tab, server, seed_tables):
    article_id, at, words = last_sentence_link(seed_tables)
    open_view(tab, server, f"/article?article={article_id}&at={at}", ready=".article-focus")
    tab.wait_for_function(
        """() => { const r = document.querySelector('.article-focus')?.getBoundingClientRect();
                   return !!r && r.top >= 0 && r.bottom <= window.innerHeight; }""")
    assert in_viewport(tab, ".article-focus")
    highlighted = " ".join(tab.locator(".article-focus").all_inner_texts())
    assert any(word in highlighted for word in words.split() if len(word) > 3)
    assert tab.locator(".article-focus").first.bounding_box()["y"] > 0
    screenshot(tab, "article-at-sentence")

"""In a real browser: an article full of markup added from the "Add articles" page is shown as
text on the Article and Quotes pages, and nothing in it runs or renders. Pasted text holding HTML
is read as HTML (its tags and scripts are no text); metadata such as the title is shown as written.
Without the right to add, the page only explains how adding is turned on, and nothing is written;
an added article is removed from the page, and no page shows it afterwards.

Starts its own dashboard (headless, on a free local port) over a copy of the preprocessed seeds.
"""

from __future__ import annotations

import shutil

import pytest

from lib.contract.tableio import read_tables
from tests.serving import dashboard

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned=1</script>"
IMAGE_TAG = '<img src=x onerror="window.__pwned=2">'
LINK = "[click](javascript:alert(1))"
IMAGE = "![x](http://example.invalid/x.png)"
TITLE = f"Zanzibarian summit {IMAGE} {LINK} {IMAGE_TAG}"
OUTLET = f"Outlet {IMAGE_TAG} {IMAGE}"
TEXT = (
    f"Vladimir Putin met Xi Jinping in Beijing on Thursday. {SCRIPT}\n\n"
    f"\u201cZanzibarian friendship {SCRIPT} {IMAGE_TAG} is forever,\u201d Putin said.\n\n"
    f"Trade reached $240 billion in 2023, officials said. {LINK} {IMAGE}\n"
)
LOAD = 120_000  # ms: the first run of a page loads the language model and the tables


@pytest.fixture(scope="module")
def served(seed_tables, tmp_path_factory):
    """(base URL, data folder) of a dashboard serving a writable copy of the seed tables."""
    data = tmp_path_factory.mktemp("browser_add") / "data"
    shutil.copytree(seed_tables, data)
    with dashboard(data, ADD_ARTICLES="open") as served:
        yield served.url, data


@pytest.fixture
def tab(chromium):
    page = chromium.new_page()
    page.set_default_timeout(LOAD)
    yield page
    page.close()


def open_page(tab, url: str) -> None:
    tab.goto(url)
    tab.wait_for_selector('[data-testid="stApp"]')
    tab.wait_for_selector('[data-testid="stMain"] h1')


def assert_inert(tab) -> None:
    """Nothing of the injected markup ran or became an element."""
    assert tab.evaluate("() => window.__pwned") is None
    assert tab.locator('img[src="x"], img[src*="example.invalid"]').count() == 0
    assert tab.locator('a[href^="javascript:" i]').count() == 0
    assert tab.locator('[data-testid="stMain"] script').count() == 0


@pytest.fixture(scope="module")
def added(served, chromium) -> str:
    """Paste the hostile article through the page; returns its article id."""
    url, data = served
    before = set(read_tables(data)["articles"]["article_id"])
    page = chromium.new_page()
    page.set_default_timeout(LOAD)
    try:
        open_page(page, f"{url}/add")
        page.get_by_role("tab", name="Paste text").click()
        page.get_by_label("Title (optional)").fill(TITLE)
        page.get_by_label("Outlet (optional)").fill(OUTLET)
        page.get_by_label("Published (optional, YYYY-MM-DD)").last.fill("2024-05-16")
        page.get_by_label("Article text").fill(TEXT)
        page.get_by_role("button", name="Add article").click()
        page.get_by_text("Added 1 article").wait_for()
        assert_inert(page)
    finally:
        page.close()
    new = set(read_tables(data)["articles"]["article_id"]) - before
    assert len(new) == 1
    return new.pop()


def test_added_article_is_shown_as_text_on_the_article_page(served, added, tab):
    url, _ = served
    open_page(tab, f"{url}/article?article={added}")
    main = tab.locator('[data-testid="stMain"]')
    main.get_by_text("Zanzibarian friendship", exact=False).first.wait_for()
    shown = main.inner_text()
    assert TITLE in shown and OUTLET in shown  # metadata: shown as written, as text
    body = shown.replace(TITLE, "").replace(OUTLET, "")
    assert LINK in body and IMAGE in body  # Markdown-looking text in an HTML paste stays text
    assert "__pwned" not in body and "onerror" not in body  # the pasted tags were read as HTML, not kept
    assert_inert(tab)


def test_added_quote_is_shown_as_text_on_the_quotes_page(served, added, tab):
    url, _ = served
    open_page(tab, f"{url}/quotes?q=Zanzibarian")
    main = tab.locator('[data-testid="stMain"]')
    main.get_by_text("Zanzibarian friendship", exact=False).first.wait_for()
    shown = main.inner_text().replace(TITLE, "").replace(OUTLET, "")
    assert "Zanzibarian friendship is forever" in shown  # the quote without the pasted tags
    assert "__pwned" not in shown and "onerror" not in shown
    assert_inert(tab)


def test_without_the_right_the_page_writes_nothing(seed_tables, tmp_path, tab):
    data = tmp_path / "data"
    shutil.copytree(seed_tables, data)
    with dashboard(data, ADD_ARTICLES="off") as served:
        open_page(tab, f"{served.url}/add")
        tab.get_by_text("Adding articles is turned off").wait_for()
        assert tab.get_by_label("Article text").count() == 0
        assert tab.get_by_role("button", name="Add article").count() == 0
    assert not (data / "added").exists() and not (data / "additions.jsonl").exists()


def test_removed_article_is_gone_from_every_page(served, added, tab):
    url, data = served
    assert "add" in (data / "additions.jsonl").read_text(encoding="utf-8")
    open_page(tab, f"{url}/add")
    tab.get_by_text("Added articles").wait_for()
    choice = tab.get_by_label("Remove")
    choice.click()
    choice.press_sequentially(added[:24])  # the option's text is shortened on screen; typing filters it
    tab.keyboard.press("Enter")
    tab.keyboard.press("Escape")
    tab.get_by_role("button", name="Remove and rebuild").click()
    tab.get_by_text("Removed 1 article").wait_for()
    assert added not in set(read_tables(data)["articles"]["article_id"])
    for path in ("", "/quotes?q=Zanzibarian", "/timeline", "/compare", f"/article?article={added}"):
        open_page(tab, f"{url}{path}")
        tab.wait_for_load_state("networkidle")
        tab.wait_for_timeout(500)
        assert "Zanzibarian" not in tab.locator('[data-testid="stMain"]').inner_text()

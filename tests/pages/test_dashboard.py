"""The entry script: navigation over every page, the Overview as the default page."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def test_entry_script_runs_the_overview_by_default(app_data):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "China–Russia Ties Dashboard"


def test_every_page_file_is_registered_once():
    entry = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    registered = re.findall(r'st\.Page\("pages/(\w+)\.py"', entry)
    on_disk = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
    assert sorted(registered) == on_disk


def test_every_page_but_search_has_the_sidebar_search_box(app_data):
    """Where the box sends the reader is a browser test (test_browser_search.py): AppTest does not
    follow st.switch_page."""
    from app.searchbox import KEY_WORDS

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert [box.key for box in at.sidebar.text_input] == [KEY_WORDS]
    assert [button.label for button in at.sidebar.button] == ["Search"]
    at.switch_page("pages/search.py").run()
    assert not at.exception
    assert at.title[0].value == "Search"
    assert KEY_WORDS not in [box.key for box in at.sidebar.text_input]  # not twice on the Search page

"""The one place the dashboard touches a private Streamlit attribute, and why.

Streamlit has two multipage modes. When `pages/` sits next to the entry script, a freshly started
server turns on the old one (`PagesManager.uses_pages_directory`): a deep link such as
`/quotes?q=…` then runs `pages/quotes.py` on its own, without `dashboard.py`'s `st.navigation`,
so the first shared link opened after a restart shows another sidebar and layout. Only a session
that runs `st.navigation` turns the mode off.

No public way does it earlier (checked on Streamlit 1.67): there is no configuration option,
`st.navigation` and `st.switch_page` act only once the entry script runs, and the project's
layout keeps `pages/` next to `dashboard.py`. So `leave_pages_directory_mode` clears the flag;
`tests/app/test_private_streamlit.py` fails with a clear message when Streamlit changes it.
"""

from __future__ import annotations

FLAG = "uses_pages_directory"  # class attribute of streamlit.runtime.pages_manager.PagesManager


def leave_pages_directory_mode() -> bool:
    """Turn Streamlit's old pages-folder mode off; True when it was on (the caller reruns so that
    `dashboard.py` runs). False, changing nothing, when this Streamlit has no such flag."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:
        return False
    if getattr(PagesManager, FLAG, None):
        setattr(PagesManager, FLAG, False)
        return True
    return False

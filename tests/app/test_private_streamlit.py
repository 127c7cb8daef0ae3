"""app.private_streamlit: the private Streamlit flag the dashboard clears still exists and still
decides which multipage mode runs. A failure here means Streamlit changed: check whether a deep
link opened right after a server start still runs through dashboard.py, then update or remove
`leave_pages_directory_mode`."""

from __future__ import annotations

import inspect

import pytest

from app import private_streamlit

CHANGED = ("Streamlit changed its private multipage flag PagesManager.{flag} ({what}). "
           "app/private_streamlit.py relies on it: see its docstring, check deep links after a restart "
           "(tests/pages/test_browser*.py) and adapt or remove leave_pages_directory_mode.")


@pytest.fixture
def manager():
    from streamlit.runtime.pages_manager import PagesManager

    saved = PagesManager.__dict__.get(private_streamlit.FLAG)
    yield PagesManager
    setattr(PagesManager, private_streamlit.FLAG, saved)


def test_streamlit_still_has_the_flag(manager):
    assert private_streamlit.FLAG in vars(manager), CHANGED.format(flag=private_streamlit.FLAG, what="it is gone")


def test_the_flag_still_chooses_the_old_mode_and_navigation_still_clears_it():
    from streamlit.commands import navigation
    from streamlit.runtime.scriptrunner import script_runner

    flag = f"PagesManager.{private_streamlit.FLAG}"
    assert flag in inspect.getsource(script_runner), CHANGED.format(
        flag=private_streamlit.FLAG, what="the script runner no longer reads it")
    assert f"{flag} = False" in inspect.getsource(navigation), CHANGED.format(
        flag=private_streamlit.FLAG, what="st.navigation no longer clears it")


@pytest.mark.parametrize("before, cleared", [(True, True), (False, False), (None, False)])
def test_leaving_the_pages_directory_mode(manager, before, cleared):
    setattr(manager, private_streamlit.FLAG, before)
    assert private_streamlit.leave_pages_directory_mode() is cleared
    assert not getattr(manager, private_streamlit.FLAG)

"""Shareable links: every page's view lives in its URL, checked before the widgets read it.

Each page lists the query parameters that define its view (`Param`s built with `choice`,
`number`, `day`, `flag`, `text`) and calls `share(page, params)` before creating its widgets.
`share` then

* drops values that are not valid here (an actor not in the corpus, a malformed date, markup)
  and says so in one warning, the values shown escaped, never rendered;
* compares the data version `v` of the link with the data served, and says so when they differ;
* shows a "Link to this view" box at the top of the sidebar, with a copy button.

Widgets bound with `bind="query-params"` would drop invalid values silently; checking first
lets the page tell the reader what was left out of the link.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitAPIException

from app import private_streamlit, store, ui

VERSION = "v"  # URL parameter carrying the data version the link was made on
RESERVED = frozenset({"embed", "embed_options"})  # Streamlit's own parameters, left alone
NOTICES = "_link_notices"  # session key carrying notices over the rerun that cleans the URL
SHOWN = "_link_shown"  # session key: the notices this run shows, kept when `confirm` reruns
MAX_TEXT = 200
SHOWN_VALUE = 60  # longer dropped values are shortened in the notice
MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")


@dataclass(frozen=True)
class Param:
    """One URL parameter of a page: its name, which values it accepts and how many."""

    name: str
    accepts: Callable[[str], bool]
    fewest: int = 1
    most: int = 1
    whole: bool = False  # a range: one bad end drops both, so the page falls back to its default
    cleared: object = None  # the widget's value once its parameter is dropped (None: its default)


def choice(name: str, options: Iterable, many: bool = False) -> Param:
    """A parameter whose values must be among `options` (compared as text)."""
    allowed = {str(o) for o in options}
    return Param(name, allowed.__contains__, 1, 10_000 if many else 1)


def number(name: str, low: float, high: float | None = None, integer: bool = True, values: int = 1) -> Param:
    """A number (an integer unless told) between `low` and `high`; `values`=2 for a range."""

    def accepts(value: str) -> bool:
        try:
            parsed = int(value) if integer else float(value)
        except ValueError:
            return False
        return low <= parsed and (high is None or parsed <= high)

    return Param(name, accepts, values, values)


def day(name: str, first: dt.date, last: dt.date, most: int = 1) -> Param:
    """An ISO date (YYYY-MM-DD) from `first` to `last`; `most`=2 for a range."""

    def accepts(value: str) -> bool:
        try:
            return first <= dt.date.fromisoformat(value) <= last and len(value) == 10
        except ValueError:
            return False

    return Param(name, accepts, 1, most, whole=most > 1)


def flag(name: str) -> Param:
    """A checkbox or toggle: true or false."""
    return Param(name, lambda value: value.lower() in {"true", "false"})


def text(name: str, longest: int = MAX_TEXT) -> Param:
    """Free text such as a search: refused when too long, with control characters or markup."""

    def accepts(value: str) -> bool:
        return len(value) <= longest and value.isprintable() and not MARKUP.search(value)

    return Param(name, accepts, cleared="")


def escape_markdown(value: str) -> str:
    """`value` as literal text inside Streamlit markdown (no markup, link, emoji or formula)."""
    shown = value if len(value) <= SHOWN_VALUE else value[: SHOWN_VALUE - 1] + "…"
    return ui.literal(shown)


def invalid_values(
    params: Sequence[Param], given: dict[str, list[str]], ignore: Iterable[str] = ()
) -> dict[str, list[str]]:
    """Per parameter name of `given`, the values to drop (every value of an unknown name)."""
    known = {p.name: p for p in params}
    skipped = {VERSION, *RESERVED, *ignore}
    dropped: dict[str, list[str]] = {}
    for name, values in given.items():
        if name in skipped:
            continue
        param = known.get(name)
        if param is None:
            dropped[name] = values
            continue
        bad = [v for v in values if not param.accepts(v)]
        if (bad and param.whole) or not param.fewest <= len(values) - len(bad) <= param.most:
            bad = values
        if bad:
            dropped[name] = bad
    return dropped


def link_query(params: Sequence[Param], given: dict[str, list[str]], version: str) -> str:
    """The query string of a view: the page's parameters in their declared order, then `v`."""
    pairs = [(p.name, value) for p in params for value in given.get(p.name, [])]
    if version:
        pairs.append((VERSION, version))
    return urlencode(pairs)


def share(page: str, params: Sequence[Param], ignore: Iterable[str] = ()) -> None:
    """Check the URL of `page` against its parameters, show the notices and the link box.

    Call it once per run, after the options are known and before the first bound widget.
    Names in `ignore` are accepted without a check and left out of the link box.
    """
    _run_through_navigation()
    given = {name: st.query_params.get_all(name) for name in st.query_params}
    version = store.data_version()
    notices = st.session_state.pop(NOTICES, {})
    linked_version = (given.get(VERSION) or [""])[-1]
    if linked_version and version and linked_version != version:
        notices.setdefault("version", linked_version)
    dropped = invalid_values(params, given, ignore)
    if dropped and _remove(dropped, given, params):
        notices.setdefault("dropped", {}).update(dropped)
        _set_version(version)
        st.session_state[NOTICES] = notices
        st.rerun()  # the bound widgets read the cleaned URL on the next run
    notices.setdefault("dropped", {}).update(dropped)
    _set_version(version)
    st.session_state[SHOWN] = notices
    _show(notices, version)
    given = {name: st.query_params.get_all(name) for name in st.query_params}
    _link_box(page, link_query(params, given, version))


def confirm(param: Param) -> None:
    """Check one parameter again once the page knows its bounds (the pages of a listing, which
    depend on the filters), before its widget is drawn.

    A value the page cannot use leaves the URL, and with it the link box, and is named in the
    same single warning as the values `share` dropped (the run starts again to redraw the box).
    """
    given = {param.name: st.query_params.get_all(param.name)} if param.name in st.query_params else {}
    dropped = invalid_values([param], given)
    if dropped and _remove(dropped, given, [param]):
        notices = st.session_state.get(SHOWN, {})
        notices.setdefault("dropped", {}).update(dropped)
        st.session_state[NOTICES] = notices
        st.rerun()


def _run_through_navigation() -> None:
    """Rerun through dashboard.py when Streamlit ran this page file on its own (its old
    pages-folder mode, see `app.private_streamlit`), so a deep link shows the dashboard's layout."""
    if private_streamlit.leave_pages_directory_mode():
        st.rerun()


def set_param(name: str, value: str | None, default: str | None = None) -> None:
    """Put a manually synced value into the URL, leaving it out when it is the default."""
    if value is None or value == default:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def _remove(dropped: dict[str, list[str]], given: dict[str, list[str]], params: Sequence[Param]) -> bool:
    """Take the dropped values out of the URL and out of their widgets (a value typed into a bound
    widget would otherwise still apply and come back into the link); False when a bound
    parameter cannot be changed."""
    try:
        cleared = {p.name: p.cleared for p in params}
        for name, bad in dropped.items():
            _release(name, cleared.get(name))
            kept = [v for v in given[name] if v not in bad]
            if kept:
                st.query_params[name] = kept if len(kept) > 1 else kept[0]
            else:
                del st.query_params[name]
    except StreamlitAPIException:
        return False  # the widget is already bound: it drops the value itself
    return True


def _release(name: str, cleared: object = None) -> None:
    """Let a parameter bound to a widget on an earlier run be changed: the binding goes (the
    widget binds again when drawn) and so does the widget's value, so it starts from the URL
    (or shows `cleared`, so that the browser's copy of a typed text is replaced too).

    Streamlit refuses to change a bound parameter, and keeps a typed value in the widget's state;
    without this, a value typed into a bound widget that `share` drops would still apply.
    """
    from streamlit.runtime.state.session_state_proxy import get_session_state

    with get_session_state().query_params() as bound:
        binding = bound.get_binding_for_param(name)
        if binding is not None:
            bound.unbind_widget(binding.widget_id)
    if cleared is not None and name in st.session_state:
        st.session_state[name] = cleared
    else:
        st.session_state.pop(name, None)


def _set_version(version: str) -> None:
    if version:
        set_param(VERSION, version)


def _show(notices: dict, version: str) -> None:
    """The data-version notice and the one warning listing what the link lost."""
    if notices.get("version"):
        st.info(
            f"This link was made on another version of the data ({escape_markdown(notices['version'])}; "
            f"this dashboard now serves {escape_markdown(version)}). The view is rebuilt from the current "
            "data, so counts may differ and anything that no longer exists is left out."
        )
    dropped = notices.get("dropped") or {}
    if dropped:
        items = "; ".join(
            f"**{escape_markdown(name)}** = " + ", ".join(f"“{escape_markdown(v)}”" for v in values)
            for name, values in dropped.items()
        )
        st.warning(f"Some values in the link are not valid here and were left out: {items}.")


def _link_box(page: str, query: str) -> None:
    """The link to this view at the top of the sidebar, in a code box with a copy button."""
    base = st.context.url or f"/{page}"
    link = f"{base}?{query}" if query else base
    with st.sidebar.container(key="share_link"):
        st.caption("Link to this view (copy with the button on the right)")
        st.code(link, language=None, wrap_lines=True)

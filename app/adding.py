"""Who may add articles from the browser: the operator's decision, read from the environment
and from Streamlit's secrets; and the remote address an addition is recorded with.

`ADD_ARTICLES` (environment variable) is one of

* `open`  — anyone who opens the dashboard may add and remove (what `make run` sets when it
  serves on localhost only);
* `token` — whoever enters the token kept in Streamlit's secrets as `add_token`
  (`.streamlit/secrets.toml`), once per browser session;
* `off`   — nobody (the default: a dashboard served to others is read-only unless the operator
  turns adding on).
"""

from __future__ import annotations

import hmac
import os

import streamlit as st

MODE_ENV = "ADD_ARTICLES"
MODES = ("open", "token", "off")
SECRET = "add_token"
GRANTED = "add_granted"  # session state: the token was entered in this session

HOW_TO_ENABLE = (
    "Adding articles is turned off on this dashboard. Whoever runs it can turn it on: "
    f"`{MODE_ENV}=open` lets everyone add (fit for a dashboard on your own machine only); "
    f"`{MODE_ENV}=token` asks for the token kept as `{SECRET}` in Streamlit's secrets "
    "(`.streamlit/secrets.toml`). `make run` turns it on when it serves on localhost."
)


def mode() -> str:
    """The adding mode the operator chose (`off` when unset or unknown)."""
    chosen = os.environ.get(MODE_ENV, "off").strip().lower()
    return chosen if chosen in MODES else "off"


def secret_token() -> str | None:
    """The token kept in Streamlit's secrets, or None when there is none (or no secrets file)."""
    try:
        token = st.secrets.get(SECRET)
    except (FileNotFoundError, KeyError, OSError, ValueError):
        return None
    return str(token) if token else None


def token_matches(entered: str | None) -> bool:
    """Whether `entered` is the secret token (compared in constant time)."""
    token = secret_token()
    return bool(token and entered) and hmac.compare_digest(str(entered).encode(), token.encode())


def allowed() -> bool:
    """Whether this session may add and remove articles now."""
    chosen = mode()
    if chosen == "open":
        return True
    return chosen == "token" and secret_token() is not None and bool(st.session_state.get(GRANTED))


def grant(entered: str | None) -> bool:
    """Remember in this session that the right token was entered; returns whether it was."""
    ok = mode() == "token" and token_matches(entered)
    st.session_state[GRANTED] = ok
    return ok


def remote_address() -> str | None:
    """The session's remote address as Streamlit gives it (None on localhost or when unknown)."""
    try:
        address = st.context.ip_address
    except (AttributeError, RuntimeError):
        return None
    return address if isinstance(address, str) and address else None

"""Shared page helpers: widget keys, literal Markdown of untrusted text, links into articles.

HTML is built in `app.markup` only.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

# Widget keys: constants so the URL binding and tests can name them.
KEY_ARTICLE = "article"
KEY_SOURCES = "sources"
KEY_TOP_ACTORS = "top"

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'])")


def literal(text: object) -> str:
    """Untrusted text made literal for Streamlit's Markdown: no link, image, emphasis or HTML."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text).replace("\n", " "))


def article_url(article_id: str, at: int | None = None) -> str:
    """Relative URL of the Article page opened at one article (and one offset)."""
    return "article?" + urlencode(article_link_params(article_id, at))


def actor_url(name: str) -> str:
    """Relative URL of the Actor page of one canonical actor: every actor link is built here."""
    return "actor?" + urlencode({"name": str(name)})


def article_link_params(article_id: str, at: int | None = None) -> dict[str, str]:
    """The query parameters of `article_url`, for a same-tab `st.page_link`."""
    params = {"article": str(article_id)}
    if at is not None:
        params["at"] = str(int(at))
    return params

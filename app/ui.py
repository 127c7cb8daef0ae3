"""Shared page helpers: widget keys, source labels, escaped highlighting, links into articles.

Article text is untrusted: everything built here as HTML is escaped with `html.escape`.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pandas as pd

from lib.views.warehouse import source_label  # noqa: F401 - pages name their sources through ui

# Widget keys: constants so the URL binding and tests can name them.
KEY_ARTICLE = "article"
KEY_SOURCES = "sources"
KEY_TOP_ACTORS = "top"

ACTOR_COLOURS = {
    "person": "#fde68a",
    "organization": "#bfdbfe",
    "country": "#bbf7d0",
    "bloc": "#fbcfe8",
}
FOCUS_COLOUR = "#fca5a5"
FOCUS_CLASS = "article-focus"  # the highlighted sentence (a class: the sanitiser keeps it, not ids)
# A fixed script, no data in it: brings the highlighted sentence to the middle of the window once
# it is drawn (the text and the script arrive in the same run, in either order).
SCROLL_TO_FOCUS = f"""<script>
(() => {{
  let tries = 0;
  const go = () => {{
    const el = document.querySelector(".{FOCUS_CLASS}");
    if (el) {{ el.scrollIntoView({{block: "center"}}); return; }}
    if (++tries < 100) setTimeout(go, 50);
  }};
  go();
}})();
</script>"""
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


def actor_link(name: str, label: str | None = None) -> str:
    """HTML of a same-tab link to an actor's page, its text escaped (the name by default)."""
    href = html.escape(actor_url(name), quote=True)
    return f'<a href="{href}" target="_self">{html.escape(str(name if label is None else label))}</a>'


def actor_links(names: list[str], lead: str = "Actor pages: ") -> str:
    """HTML of a line of links to the pages of `names`, separated by middle dots, after `lead`."""
    return (f'<div class="actor-links">{html.escape(lead)}'
            + " · ".join(actor_link(n) for n in names) + "</div>")


def published_label(row: pd.Series) -> str:
    """The publication date, marked when it was inferred from the text."""
    value = row.get("published")
    if value is None or pd.isna(value) or not str(value):
        return "unknown"
    return f"{value} (inferred)" if bool(row.get("published_inferred")) else str(value)


def highlight(text: str, mentions: pd.DataFrame, focus: tuple[int, int] | None = None) -> str:
    """HTML of `text` with each mention marked and labelled; every piece of text is escaped.

    `mentions` needs `start`, `end`, `actor`, `actor_type`. Overlapping mentions keep the first.
    `focus` (start, end) is wrapped in an element with id "focus" so a link can scroll to it.
    """
    pieces: list[str] = []
    cursor = 0
    marks = mentions.sort_values("start") if len(mentions) else mentions
    events: list[tuple[int, int, str]] = []
    for row in marks.itertuples():
        start, end = int(row.start), int(row.end)
        if start < cursor or end > len(text) or start >= end:
            continue
        events.append((start, end, _mark(text[start:end], row.actor, row.actor_type)))
        cursor = end
    cursor = 0
    for start, end, markup in events:
        pieces.append(_plain(text, cursor, start, focus))
        pieces.append(markup)
        cursor = end
    pieces.append(_plain(text, cursor, len(text), focus))
    body = "".join(pieces)
    return f'<div style="white-space: pre-wrap; line-height: 1.9; font-size: 1rem">{body}</div>'


def _plain(text: str, start: int, end: int, focus: tuple[int, int] | None) -> str:
    """Escaped text between marks, with the focus range underlined where it falls."""
    if focus is None or focus[1] <= start or focus[0] >= end:
        return html.escape(text[start:end])
    a, b = max(start, focus[0]), min(end, focus[1])
    return (
        html.escape(text[start:a])
        + f'<span id="focus" class="{FOCUS_CLASS}" style="background:{FOCUS_COLOUR}">'
        + html.escape(text[a:b])
        + "</span>"
        + html.escape(text[b:end])
    )


def article_link_params(article_id: str, at: int | None = None) -> dict[str, str]:
    """The query parameters of `article_url`, for a same-tab `st.page_link`."""
    params = {"article": str(article_id)}
    if at is not None:
        params["at"] = str(int(at))
    return params


def _mark(surface: str, actor: str, actor_type: str) -> str:
    """One highlighted mention, labelled with its canonical name (or its type when the same),
    linking to the actor's page."""
    colour = ACTOR_COLOURS.get(str(actor_type), "#e5e7eb")
    label = actor if actor != surface else actor_type
    href = html.escape(actor_url(actor), quote=True)
    return (
        f'<a href="{href}" target="_self" style="color:inherit; text-decoration:none"><mark style="background:{colour}; padding:0 .2em; border-radius:.3em" title="{html.escape(str(actor))}">'
        f"{html.escape(surface)}"
        f'<span style="font-size:.65em; font-weight:600; margin-left:.3em; opacity:.7">'
        f"{html.escape(str(label))}</span></mark></a>"
    )

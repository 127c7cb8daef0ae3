"""HTML of one search hit: a linked heading, a line of details and the matching text, its matched
words marked. Article text, titles, names and the query are untrusted: every piece goes through
`html.escape`, and the only markup is the fixed tags written here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

MARK_STYLE = "background:#fde68a; padding:0 .1em; border-radius:.2em"
Pieces = Sequence[tuple[str, bool]]  # (text, matched) in order, as `lib.views.search.segments` gives


def marked(pieces: Pieces) -> str:
    """The pieces as escaped HTML, each matched one in a <mark>."""
    return "".join(f'<mark style="{MARK_STYLE}">{html.escape(text)}</mark>' if hit else html.escape(text)
                   for text, hit in pieces)


def hit_card(heading: Pieces, link: str, details: Sequence[str], body: Pieces) -> str:
    """One hit: `heading` linking (same tab) to `link`, `details` joined by dots, then `body`."""
    return (
        '<div class="search-hit" style="border-left:3px solid #93c5fd; padding:.3em .9em; margin:.8em 0">'
        f'<div style="font-weight:600"><a href="{html.escape(link, quote=True)}" target="_self">{marked(heading)}</a></div>'
        f'<div style="font-size:.85rem; opacity:.8">{"  ·  ".join(html.escape(d) for d in details if d)}</div>'
        f'<div style="margin-top:.2em; white-space:pre-wrap">{marked(body)}</div>'
        "</div>"
    )

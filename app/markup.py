"""Every piece of HTML the dashboard builds, in one place: each function escapes every untrusted
piece (article text, metadata, names, URL-derived values) with `html.escape`.

Streamlit's `st.html` and plotly's hover texts, labels and legends read HTML, so text put there
must be escaped; everything else is shown with plain elements (`st.dataframe`, `st.text`,
Markdown through `links.escape_markdown` or `ui.literal`). Colours and styles are fixed here, never
taken from data. `tests/app/test_markup.py` feeds hostile strings to every function and
`tests/test_layers.py` checks that no other module builds HTML.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

import pandas as pd

from app.ui import actor_url
from lib.contract.values import format_value
from lib.views.event_lanes import HOVER_NAMES, hover_lines
from lib.views.figure_series import wrap
from lib.views.labels import carriers_label
from lib.views.quote_search import UNKNOWN as UNKNOWN_SPEAKER

HOVER_WIDTH = 70  # characters a line of a chart hover holds (plotly does not wrap)
ACTOR_COLOURS = {
    "person": "#fde68a",
    "organization": "#bfdbfe",
    "country": "#bbf7d0",
    "bloc": "#fbcfe8",
}
OTHER_ACTOR_COLOUR = "#e5e7eb"
FOCUS_COLOUR = "#fca5a5"
FOCUS_CLASS = "article-focus"  # the highlighted sentence (a class: the sanitiser keeps it, not ids)
CHANGED_COLOUR = "#fde68a"  # words one wording has and the others lack
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


def text(value: object) -> str:
    """Untrusted text as HTML text: a chart's name, label, legend entry or axis category."""
    return html.escape("" if value is None else str(value))


def texts(values: Iterable[object]) -> list[str]:
    """`text` of each value."""
    return [text(v) for v in values]


def wrapped(value: object, width: int = HOVER_WIDTH) -> str:
    """Escaped text broken into lines of at most `width` characters with `<br>`, for hovers."""
    return "<br>".join(html.escape(line) for line in wrap(str(value), width))


def _relative_link(url: str) -> str:
    """A link the dashboard made (a relative page URL), escaped for an attribute; anything with a
    scheme or host (`javascript:`, `//host`) becomes "#"."""
    parts = urlsplit(url)
    safe = not parts.scheme and not parts.netloc and not url.lstrip().startswith(("/", "\\"))
    return html.escape(url if safe else "#", quote=True)


# --- Article page ---------------------------------------------------------------------------------


def highlight(article: str, mentions: pd.DataFrame, focus: tuple[int, int] | None = None) -> str:
    """HTML of an article's text with each actor mention marked and labelled.

    `mentions` needs `start`, `end`, `actor`, `actor_type`; overlapping mentions keep the first.
    `focus` (start, end) is underlined in an element of class FOCUS_CLASS, which SCROLL_TO_FOCUS
    brings into view.
    """
    marks: list[tuple[int, int, str]] = []
    cursor = 0
    rows = mentions.sort_values("start") if len(mentions) else mentions
    for row in rows.itertuples():
        start, end = int(row.start), int(row.end)
        if start < cursor or end > len(article) or start >= end:
            continue
        marks.append((start, end, _mark(article[start:end], row.actor, row.actor_type)))
        cursor = end
    pieces: list[str] = []
    cursor = 0
    for start, end, mark in marks:
        pieces += [_plain(article, cursor, start, focus), mark]
        cursor = end
    pieces.append(_plain(article, cursor, len(article), focus))
    return f'<div style="white-space: pre-wrap; line-height: 1.9; font-size: 1rem">{"".join(pieces)}</div>'


def _plain(article: str, start: int, end: int, focus: tuple[int, int] | None) -> str:
    """Escaped text between marks, with the focus range underlined where it falls."""
    if focus is None or focus[1] <= start or focus[0] >= end:
        return html.escape(article[start:end])
    a, b = max(start, focus[0]), min(end, focus[1])
    return (
        html.escape(article[start:a])
        + f'<span id="focus" class="{FOCUS_CLASS}" style="background:{FOCUS_COLOUR}">'
        + html.escape(article[a:b])
        + "</span>"
        + html.escape(article[b:end])
    )


def _mark(surface: str, actor: object, actor_type: object) -> str:
    """One highlighted mention, labelled with its canonical name (or its type when the same),
    linking to the actor's page."""
    colour = ACTOR_COLOURS.get(str(actor_type), OTHER_ACTOR_COLOUR)
    label = actor if actor != surface else actor_type
    return (
        f'<a href="{_relative_link(actor_url(str(actor)))}" target="_self" style="color:inherit; text-decoration:none">'
        f'<mark style="background:{colour}; padding:0 .2em; border-radius:.3em" title="{html.escape(str(actor))}">'
        f"{html.escape(surface)}"
        f'<span style="font-size:.65em; font-weight:600; margin-left:.3em; opacity:.7">'
        f"{html.escape(str(label))}</span></mark></a>"
    )


def actor_link(name: object, label: object = None) -> str:
    """A same-tab link to an actor's page, its text escaped (the name by default)."""
    return f'<a href="{_relative_link(actor_url(str(name)))}" target="_self">{text(name if label is None else label)}</a>'


def actor_links(names: Iterable[object], lead: str = "Actor pages: ") -> str:
    """A line of links to the pages of `names`, separated by middle dots, after `lead`."""
    return f'<div class="actor-links">{text(lead)}' + " · ".join(actor_link(n) for n in names) + "</div>"


# --- Quotes page ----------------------------------------------------------------------------------


def quote_card(row: Mapping, link: str) -> str:
    """One quote with its speaker, cue, addressee, kind, article (linked by `link`, a relative
    page URL), source and date.

    `row` needs `text`, `speaker_label`, `cue`, `addressee`, `kind`, `title`, `article_id`,
    `source`, `date`.
    """
    speaker = row["speaker_label"]
    said = f"<b>{text(speaker) if speaker == UNKNOWN_SPEAKER else actor_link(speaker)}</b>"
    if isinstance(row["cue"], str) and row["cue"]:
        said += f" <span style='opacity:.7'>({text(row['cue'])})</span>"
    if isinstance(row["addressee"], str) and row["addressee"]:
        said += f" to {text(row['addressee'])}"
    title = text(row["title"] if isinstance(row["title"], str) else row["article_id"])
    details = [
        said,
        text(row["kind"]),
        f'<a href="{_relative_link(link)}" target="_self">{title}</a>',
        text(row["source"]),
        text(row["date"]),
    ]
    return (
        '<div style="border-left:3px solid #93c5fd; padding:.3em .9em; margin:.7em 0">'
        f'<div style="font-size:1.05rem; white-space:pre-wrap">“{text(row["text"])}”</div>'
        f'<div style="font-size:.85rem; opacity:.85; margin-top:.2em">— {"  ·  ".join(details)}</div>'
        "</div>"
    )


# --- Compare page ---------------------------------------------------------------------------------


def marked_wording(words: Sequence[tuple[str, bool]]) -> str:
    """One wording in quotation marks, the flagged words (those the other wordings lack) highlighted."""
    parts = [
        f'<span style="background:{CHANGED_COLOUR}; border-radius:.2em">{html.escape(w)}</span>'
        if flagged else html.escape(w)
        for w, flagged in words
    ]
    return f'<div style="line-height:1.7; font-size:1rem">“{" ".join(parts)}”</div>'


# --- chart hovers ---------------------------------------------------------------------------------

# The Overview's coverage bars: the bucket, then the trace's name (an outlet or group, escaped by the
# page with `texts`) and the count.
COVERAGE_HOVER = "%{customdata[2]}<br>%{fullData.name}: %{y} article(s)<extra></extra>"



def figure_hover(value: float, unit: object, metric: object, period: object, kind: object, n_sources: int,
                 sources: object, conflict: bool, sentence: object, n_stories: int | None = None) -> str:
    """Hover of one figure point: value, metric, period, kind, its sources (copies of one story
    counted once: "1 story carried by 3 sources") and its sentence."""
    lines = [
        f"<b>{text(format_value(value, unit))}</b> {text(metric)} · {text(period)} ({text(kind)})",
        f"{text(carriers_label(n_sources, n_stories))}: {wrapped(sources)}",
    ]
    if conflict:
        lines.append("<b>⚠ sources disagree on this figure</b>")
    lines.append(f"“{wrapped('' if sentence is None else sentence)}”")
    return "<br>".join(lines)


def figure_hovers(points: pd.DataFrame) -> list[str]:
    """`figure_hover` of each point (rows of `figure_series.points_sql`)."""
    columns = ["value", "unit", "metric_label", "period_label", "kind", "n_sources", "sources", "conflict", "sentence",
               "n_stories"]
    return [figure_hover(*row) for row in zip(*(points[c].tolist() for c in columns))]


def attention_hover(actor: object, source: object, mentions: int, sentence: object) -> str:
    """Hover of one heatmap cell: an actor's mentions in a source and the first one's sentence."""
    if not mentions:
        return f"{text(actor)} · {text(source)}: no mention"
    return f"<b>{text(actor)}</b> · {text(source)}: {int(mentions)} mention(s)<br>first: “{wrapped(sentence)}”"


def pair_hover(actor_a: object, actor_b: object, weight: int, source: object, sentence: object) -> str:
    """Hover of one network edge: two actors, the sentences they share and the first of them."""
    return (f"<b>{text(actor_a)} — {text(actor_b)}</b>: {int(weight)} sentence(s)"
            f"<br>e.g. {text(source)}: “{wrapped(sentence)}”")


def actor_hover(actor: object, mentions: float) -> str:
    """Hover of one network node: an actor and its mentions."""
    return f"<b>{text(actor)}</b>: {int(mentions)} mention(s)"


def event_hover(event: Mapping, most: int = HOVER_NAMES) -> str:
    """Hover of one timeline event: its date in bold, then its summary, sources and actors
    (`event_lanes.hover_lines`), one line each."""
    first, *rest = hover_lines(event, most)
    return "<br>".join([f"<b>{text(first)}</b>", *texts(rest)])


# --- Search page ----------------------------------------------------------------------------------

SEARCH_MARK_STYLE = "background:#fde68a; padding:0 .1em; border-radius:.2em"
Pieces = Sequence[tuple[str, bool]]  # (text, matched) in order, as `lib.views.search.segments` gives


def search_marked(pieces: Pieces) -> str:
    """The pieces as escaped HTML, each matched one in a <mark>."""
    return "".join(f'<mark style="{SEARCH_MARK_STYLE}">{html.escape(text)}</mark>' if hit else html.escape(text)
                   for text, hit in pieces)


def search_hit(heading: Pieces, link: str, details: Sequence[str], body: Pieces) -> str:
    """One search hit: `heading` linking (same tab) to `link`, `details` joined by dots, then `body`."""
    return (
        '<div class="search-hit" style="border-left:3px solid #93c5fd; padding:.3em .9em; margin:.8em 0">'
        f'<div style="font-weight:600"><a href="{_relative_link(link)}" target="_self">{search_marked(heading)}</a></div>'
        f'<div style="font-size:.85rem; opacity:.8">{"  ·  ".join(html.escape(d) for d in details if d)}</div>'
        f'<div style="margin-top:.2em; white-space:pre-wrap">{search_marked(body)}</div>'
        "</div>"
    )

"""Source comparison as the Compare page shows it: which source carries which actors, facts,
quotes and events (SQL over the tables), and word-level differences between wordings.

The groups themselves (`fact_id`, `quote_group`, `event_id`) come from the cross-article steps
(`lib.crossarticle.alignment`, `lib.crossarticle.linking`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

import pandas as pd

from lib.contract.outlet_groups import group_names
from lib.contract.values import conflict_note
from lib.views.warehouse import SOURCE_OF, STORY_OF

WORD = re.compile(r"[^\W_]+", re.UNICODE)
DISPLAY_WORD = re.compile(r"\S+")

# --- coverage -------------------------------------------------------------------------------------
# Which source carries which actor, fact, quote and event is read in SQL, so a page run touches only
# the chosen sources and one page of rows. `coverage_cells` and `coverage_labels` are built once
# per data version and registered as the tables CELLS and LABELS (`group_cells` as GROUP_CELLS, for the
# lens by outlet group: the functions take `cells=GROUP_CELLS`); the functions below query them
# through `run`, a `(sql, *params) -> DataFrame` callable such as the dashboard's cached query.

KINDS = ("actor", "fact", "quote", "event")
CELLS = "compare_cells"  # one row per (kind, item, source)
GROUP_CELLS = "compare_group_cells"  # the same with outlet groups as the sources (the lens by group)
LABELS = "compare_labels"  # one row per (kind, item)
LABEL_LENGTH = 90  # quotations are labelled with their speaker and at most this many characters
Query = Callable[..., pd.DataFrame]

SOURCES_SQL = "SELECT source, count(*) AS articles FROM sources GROUP BY source ORDER BY source"
_GROUPS_SQL = "SELECT outlet_group AS source, count(*) AS articles FROM profiles GROUP BY ALL"
_SOURCES_JOIN = "LEFT JOIN sources s USING (article_id)"
_GROUPS_JOIN = "LEFT JOIN (SELECT article_id, outlet_group AS source FROM profiles) s USING (article_id)"

_MENTIONS_SQL = f"""
    SELECT 'actor' AS kind, actor AS item, article_id, start, surface AS shown, actor AS label
    FROM actors WHERE actor IS NOT NULL
    UNION ALL
    SELECT 'fact', f.fact_id, f.article_id, f.start, f.surface, coalesce(g.label, f.surface)
    FROM figures f LEFT JOIN fact_groups g USING (fact_id) WHERE f.fact_id IS NOT NULL
    UNION ALL
    SELECT 'quote', q.quote_group, q.article_id, q.start, q.text,
           CASE WHEN g.quote_group IS NULL THEN q.text
                ELSE coalesce(nullif(g.speaker, ''), 'unknown speaker') || ': “'
                     || CASE WHEN length(coalesce(g.text, '')) <= {LABEL_LENGTH} THEN coalesce(g.text, '')
                             ELSE rtrim(left(g.text, {LABEL_LENGTH - 1}), ' \t\n') || '…' END
                     || '”' END
    FROM quotes q LEFT JOIN quote_groups g USING (quote_group) WHERE q.quote_group IS NOT NULL
    UNION ALL
    SELECT 'event', event_id, article_id, start, summary,
           coalesce(date, 'date unknown') || ' · ' || coalesce(summary, '')
    FROM events WHERE event_id IS NOT NULL
"""

_CELLS_SQL = f"""
    WITH mentions AS ({_MENTIONS_SQL})
    SELECT m.kind, m.item, {SOURCE_OF} AS source,
           first(m.article_id ORDER BY m.article_id, m.start) AS article_id,
           first(m.start ORDER BY m.article_id, m.start) AS start,
           first(m.shown ORDER BY m.article_id, m.start) AS shown,
           count(*) AS mentions, count(DISTINCT m.article_id) AS articles,
           count(DISTINCT {STORY_OF}) AS stories, list(DISTINCT {STORY_OF} ORDER BY {STORY_OF}) AS story_ids
    FROM mentions m LEFT JOIN sources s USING (article_id) LEFT JOIN stories USING (article_id)
    GROUP BY ALL
"""

_LABELS_SQL = f"""
    WITH mentions AS ({_MENTIONS_SQL})
    SELECT kind, item, first(label ORDER BY article_id, start) AS label
    FROM mentions GROUP BY ALL
"""

# per (kind, item) carried by a chosen source: how many of the chosen sources carry it
_SPREAD_SQL = f"SELECT kind, item, count(*) AS n FROM {CELLS} WHERE list_contains(?, source) GROUP BY kind, item"

_COUNTS_SQL = f"""
    WITH spread AS ({_SPREAD_SQL})
    SELECT spread.kind, count(*) AS carried, count(*) FILTER (WHERE n >= 2) AS shared,
           count(*) FILTER (WHERE n = 1) AS alone, count(*) FILTER (WHERE g.conflict) AS conflicting
    FROM spread LEFT JOIN fact_groups g ON spread.kind = 'fact' AND g.fact_id = spread.item
    GROUP BY spread.kind
"""

_MATRIX_SQL = f"""
    WITH spread AS (
        SELECT item, count(*) AS n, len(list_distinct(flatten(list(story_ids)))) AS n_stories
        FROM {CELLS} WHERE kind = ? AND list_contains(?, source)
        GROUP BY item HAVING count(*) >= ?
    ), shown AS (
        SELECT spread.item, l.label, spread.n, spread.n_stories FROM spread
        JOIN {LABELS} l ON l.kind = ? AND l.item = spread.item
        ORDER BY spread.n DESC, l.label, spread.item LIMIT ? OFFSET ?
    ), page AS (
        SELECT shown.item, shown.label, shown.n AS sources, shown.n_stories AS stories_of_item, c.source, c.article_id,
               c.start, c.shown, c.mentions, c.articles, c.stories, c.story_ids
        FROM shown JOIN {CELLS} c ON c.kind = ? AND c.item = shown.item AND list_contains(?, c.source)
    ), carried AS (  -- per item, the most chosen sources carrying copies of one of its stories
        SELECT item, max(n) AS outlets_per_story FROM (
            SELECT item, story, count(DISTINCT source) AS n
            FROM (SELECT item, source, unnest(story_ids) AS story FROM page) GROUP BY item, story
        ) GROUP BY item
    )
    SELECT page.* EXCLUDE (story_ids), coalesce(carried.outlets_per_story, 1) AS outlets_per_story
    FROM page LEFT JOIN carried USING (item)
    ORDER BY sources DESC, label, item, source
"""

_CONFLICTS_SQL = """
    WITH shown AS (SELECT fact_id, conflict, value, unit, conflicts_with FROM fact_groups
                   WHERE list_contains(?, fact_id)),
    others AS (
        SELECT fact_id, unnest(conflicts_with) AS other, generate_subscripts(conflicts_with, 1) AS position
        FROM shown
    ),
    outlets AS (
        SELECT g.fact_id, string_agg(DISTINCT s.source, ', ' ORDER BY s.source) AS sources
        FROM (SELECT fact_id, unnest(article_ids) AS article_id FROM fact_groups) g JOIN sources s USING (article_id)
        GROUP BY g.fact_id
    )
    SELECT shown.fact_id, shown.conflict, shown.value, shown.unit, g.fact_id AS other, g.value AS other_value,
           coalesce(o.sources, '') AS other_sources
    FROM shown LEFT JOIN others USING (fact_id) LEFT JOIN fact_groups g ON g.fact_id = others.other
         LEFT JOIN outlets o ON o.fact_id = others.other
    ORDER BY shown.fact_id, others.position
"""

_QUOTE_GROUPS_SQL = "SELECT quote_group, speaker, date, similarity FROM quote_groups WHERE list_contains(?, quote_group)"

_SUMMARY_SQL = f"""
    WITH spread AS ({_SPREAD_SQL})
    SELECT c.source, c.kind, count(*) AS carries, count(*) FILTER (WHERE spread.n = 1) AS only_here
    FROM {CELLS} c JOIN spread USING (kind, item) WHERE list_contains(?, c.source)
    GROUP BY ALL
"""

_ALONE_SQL = f"""
    WITH spread AS ({_SPREAD_SQL})
    SELECT c.source, kind, l.label, c.article_id, c.start
    FROM spread JOIN {CELLS} c USING (kind, item) JOIN {LABELS} l USING (kind, item)
    WHERE spread.n = 1 AND list_contains(?, c.source)
    ORDER BY c.source, kind, c.start, item LIMIT ? OFFSET ?
"""


def coverage_cells(warehouse) -> pd.DataFrame:
    """Per (kind, item, source), built once per data version: the first mention (by article id,
    then offset) with what it shows, the number of mentions, of the source's articles with one,
    and of their stories (a copied story once) with the stories themselves (`story_ids`)."""
    return warehouse.query(_CELLS_SQL)


def group_cells(warehouse) -> pd.DataFrame:
    """`coverage_cells` with each article's outlet group (`lib.contract.outlet_groups`) as its
    source: the Compare lens by group, such as "Chinese state media" against "Russian state media"."""
    return warehouse.query(_CELLS_SQL.replace(_SOURCES_JOIN, _GROUPS_JOIN))


def group_counts(run: Query) -> pd.DataFrame:
    """(source, articles) per outlet group present, in the order of the groups file."""
    counts = run(_GROUPS_SQL)
    order = {name: k for k, name in enumerate(group_names())}
    ranked = counts.assign(rank=[order.get(g, len(order)) for g in counts["source"]]).sort_values(["rank", "source"])
    return ranked.drop(columns="rank").reset_index(drop=True)


def _on(sql: str, cells: str) -> str:
    """`sql` reading the cells table `cells` (CELLS or GROUP_CELLS) instead of CELLS."""
    if cells not in (CELLS, GROUP_CELLS):
        raise ValueError(f"unknown cells table {cells!r}")
    return sql.replace(CELLS, cells)


def coverage_labels(warehouse) -> pd.DataFrame:
    """Per (kind, item), built once per data version: the label a matrix row shows (the fact's
    label, the quotation's speaker and words, the event's date and summary, the actor's name)."""
    return warehouse.query(_LABELS_SQL)


def top_sources(counts: pd.DataFrame, n: int) -> list[str]:
    """The `n` sources of `counts` (source, articles) with most articles, in the order of `counts`:
    the default comparison when the reader chose none, so that it stays readable."""
    ranked = counts.sort_values(["articles", "source"], ascending=[False, True], kind="stable")
    top = set(ranked["source"].head(n).tolist())
    return [s for s in counts["source"].tolist() if s in top]


def kind_counts(run: Query, sources: list[str], cells: str = CELLS) -> pd.DataFrame:
    """Per kind (indexed by KINDS): how many items the chosen sources carry, how many several of
    them carry, how many just one carries, and (facts) how many are in conflict with another."""
    counts = run(_on(_COUNTS_SQL, cells), list(sources)).set_index("kind")
    return counts.reindex(list(KINDS), columns=["carried", "shared", "alone", "conflicting"]).fillna(0).astype(int)


def matrix_rows(run: Query, kind: str, sources: list[str], min_sources: int = 1, limit: int = 50,
                offset: int = 0, cells: str = CELLS) -> pd.DataFrame:
    """One page of the items of `kind` carried by at least `min_sources` chosen sources, most widely
    carried first (then by label): one row per (item, chosen source that carries it), with the
    item's `sources`, `stories_of_item` (its stories in the chosen sources, a copied story once)
    and `outlets_per_story` (the most chosen sources that carry copies of one of its stories)."""
    chosen = list(sources)
    return run(_on(_MATRIX_SQL, cells), kind, chosen, min_sources, kind, limit, offset, kind, chosen)


def outlets_per_story(rows: pd.DataFrame) -> pd.Series:
    """Per item of `matrix_rows`, the most sources that carry copies of one of its stories
    (1 when no story of it is carried by two sources)."""
    if rows.empty:
        return pd.Series(dtype="int64")
    return rows.drop_duplicates("item").set_index("item")["outlets_per_story"].astype("int64")


def carried_note(outlets: object) -> str:
    """"one story carried by 3 outlets" for copies of one story in several sources, else ""."""
    return f"one story carried by {int(outlets)} outlets" if not pd.isna(outlets) and int(outlets) > 1 else ""


def matrix(rows: pd.DataFrame, sources: list[str], cell: Callable[[str, int, str], str],
           value: str = "shown") -> pd.DataFrame:
    """`matrix_rows` as one row per item and one column per source holding `cell(article_id, start,
    text)`, None where the source omits the item; the text is its `value` column (what the source
    shows, or `mentions`). `stories` counts a story carried by several sources once, `sources` each
    source; `copies` says when copies of one story carry the item (`carried_note`)."""
    if rows.empty:
        return pd.DataFrame(columns=["item", "label", "stories", "sources", "copies", *sources])
    head = rows.drop_duplicates("item")
    row_of = {item: k for k, item in enumerate(head["item"].tolist())}
    cells: dict[str, list] = {source: [None] * len(row_of) for source in sources}
    texts = ["" if pd.isna(v) else str(v) for v in rows[value]]
    for item, source, article_id, start, text in zip(
        rows["item"].tolist(), rows["source"].tolist(), rows["article_id"].tolist(), rows["start"].tolist(), texts
    ):
        if source in cells:
            cells[source][row_of[item]] = cell(article_id, int(start), text)
    copies = outlets_per_story(rows).reindex(list(row_of)).map(carried_note).tolist()
    return pd.DataFrame({"item": list(row_of), "label": head["label"].tolist(),
                         "stories": head["stories_of_item"].tolist(), "sources": head["sources"].tolist(),
                         "copies": pd.Series(copies, dtype=object),
                         **{source: pd.Series(column, dtype=object) for source, column in cells.items()}})


def fact_conflicts(run: Query, fact_ids: list[str]) -> pd.DataFrame:
    """Per fact of `fact_ids` (indexed by fact_id): whether it conflicts, and what it disagrees
    with: each other value with its difference and the sources giving it ("$185 bn vs
    $190 bn, 2.6% (AFP, Bloomberg)"), joined by "; "."""
    if not len(fact_ids):
        return pd.DataFrame({"conflict": pd.Series(dtype=bool), "disagrees": pd.Series(dtype=object)})
    rows = run(_CONFLICTS_SQL, list(fact_ids))
    notes: dict[str, list[str]] = {}
    for fact_id, value, unit, known, other, sources in zip(
        *(rows[c].tolist() for c in ("fact_id", "value", "unit", "other", "other_value", "other_sources"))
    ):
        said = notes.setdefault(fact_id, [])
        if isinstance(known, str):  # a fact no longer in the table is left out
            said.append(conflict_note(value, other, unit) + (f" ({sources})" if sources else ""))
    conflict = rows.groupby("fact_id")["conflict"].any()
    return pd.DataFrame({"conflict": conflict.astype(bool),
                         "disagrees": pd.Series({k: "; ".join(v) for k, v in notes.items()}, dtype=object)})


def quote_groups(run: Query, groups: list[str]) -> pd.DataFrame:
    """Speaker, date and similarity of the statements `groups` (indexed by quote_group)."""
    if not len(groups):
        return pd.DataFrame(columns=["speaker", "date", "similarity"])
    return run(_QUOTE_GROUPS_SQL, list(groups)).set_index("quote_group")


def source_summary(run: Query, sources: list[str], cells: str = CELLS) -> pd.DataFrame:
    """Per chosen source and kind of item: how many it carries, how many only it carries, and how
    many that other chosen sources carry it omits."""
    chosen = list(sources)
    carried = kind_counts(run, chosen, cells)["carried"]
    rows = run(_on(_SUMMARY_SQL, cells), chosen, chosen).set_index(["source", "kind"])
    grid = pd.MultiIndex.from_product([chosen, list(KINDS)], names=["source", "kind"])
    table = rows.reindex(grid).fillna(0).astype(int).reset_index()
    table["omits"] = table["kind"].map(carried) - table["carries"]
    return table.rename(columns={"only_here": "only here"})[["source", "kind", "carries", "only here", "omits"]]


def only_in_one_source(run: Query, sources: list[str], limit: int = 50, offset: int = 0,
                       cells: str = CELLS) -> pd.DataFrame:
    """One page of the items exactly one of the chosen sources carries (by source, kind, offset):
    source, kind, label, and where that source first says it (article_id, start)."""
    chosen = list(sources)
    return run(_on(_ALONE_SQL, cells), chosen, chosen, limit, offset)


# --- wording differences --------------------------------------------------------------------------


def word_diff(reference: str, other: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """The words of two wordings, each flagged True where it is not shared with the other
    (difflib over case- and punctuation-folded words)."""
    ra, ob = DISPLAY_WORD.findall(str(reference)), DISPLAY_WORD.findall(str(other))
    fold = [_fold(w) for w in ra], [_fold(w) for w in ob]
    matcher = difflib.SequenceMatcher(a=fold[0], b=fold[1], autojunk=False)
    shared_a, shared_b = set(), set()
    for block in matcher.get_matching_blocks():
        shared_a.update(range(block.a, block.a + block.size))
        shared_b.update(range(block.b, block.b + block.size))
    return ([(w, i not in shared_a) for i, w in enumerate(ra)], [(w, i not in shared_b) for i, w in enumerate(ob)])


def group_diff(wordings: list[str]) -> list[list[tuple[str, bool]]]:
    """Flagged words of every wording of a group: each compared with the longest one, which flags
    the words some other wording lacks."""
    if not wordings:
        return []
    ref = max(range(len(wordings)), key=lambda i: len(str(wordings[i])))
    ref_words = [(w, False) for w in DISPLAY_WORD.findall(str(wordings[ref]))]
    out: list[list[tuple[str, bool]]] = [[] for _ in wordings]
    for k, text in enumerate(wordings):
        if k == ref:
            continue
        mine, theirs = word_diff(wordings[ref], text)
        out[k] = theirs
        ref_words = [(w, flag or extra) for (w, flag), (_, extra) in zip(ref_words, mine)]
    out[ref] = ref_words
    return out


def _fold(word: str) -> str:
    return "".join(WORD.findall(word.lower().replace("’", "'")))

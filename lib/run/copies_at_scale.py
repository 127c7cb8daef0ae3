"""`lib.read.copies.copy_of` as DuckDB queries over the signature parts of a cluster run.

The plain run finds copies in one pass over the corpus in memory (a dict of band buckets: a few
kilobytes per article). A cluster run gives the same links from the signature parts, with
DuckDB spilling to disk what exceeds its memory limit, so the step fits any corpus:

1. the first article (in file order) of each text hash;
2. per band, the pairs of articles whose band of the signature is equal (the LSH candidates),
   later articles that are the first of their text only;
3. per such article, the earliest candidate at least `NEAR_COPY_JACCARD` similar (its twin);
4. each twin replaced by its own twin until none has one (the first copy of the story).

The rule and its constants are those of `lib.read.copies`; `tests/run/test_copies_at_scale.py`
checks that both give the same links.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from lib.contract.tableio import sql_string
from lib.read.copies import BANDS, NEAR_COPY_JACCARD, SIGNATURE_SIZE

ROWS = SIGNATURE_SIZE // BANDS  # signature values per band


def copy_links(signatures: str, target: Path, scratch: Path) -> int:
    """Write (article_id, copy_of) of every article, in file order, to the Parquet file `target`,
    from `signatures` (a DuckDB table expression of article_id, _article (file position),
    content_hash and signature); `scratch` holds what DuckDB spills. Returns the number of copies."""
    scratch.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(":memory:") as db:
        db.execute(f"SET temp_directory = {sql_string(scratch)}")
        db.execute(f"CREATE TEMP TABLE sig AS SELECT _article AS pos, article_id, content_hash AS digest, signature "
                   f"FROM {signatures}")
        db.execute("CREATE TEMP TABLE firsts AS SELECT digest, min(pos) AS head FROM sig GROUP BY digest")
        db.execute("CREATE TEMP TABLE pairs (earlier BIGINT, later BIGINT)")
        for band in range(BANDS):
            key = f"signature[{band * ROWS + 1}:{(band + 1) * ROWS}]"
            db.execute(f"INSERT INTO pairs SELECT a.pos, b.pos FROM (SELECT pos, {key} AS k FROM sig) a "
                       f"JOIN (SELECT pos, {key} AS k FROM sig WHERE pos IN (SELECT head FROM firsts)) b "
                       "ON a.k = b.k AND a.pos < b.pos")
        db.execute(f"""
            CREATE TEMP TABLE twins AS
            WITH near AS (
                SELECT p.later AS pos, min(p.earlier) AS twin
                FROM (SELECT DISTINCT earlier, later FROM pairs) p
                JOIN sig a ON a.pos = p.earlier JOIN sig b ON b.pos = p.later
                WHERE len(list_filter(list_zip(a.signature, b.signature), lambda x: x[1] = x[2]))
                      / len(b.signature) >= {NEAR_COPY_JACCARD}
                GROUP BY p.later)
            SELECT s.pos, CASE WHEN f.head < s.pos THEN f.head ELSE near.twin END AS twin
            FROM sig s JOIN firsts f USING (digest) LEFT JOIN near ON near.pos = s.pos
            WHERE f.head < s.pos OR near.twin IS NOT NULL""")
        while db.execute("UPDATE twins SET twin = t.twin FROM twins t "
                         "WHERE twins.twin = t.pos").fetchone()[0]:
            pass  # each pass halves the longest chain of twins
        db.execute(f"COPY (SELECT s.article_id, r.article_id AS copy_of FROM sig s LEFT JOIN twins USING (pos) "
                   f"LEFT JOIN sig r ON r.pos = twins.twin ORDER BY s.pos) TO {sql_string(target)} (FORMAT parquet)")
        return db.execute("SELECT count(*) FROM twins").fetchone()[0]

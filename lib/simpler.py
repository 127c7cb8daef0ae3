"""Switches that run preprocessing without one piece of its machinery, with the simpler
mechanism the piece stands in for, so that `benchmarks.bench_machinery` can measure what the
piece saves (docs/performance.md lists the pieces and their figures).

    CRTIES_SIMPLER=tagmap,snapshot python -m lib.preprocess SRC --out DIR

Unset in normal use. Every switch leaves the tables as they are: it changes how fast they are
made, not what they hold.
"""

from __future__ import annotations

import os

VARIABLE = "CRTIES_SIMPLER"
PIECES = {
    "tagmap": "spaCy's own attribute_ruler instead of lib.nlp.tagmap",
    "wordscan": "one finditer per date pattern instead of lib.nlp.wordscan",
    "standby": "new articles parsed in the run's own process (no lib.run.standby)",
    "grouping": "pandas groupby and factorize instead of lib.crossarticle.grouping's NumPy code",
    "snapshot": "every article's rows read from the article cache (no lib.run.assembled snapshot)",
    "filesmemo": "every file read and cleaned again (no files memo)",
}


def simpler(piece: str) -> bool:
    """Whether this run replaces `piece` (a key of PIECES) with its simpler mechanism."""
    return piece in os.environ.get(VARIABLE, "").split(",")

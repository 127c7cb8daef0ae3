"""Outlet groups: a readable group for an outlet's country and ownership, such as "Chinese state
media" or "Western private media" (`lib/data/outlet_groups.csv`), so that pages can compare how
each camp reports the same facts. One rule, used by every page.

A known outlet whose (country, ownership) the file does not list is in "other outlets"; an
outlet missing from `lib/data/outlets.csv` (no country) is an "unknown outlet".
"""

from __future__ import annotations

from functools import cache

from lib.contract.datafiles import read_csv
from lib.contract.schema import missing

GROUPS_FILE = "outlet_groups.csv"
OTHER = "other outlets"
UNKNOWN = "unknown outlet"


@cache
def _groups() -> dict[tuple[str, str], str]:
    """(country, ownership), case-folded, to group, as the data file lists them."""
    return {(row["country"].casefold(), row["ownership"].casefold()): row["group"]
            for row in read_csv(GROUPS_FILE) if row["group"]}


def group_names() -> list[str]:
    """Every group in the order a page lists them: the file's order, then the other and unknown outlets."""
    return [*dict.fromkeys(_groups().values()), OTHER, UNKNOWN]


def outlet_group(country: object, ownership: object) -> str:
    """The group of an outlet of `country` and `ownership` (profile columns of `articles`)."""
    if missing(country) or not str(country).strip():
        return UNKNOWN
    owner = "" if missing(ownership) else str(ownership).strip().casefold()
    return _groups().get((str(country).strip().casefold(), owner), OTHER)

"""Known news outlets (`lib/data/outlets.csv`): one name for each, and who they are.

An outlet written "Xinhua News Agency" in one `sources.csv`, "xinhua" in front matter and only
implied by the url `https://english.news.cn/...` is one outlet, Xinhua, so comparisons across
outlets do not split it three ways. Each known outlet has a country, an ownership (state,
public, private) and a kind (agency, newspaper, broadcaster, online), which Compare can group by.
An outlet not in the file keeps its name as written; users extend the file to teach it more.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from lib.contract.datafiles import read_csv

OUTLETS_FILE = "outlets.csv"
PROFILE_FIELDS = ("country", "ownership", "kind")


def _key(name: str) -> str:
    """A name as compared: case, a leading 'the', punctuation and spacing do not count."""
    name = re.sub(r"[^\w]+", " ", name.casefold()).strip()
    return re.sub(r"^the ", "", name)


@cache
def _table() -> tuple[dict[str, dict], dict[str, str], list[tuple[str, str]]]:
    """Profiles by name, names by alias key, and (domain, name) pairs, longest domain first."""
    profiles, by_alias, domains = {}, {}, []
    for row in read_csv(OUTLETS_FILE):
        name = row["name"]
        profiles[name] = {field: row.get(field) or None for field in PROFILE_FIELDS}
        for alias in [name, *filter(None, row["aliases"].split("|"))]:
            by_alias[_key(alias)] = name
        domains += [(d.strip().lower(), name) for d in row["domains"].split("|") if d.strip()]
    return profiles, by_alias, sorted(domains, key=lambda pair: -len(pair[0]))


def from_domain(url: str | None) -> str | None:
    """The known outlet whose web domain the url is on (a subdomain counts), else None."""
    if not url:
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    return next((name for domain, name in _table()[2] if host == domain or host.endswith("." + domain)), None)


def canonical(outlet: str | None, url: str | None = None) -> str | None:
    """The outlet's one name: a known name or alias as the file names it; another name as
    written (trimmed); no name at all, the known outlet of the url's domain, else None."""
    written = (outlet or "").strip()
    if written:
        return _table()[1].get(_key(written), written)
    return from_domain(url)


def profile(name: str | None) -> dict[str, str | None]:
    """Country, ownership and kind of a known outlet (all None for an unknown one)."""
    return dict(_table()[0].get(name or "", dict.fromkeys(PROFILE_FIELDS)))

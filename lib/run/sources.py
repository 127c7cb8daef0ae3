"""The source folders of a run: the folder given on the command line plus the articles added
from the browser (`<out>/added/`), read as one corpus.

A run is told its folders and records them in the manifest (`sources`), so that adding an
article later re-runs the very same folders. Article ids are file names, unique over all the
folders (`lib.run.ingest` names an added file so that it is); a copy of a story in another
folder is linked by `copy_of` as within one folder (`lib.read.copies`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lib.contract.schema import conform
from lib.read import copies
from lib.read.corpus import Problem, ReadMemo, read_corpus
from lib.run.fingerprint import added_folder


def source_folders(src: Path | Sequence[Path], out: Path) -> list[Path]:
    """The folders a run into `out` reads: `src` (one folder or several), then the folder of
    articles added from the browser when it exists and is not listed already."""
    folders = [Path(src)] if isinstance(src, str | Path) else [Path(s) for s in src]
    added = added_folder(out)
    if added.is_dir() and all(f.resolve() != added.resolve() for f in folders):
        folders.append(added)
    return folders


def recorded(folders: Sequence[Path]) -> list[str]:
    """The folders as the manifest records them: absolute, so a later addition finds them."""
    return [str(Path(f).resolve()) for f in folders]


def read_folders(folders: Sequence[Path], memo: ReadMemo | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """The articles of every folder, in folder order, and the problems met (a problem in a folder
    after the first is named `<folder>/<file>`, such as `added/x.txt`). Copies across folders are
    linked by `copy_of`."""
    if len(folders) == 1:
        return read_corpus(folders[0], memo)
    parts, problems = [], []
    for position, folder in enumerate(folders):
        articles, found = read_corpus(folder, memo)
        if position:
            found = [Problem(f"{Path(folder).name}/{p.file}", p.reason, p.line) for p in found]
        parts.append(articles)
        problems.extend(found)
    articles = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    if sum(len(p) > 0 for p in parts) > 1:
        articles = _linked(articles, memo)
    return conform(articles, "articles"), problems


def _linked(articles: pd.DataFrame, memo: ReadMemo | None) -> pd.DataFrame:
    """`articles` with `copy_of` computed over all of them (a folder's own links are kept)."""
    used = memo.used if memo is not None else {}
    signatures = [(used.get(f) or {}).get("signature") or copies.signature(t)
                  for f, t in zip(articles["file"].tolist(), articles["text"].tolist())]
    links = copies.copy_of(articles["content_hash"].tolist(), signatures)
    ids = articles["article_id"].tolist()
    articles = articles.copy()
    articles["copy_of"] = [None if first is None else ids[first] for first in links]
    return articles

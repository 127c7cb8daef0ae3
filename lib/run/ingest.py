"""Adding articles to a served data folder: uploads and pasted text, checked, stored, merged.

Added articles live in `<data folder>/added/` (article files plus their own `sources.csv`), so
the seed corpus is never touched and a later full run of `lib.preprocess` keeps them
(`include_added`). Adding parses only the new articles, replaces the rows of any article id
that is added again, re-runs the cross-article steps (event linking, comparison) over the whole
corpus and writes every table two-phase (`lib.contract.tableio.write_tables`) with a new data version.

Everything that arrives here is untrusted: names are reduced to a safe base name, sizes and
counts are capped, dates are validated, and the text is only ever stored as text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa

from lib import PIPELINE_VERSION
from lib.contract import schema
from lib.contract.schema import conform, empty
from lib.contract.tableio import frames, read_manifest, read_tables, write_tables
from lib.read.corpus import (
    SOURCES_COLUMNS,
    SOURCES_FILE,
    Problem,
    content_hash,
    read_article,
    read_corpus,
)
from lib.run.fingerprint import ADDED, added_folder, data_version

UPLOAD_SUFFIXES = (".txt", ".md", ".html")
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 50
MAX_NAME_CHARS = 80
MAX_META_CHARS = 300
LOCK_FILE = ".adding.lock"
PER_ARTICLE_TABLES = ("actors", "dates", "figures", "quotes", "events")

Progress = Callable[[int, int, str], None]  # (done, total, what is being done)


class RejectedInput(ValueError):
    """Input refused before anything was stored; the message says why, for the user."""


# --- checking what arrives ---------------------------------------------------------------------


def safe_name(name: str) -> str:
    """A harmless file name for an uploaded `name`: its base name only, safe characters, not hidden.

    Raises RejectedInput when nothing usable is left or the type is not an article type.
    """
    base = unicodedata.normalize("NFKC", str(name)).replace("\\", "/").split("/")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip().lstrip(".").strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = "." + suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise RejectedInput(f"not a {', '.join(UPLOAD_SUFFIXES)} file")
    stem = re.sub(r"[^\w.-]+", "_", stem).strip("._-")[:MAX_NAME_CHARS]
    if not stem:
        raise RejectedInput("no usable file name")
    return stem + suffix


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name-2`, `name-3`, … when its stem is already used (case-insensitively)."""
    stem, suffix = os.path.splitext(name)
    used = {t.lower() for t in taken}
    candidate, n = stem, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate + suffix


def valid_date(value: str | None) -> str | None:
    """An ISO `YYYY-MM-DD` date (None when blank); raises RejectedInput when malformed."""
    text = (value or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise RejectedInput(f"date {text!r} is not in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise RejectedInput(f"date {text!r} does not exist") from None


def meta_text(value: str | None) -> str:
    """A title or outlet on one line, without control characters, of bounded length."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", unicodedata.normalize("NFKC", value or ""))
    return re.sub(r"\s+", " ", text).strip()[:MAX_META_CHARS]


def _stems(folder: Path, existing_ids: Iterable[str]) -> set[str]:
    names = {p.stem for p in folder.iterdir()} if folder.is_dir() else set()
    return names | {str(i) for i in existing_ids}


def _content_of(upload) -> tuple[str, bytes]:
    """(name, bytes) of an upload: a (name, bytes) pair or an object with `name` and `getvalue()`."""
    if isinstance(upload, tuple):
        return str(upload[0]), bytes(upload[1])
    return str(upload.name), bytes(upload.getvalue())


def _checked_text(name: str, raw: bytes) -> None:
    """Raises RejectedInput when `raw` is too large or has no readable article text."""
    if len(raw) > MAX_FILE_BYTES:
        raise RejectedInput(f"too large ({len(raw) / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)")
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / name
        probe.write_bytes(raw)
        try:
            read_article(probe)
        except (OSError, ValueError) as error:
            raise RejectedInput(str(error)) from None


# --- storing -----------------------------------------------------------------------------------


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".writing-{os.getpid()}-{path.name}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _record_sources(folder: Path, rows: list[dict]) -> None:
    """Add (or replace) rows of the added folder's sources.csv."""
    path = folder / SOURCES_FILE
    old = pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else pd.DataFrame()
    new = pd.DataFrame(rows, columns=list(SOURCES_COLUMNS)).fillna("")
    if not old.empty:
        old = old.reindex(columns=list(SOURCES_COLUMNS)).fillna("")
        new = pd.concat([old[~old["file"].isin(new["file"])], new], ignore_index=True)
    _write_atomically(path, new.to_csv(index=False).encode("utf-8"))


def save_uploads(folder: Path, files: Iterable, existing_ids: Iterable[str] = (),
                 outlet: str | None = None, published: str | None = None) -> tuple[list[Path], list[Problem]]:
    """Store uploaded article files in `folder` (the `added` folder); one problem per refused file.

    `files` are (name, bytes) pairs or uploaded-file objects. A name already used (in `folder`
    or by an id in `existing_ids`) gets a numbered suffix. `outlet` and `published` apply to all.
    """
    folder = Path(folder)
    uploads = list(files)
    if len(uploads) > MAX_FILES:
        return [], [Problem("upload", f"{len(uploads)} files; at most {MAX_FILES} can be added at once")]
    published = valid_date(published)
    taken = _stems(folder, existing_ids)
    saved: list[Path] = []
    problems: list[Problem] = []
    rows = []
    for upload in uploads:
        name, raw = _content_of(upload)
        shown = meta_text(name) or "unnamed file"
        try:
            safe = unique_name(safe_name(name), taken)
            _checked_text(safe, raw)
        except RejectedInput as error:
            problems.append(Problem(shown, f"not added: {error}"))
            continue
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(folder / safe, raw)
        taken.add(Path(safe).stem)
        saved.append(folder / safe)
        rows.append({"file": safe, "title": "", "outlet": meta_text(outlet), "published": published or "", "url": ""})
    if rows:
        _record_sources(folder, rows)
    return saved, problems


def _slug(text: str) -> str:
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower())[:8]
    return "_".join(words)[:MAX_NAME_CHARS]


def save_pasted(folder: Path, text: str, title: str | None = None, outlet: str | None = None,
                published: str | None = None, existing_ids: Iterable[str] = ()) -> Path:
    """Store a pasted article as a .txt file in `folder` with its metadata; returns its path.

    Raises RejectedInput (with the reason) for empty or oversized text or a malformed date.
    """
    folder = Path(folder)
    body = (text or "").strip()
    if not body:
        raise RejectedInput("the article text is empty")
    raw = body.encode("utf-8")
    date = valid_date(published)
    title = meta_text(title)
    name = unique_name(safe_name(f"{_slug(title or body) or 'pasted'}.txt"), _stems(folder, existing_ids))
    _checked_text(name, raw)
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomically(folder / name, raw)
    _record_sources(folder, [{"file": name, "title": title, "outlet": meta_text(outlet),
                              "published": date or "", "url": ""}])
    return folder / name


# --- processing and merging ---------------------------------------------------------------------


def extract_articles(articles: pd.DataFrame, nlp=None, progress: Progress | None = None
                     ) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Per-article tables of `articles` (rows of `read_corpus`), parsed one by one."""
    from lib.extract.article import extract_article

    records = schema.records(articles)
    parts: dict[str, list[pd.DataFrame]] = {t: [] for t in PER_ARTICLE_TABLES}
    problems: list[Problem] = []
    if records and nlp is None:
        from lib.extract.parser import build_pipeline

        nlp = build_pipeline()
    for done, article in enumerate(records):
        if progress:
            progress(done, len(records), f"Reading {article['file']}")
        tables, found = extract_article(nlp(article["text"]), article)
        problems.extend(found)
        for table, frame in tables.items():
            if not frame.empty:
                parts[table].append(frame)
    if progress:
        progress(len(records), len(records), "Extracted")
    result = {"articles": conform(pd.DataFrame(records), "articles") if records else empty("articles")}
    for table in PER_ARTICLE_TABLES:
        result[table] = conform(pd.concat(parts[table], ignore_index=True), table) if parts[table] else empty(table)
    return result, problems


def merge(old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """`old` with the articles of `new` added (rows of a re-added article id replaced), and the
    cross-article steps (event linking, comparison) re-run over the whole corpus."""
    from lib.crossarticle import alignment, linking  # here: the Add page imports this module, never spaCy

    replaced = set(new["articles"]["article_id"])
    merged = {}
    for table in ("articles", *PER_ARTICLE_TABLES):
        keep = old.get(table, empty(table))
        keep = keep[~keep["article_id"].isin(replaced)]
        parts = [f for f in (keep, new.get(table, empty(table))) if not f.empty]
        merged[table] = conform(pd.concat(parts, ignore_index=True), table) if parts else empty(table)
    merged["events"] = linking.link_events(merged["events"])
    merged.update(alignment.align(merged))
    return merged


def _duplicates(articles: pd.DataFrame, existing: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """New articles whose text another (differently named) article already has are dropped."""
    known = {content_hash(t): a for a, t in zip(existing["article_id"], existing["text"])}
    keep, problems = [], []
    for row in articles.itertuples():
        same = known.get(content_hash(row.text))
        if same is not None and same != row.article_id:
            problems.append(Problem(row.file, f"same text as article {same}, not added again"))
            keep.append(False)
        else:
            keep.append(True)
    return articles[keep], problems


def _discard(folder: Path, names: set[str]) -> None:
    """Remove added files that could not be used, so a later full run does not meet them again."""
    gone = [name for name in names if name != SOURCES_FILE and (folder / name).is_file()]
    for name in gone:
        (folder / name).unlink()
    path = folder / SOURCES_FILE
    if gone and path.exists():
        listed = pd.read_csv(path, dtype=str, keep_default_na=False)
        _write_atomically(path, listed[~listed["file"].isin(gone)].to_csv(index=False).encode("utf-8"))


@contextlib.contextmanager
def _locked(data_dir: Path) -> Iterator[None]:
    """One writer at a time per data folder (two browser sessions adding at once)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / LOCK_FILE, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def add_articles(data_dir: Path, files: Iterable[Path] | None = None, progress: Progress | None = None,
                 nlp=None) -> dict:
    """Preprocess the given files of `<data_dir>/added/` (all of them when None), merge them into
    the tables of `data_dir`, write everything with a new manifest and return the manifest.

    The manifest's `added_problems` lists the files that could not be used in this call.
    """
    data_dir = Path(data_dir)
    folder = added_folder(data_dir)
    wanted = None if files is None else {Path(f).name for f in files}
    with _locked(data_dir):
        articles, problems = read_corpus(folder) if folder.is_dir() else (pd.DataFrame(), [])
        if wanted is not None:
            articles = articles[articles["file"].isin(wanted)] if len(articles) else articles
            problems = [p for p in problems if p.file in wanted]
        old = read_tables(data_dir)
        if len(articles):
            articles, duplicates = _duplicates(articles, old["articles"])
            problems.extend(duplicates)
        _discard(folder, {p.file for p in problems} - set(articles["file"] if len(articles) else []))
        new, found = extract_articles(articles, nlp=nlp, progress=progress)
        problems.extend(found)
        tables = merge(old, new) if len(new["articles"]) else old
        manifest = read_manifest(data_dir)
        manifest.update({
            "data_version": data_version(tables["articles"]),
            "pipeline_version": PIPELINE_VERSION,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "rows": {table: len(frame) for table, frame in tables.items()},
            "added_problems": [str(p) for p in problems],
        })
        if len(new["articles"]):
            write_tables(tables, data_dir, manifest)
    return manifest


def include_added(tables: dict[str, pd.DataFrame | pa.Table], problems: list[Problem], out: Path
                  ) -> tuple[dict[str, pd.DataFrame | pa.Table], list[Problem]]:
    """The tables of a full preprocessing run plus the articles added to `out` from the browser,
    so rebuilding the seed tables does not lose them (called by `lib.run.preprocess.run`)."""
    folder = added_folder(out)
    if not folder.is_dir():
        return tables, problems
    articles, found = read_corpus(folder)
    problems = problems + [Problem(f"{ADDED}/{p.file}", p.reason) for p in found]
    if not len(articles):
        return tables, problems
    articles, duplicates = _duplicates(articles, tables["articles"])
    new, extracted = extract_articles(articles)
    return merge(frames(tables), new), problems + duplicates + extracted

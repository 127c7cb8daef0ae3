"""Adding articles to a served data folder: uploads and pasted text, checked, stored, run.

Added articles are files in `<data folder>/added/` (with their own `sources.csv`), so the seed
corpus is never touched. Adding stores the files there and runs the same incremental run as the
command line (`lib.run.preprocess.run`: the article cache, the shared model, one cross-article
pass) over the source folders the manifest records (`sources`), the added folder among them.
Removing deletes the files and runs it again, so the tables are rebuilt without them.

Each addition and removal is recorded, one JSON line each, in `<data folder>/additions.jsonl`:
when, which files, their size and the remote address the dashboard saw.

Everything that arrives here is untrusted: names are reduced to a safe base name, sizes and
counts are capped (`MAX_FILE_BYTES`, `MAX_FILES`, enforced here whatever the page allows), dates
are validated, and the text is only ever stored as text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from lib.contract.tableio import read_manifest
from lib.read.corpus import ARTICLE_SUFFIXES, SOURCES_COLUMNS, SOURCES_FILE, Problem, read_article
from lib.run.fingerprint import added_folder

UPLOAD_SUFFIXES = (".txt", ".md", ".html")
MAX_FILE_BYTES = 5 * 1024 * 1024  # per file, and per pasted text
MAX_FILES = 50  # per addition
MAX_NAME_CHARS = 80
MAX_META_CHARS = 300
LOCK_FILE = ".adding.lock"
LOG_FILE = "additions.jsonl"


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


# --- running the pipeline ----------------------------------------------------------------------


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


def source_folders(data_dir: Path) -> list[Path]:
    """The source folders the tables of `data_dir` were built from (its manifest's `sources`),
    without the added folder, which every run reads anyway. Raises RejectedInput when the
    manifest does not name them (tables built before folders were recorded)."""
    recorded = read_manifest(data_dir).get("sources")
    if not isinstance(recorded, list) or not recorded:
        raise RejectedInput("the tables do not say which folders they were built from; "
                            "build them once more with the preprocessing command")
    added = added_folder(data_dir).resolve()
    folders = [Path(f) for f in recorded if Path(f).resolve() != added]
    missing = [f.name for f in folders if not f.is_dir()]
    if missing:
        raise RejectedInput(f"the source folder {missing[0]} of the tables is gone")
    return folders


def rebuild(data_dir: Path) -> dict:
    """Run the pipeline over the recorded source folders plus the added folder into `data_dir`
    (the same run as the command line), one writer at a time, in the tables' layout (partitioned
    by year when they are, so only the years of the added articles are rewritten); returns the manifest."""
    from lib.contract.tableio import read_manifest
    from lib.run.preprocess import run  # here: the Add page imports this module, never spaCy

    data_dir = Path(data_dir)
    with _locked(data_dir):
        layout = read_manifest(data_dir).get("partition_by")
        return run(source_folders(data_dir), data_dir, progress=False, partition_by=layout)


def added_problems(manifest: dict, names: Iterable[str]) -> list[str]:
    """The problems the run reported for the given added files."""
    prefixes = tuple(f"{added_folder(Path('.')).name}/{name}" for name in names)
    return [p for p in manifest.get("problems", []) if p.startswith(prefixes)] if prefixes else []


# --- the record of additions and removals -----------------------------------------------------------


def record(data_dir: Path, action: str, files: list[Path], address: str | None) -> dict:
    """Append one line to the log of additions: when, what (`action`, file names), the size in
    bytes and the remote address (None when unknown or local); returns the entry."""
    entry = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "action": action,
        "files": [Path(f).name for f in files],
        "bytes": sum(Path(f).stat().st_size for f in files if Path(f).is_file()),
        "address": address,
    }
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    with open(Path(data_dir) / LOG_FILE, "a", encoding="utf-8") as log:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return entry


def log_entries(data_dir: Path) -> list[dict]:
    """The log of additions and removals, oldest first (unreadable lines skipped)."""
    path = Path(data_dir) / LOG_FILE
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        with contextlib.suppress(ValueError):
            entries.append(json.loads(line))
    return entries


# --- listing and removing --------------------------------------------------------------------------


def added_articles(data_dir: Path) -> pd.DataFrame:
    """The added article files: file, article_id, bytes, stored (UTC), title, outlet, published."""
    folder = added_folder(data_dir)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES) \
        if folder.is_dir() else []
    listed = _sources_rows(folder).set_index("file")
    rows = []
    for path in files:
        meta = listed.loc[path.name] if path.name in listed.index else {}
        stat = path.stat()
        rows.append({"file": path.name, "article_id": path.stem, "bytes": stat.st_size,
                     "stored": dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).isoformat(timespec="seconds"),
                     **{c: str(meta.get(c, "") or "") for c in ("title", "outlet", "published")}})
    return pd.DataFrame(rows, columns=["file", "article_id", "bytes", "stored", "title", "outlet", "published"])


def _sources_rows(folder: Path) -> pd.DataFrame:
    path = folder / SOURCES_FILE
    if not path.exists():
        return pd.DataFrame(columns=list(SOURCES_COLUMNS))
    return pd.read_csv(path, dtype=str, keep_default_na=False).reindex(columns=list(SOURCES_COLUMNS)).fillna("")


def remove_files(data_dir: Path, names: Iterable[str]) -> list[Path]:
    """Delete the named added files (only names of files listed by `added_articles`) and their
    `sources.csv` rows; returns the paths removed (their sizes are gone: log them before)."""
    folder = added_folder(data_dir)
    known = set(added_articles(data_dir)["file"])
    chosen = [folder / name for name in dict.fromkeys(names) if name in known]
    for path in chosen:
        path.unlink(missing_ok=True)
    listed = _sources_rows(folder)
    if chosen and len(listed):
        kept = listed[~listed["file"].isin({p.name for p in chosen})]
        _write_atomically(folder / SOURCES_FILE, kept.to_csv(index=False).encode("utf-8"))
    return chosen


def remove_articles(data_dir: Path, names: Iterable[str], address: str | None = None) -> tuple[list[str], dict]:
    """Remove added files by name, record it, and rebuild the tables without them; returns the
    names removed and the manifest."""
    data_dir = Path(data_dir)
    folder = added_folder(data_dir)
    known = set(added_articles(data_dir)["file"])
    chosen = [folder / n for n in dict.fromkeys(names) if n in known]
    if not chosen:
        return [], read_manifest(data_dir)
    record(data_dir, "remove", chosen, address)
    removed = remove_files(data_dir, [p.name for p in chosen])
    return [p.name for p in removed], rebuild(data_dir)


def add_articles(data_dir: Path, saved: list[Path], address: str | None = None) -> dict:
    """Record the stored files `saved` and run the pipeline to include them; returns the manifest."""
    if saved:
        record(data_dir, "add", saved, address)
    return rebuild(data_dir)

"""What the tables depend on, as short hashes: the code, the domain data, the model, the inputs.

* `extraction_fingerprint` — the code and data that decide one article's rows (the `nlp`,
  `extract` and `contract` packages, `lib/data/`, the model): the key of the article cache.
* `pipeline_fingerprint` — everything that decides the tables: every package of `lib` except
  `views` (reading, NLP, extractors, cross-article steps, the run, the contract), the data and
  the model. A new module in any of them is covered without being listed.
* `reader_version` — the code that turns a file into an article (`lib/read/`).
* `input_fingerprint` — the pipeline plus the files of a run; `data_version` — the corpus plus
  the pipeline, as the manifest and the dashboard's caches name it.

Also where the articles added from the browser live (`added_folder`), an input of every run.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import pandas as pd

from lib import PIPELINE_VERSION
from lib.contract.schema import missing
from lib.contract.tableio import column_values
from lib.read.corpus import content_hash

LIB = Path(__file__).resolve().parents[1]
DATA_FILES = LIB / "data"
EXTRACTION_PACKAGES = ("nlp", "extract", "contract")
TABLE_PACKAGES = ("read", "nlp", "extract", "crossarticle", "run", "contract", "views")  # views: the derived tables
READER_PACKAGE = "read"
ADDED = "added"  # <data folder>/added/: the articles added from the browser


def added_folder(data_dir: Path) -> Path:
    """Where the articles added to `data_dir` are stored."""
    return Path(data_dir) / ADDED


def _model_versions() -> str:
    from lib.nlp.pipeline import MODEL_PACKAGES  # here: importing spaCy is for runs, not for the Add page

    versions = [f"spacy={metadata.version('spacy')}"]
    for name in MODEL_PACKAGES:
        try:
            versions.append(f"{name}={metadata.version(name.replace('_', '-'))}")
        except metadata.PackageNotFoundError:
            continue
    return ";".join(versions)


def _code(digest, packages: tuple[str, ...]) -> None:
    for package in packages:
        for path in sorted((LIB / package).rglob("*.py")):
            digest.update(path.relative_to(LIB).as_posix().encode() + path.read_bytes())


def _fingerprint(packages: tuple[str, ...]) -> str:
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    digest.update(_model_versions().encode())
    _code(digest, packages)
    for path in sorted(DATA_FILES.glob("*")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def extraction_fingerprint() -> str:
    """Hash of the code deciding one article's rows, every domain data file and the model
    versions: it changes whenever the rows extracted from an article could."""
    return _fingerprint(EXTRACTION_PACKAGES)


def pipeline_fingerprint() -> str:
    """Hash of the pipeline version, the code of every table-making package, every domain data
    file and the model versions: it changes whenever the tables could."""
    return _fingerprint(TABLE_PACKAGES)


def reader_version() -> str:
    """Hash of the code that turns a file into an article's text and signature (`lib/read/`):
    articles read by another version are read again."""
    digest = hashlib.sha256()
    _code(digest, (READER_PACKAGE,))
    return digest.hexdigest()[:12]


def input_fingerprint(folders: list[Path]) -> str:
    """Hash of what a run's tables depend on, cheap to compute: the pipeline fingerprint and the
    name, size and modification time of each file in each source folder (`lib.run.sources`).
    Equal fingerprints mean a re-run would write the same tables."""
    digest = hashlib.sha256(pipeline_fingerprint().encode())
    for position, folder in enumerate(folders):
        entries = sorted(os.scandir(folder), key=lambda e: e.name) if Path(folder).is_dir() else []
        for entry in entries:  # a directory entry caches its type: one stat per file
            if entry.is_file():
                stat = entry.stat()
                digest.update(f"{position}\x1f{entry.name}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def data_version(articles: pd.DataFrame) -> str:
    """A short hash of the corpus (metadata and the hash of each text) and the pipeline."""
    ordered = articles.sort_values("article_id")
    columns = [column_values(ordered, c) for c in ("article_id", "title", "outlet", "published", "url")]
    known = column_values(ordered, "content_hash") if "content_hash" in ordered.columns else [None] * len(ordered)
    texts = (h if isinstance(h, str) else content_hash(str(t)) for h, t in zip(known, column_values(ordered, "text")))
    return version_of_rows(zip(*columns, texts))


def version_of_rows(rows: Iterable[tuple]) -> str:
    """`data_version` of the (article_id, title, outlet, published, url, content hash) of every
    article, in article id order (an iterable: a cluster run streams them)."""
    digest = hashlib.sha256(pipeline_fingerprint().encode())
    for row in rows:
        digest.update("\x1f".join("" if missing(v) else str(v) for v in row).encode())
    return digest.hexdigest()[:10]

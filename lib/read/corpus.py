"""Reading a source folder: article files plus an optional `sources.csv` (`lib.read.sources`).

`read_corpus(folder)` returns the `articles` frame (without `published` inferred yet), one row
per readable file (copies too, linked by `copy_of`: `lib.read.copies`), and a list of problems, one
per file (or `sources.csv` row) that could not be (fully) used, each with a one-line reason. A
broken file never stops the others from being read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import pandas as pd
import trafilatura
import yaml
from lxml import etree
from lxml import html as lxml_html
from lxml.html import defs as html_defs
from markdown_it import MarkdownIt

from lib.contract.schema import from_rows
from lib.read import copies, outlets
from lib.read.datelines import first_sentence, without_dateline
from lib.read.problems import Problem
from lib.read.sources import SOURCES_COLUMNS, SOURCES_FILE, parse_sources, read_date  # noqa: F401 - re-exported

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_BYTES = 50 * 1024 * 1024  # larger files are refused: no news article is that long
MAX_CHARS = 200_000  # longer texts are cut (at a paragraph) and the cut is reported
TITLE_WORDS = 14
# A leading YAML block of a Markdown or text export (Jekyll, Hugo, ...): "---", key: value lines, "---"
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
FRONT_KEYS = {  # an article field → the front matter keys that give it, first found wins
    "title": ("title", "headline"),
    "published": ("date", "published", "publishdate", "pubdate", "published_at"),
    "outlet": ("outlet", "source", "publisher", "publication", "site"),
    "url": ("url", "link", "canonical_url", "canonicalurl", "permalink"),
}
# An HTML tag ("<a href=...>", "</p>", "<img ...>"): a plain-text file holding one is pasted markup
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?/?>")
WHOLE_PAGE = re.compile(r"<!doctype\s+html|<(?:html|head|body)[\s>]", re.I)
MIN_ENGLISH_SHARE = 0.12  # share of English function words below which a text is flagged
ENGLISH_FUNCTION_WORDS = frozenset(
    ["the", "of", "and", "to", "a", "in", "is", "that", "for", "on", "with", "as", "was", "by", "it", "at", "from", "are", "be", "has", "have", "said", "its", "this", "an", "were", "which", "but", "not", "will", "their", "they", "been", "or", "would", "also", "more", "after", "over"]
)


@dataclass(frozen=True)
class Article:
    """One article as read from disk, before any NLP."""

    article_id: str
    file: str
    text: str
    title: str | None = None
    words: int | None = None  # known when read from the memo; else counted from the text
    digest: str | None = None  # `content_hash` of the text, likewise
    front: dict[str, str] | None = None  # title, published, outlet, url from its front matter
    signature: list[int] | None = None  # `copies.signature` of the text, when read from the memo


def decode(raw: bytes) -> str:
    """Bytes to text: BOM-marked and UTF-8 first, then the detected encoding."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        raise ValueError("not text (no character encoding fits)")
    return str(best)


def clean_text(text: str) -> str:
    """Normalise newlines and invisible characters; paragraphs and wording stay as they are."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\x00", "")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Main text and title of an HTML page (trafilatura; plain lxml text as a fallback)."""
    text = trafilatura.extract(markup, include_comments=False, include_tables=False, favor_recall=True)
    meta = trafilatura.extract_metadata(markup)
    title = meta.title if meta is not None and meta.title else None
    return text or _markup_text(markup), title


def _markup_text(markup: str) -> str:
    """Every visible text node of a page that trafilatura found nothing in ("" when unparsable)."""
    try:
        tree = lxml_html.fromstring(markup)
    except ValueError:  # a str with an encoding declaration: parse its bytes
        tree = _parsed_bytes(markup)
    except etree.ParserError:  # empty, or only comments / processing instructions
        return ""
    if tree is None or not isinstance(tree.tag, str):  # nothing, or only a comment ("<body><!--")
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    return "\n".join(t.strip() for t in tree.itertext() if t.strip())


def _parsed_bytes(markup: str):
    """The lxml tree of a page that declares its own encoding (None when empty)."""
    try:
        return lxml_html.fromstring(markup.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return None


def holds_markup(text: str) -> bool:
    """Whether a plain text holds HTML: a page, or tags pasted with the words (`<a href=...>`,
    `<script>`, `<img onerror=...>`). "a < b > c" and "<Russia>" are not tags."""
    return any(match.group(1).lower() in html_defs.tags for match in TAG.finditer(text))


def pasted_markup_to_text(text: str) -> tuple[str, str | None]:
    """Text and title of a plain-text file that holds HTML, read as an `.html` file is (so no
    attribute value or script becomes article text); a fragment keeps its lines as paragraphs."""
    if WHOLE_PAGE.search(text):
        return html_to_text(text)
    return html_to_text("".join(f"<p>{line}</p>\n" for line in text.split("\n") if line.strip()))


def markdown_to_text(markup: str) -> tuple[str, str | None]:
    """Plain text of Markdown (links keep their words, images and code fences vanish)."""
    rendered = MarkdownIt("commonmark").disable("image").render(markup)
    if not rendered.strip():
        return "", None
    tree = lxml_html.fromstring(f"<div>{rendered}</div>")
    heading = tree.xpath("//h1")
    title = heading[0].text_content().strip() if heading else None
    blocks = tree.xpath("//p|//h1|//h2|//h3|//h4|//h5|//h6|//li|//blockquote/p")
    paragraphs = [b.text_content().strip() for b in blocks if b.tag != "h1" and b.text_content().strip()]
    return "\n".join(paragraphs), title


def derive_title(text: str) -> str:
    """A readable title from the lead sentence (after any dateline), cut at a word boundary,
    never at an abbreviation's period ("Sept.", "U.S.")."""
    lead = first_sentence(without_dateline(text.strip()).strip()).strip()
    words = lead.split()
    if len(words) <= TITLE_WORDS:
        return lead.rstrip(".")
    return " ".join(words[:TITLE_WORDS]).rstrip(",;:") + "…"


def read_article(path: Path) -> Article:
    """Read one article file; raises ValueError with a one-line reason when unusable."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(f"too large ({size / 1e6:.0f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB)")
    raw = path.read_bytes()
    if not raw.strip():
        raise ValueError("empty file")
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("binary data, not text")
    text = decode(raw)
    title, front = None, {}
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        text, title = html_to_text(text)
    else:
        front, text = split_front_matter(text.lstrip("\ufeff"))
        if suffix in (".md", ".markdown"):
            text, title = markdown_to_text(text)
        elif holds_markup(text):
            text, title = pasted_markup_to_text(text)
    text = clean_text(text)
    if not text:
        raise ValueError("no readable text")
    if unprintable_share(text) > 0.05:
        raise ValueError("binary data, not text")
    return Article(article_id=path.stem, file=path.name, text=text, title=front.get("title") or title,
                   front=front or None)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """A leading front matter block's title, date, outlet and url (`FRONT_KEYS`), and the text
    after the block. A block that is not a YAML mapping is left in the text."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    given = {str(key).strip().lower(): value for key, value in data.items()}
    fields = {}
    for field, keys in FRONT_KEYS.items():
        value = next((given[k] for k in keys if given.get(k) not in (None, "")), None)
        if isinstance(value, dt.datetime):
            value = value.date()
        if value is not None:
            fields[field] = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    return fields, text[match.end():]


def unprintable_share(text: str) -> float:
    """Share of control characters other than newlines and tabs (high for binary data)."""
    sample = text[:20_000]
    if sample.replace("\n", "").replace("\t", "").isprintable():
        return 0.0
    counts = Counter(sample)  # few distinct characters: test each once
    bad = sum(n for ch, n in counts.items() if not ch.isprintable() and ch not in "\n\t")
    return bad / max(1, len(sample))


def english_share(text: str) -> float:
    """Share of the first 2,000 words that are common English function words."""
    words = re.findall(r"[a-z]+", text[:20_000].lower())[:2000]
    return sum(map(ENGLISH_FUNCTION_WORDS.__contains__, words)) / max(1, len(words))


def truncate(text: str, limit: int = MAX_CHARS) -> str:
    """`text` cut to at most `limit` characters, at the last paragraph (or sentence) break."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for mark in ("\n", ". "):
        cut = head.rfind(mark)
        if cut > limit // 2:
            return head[: cut + 1].rstrip()
    return head


def warnings_for(article: Article) -> tuple[Article, list[Problem]]:
    """Usable-but-suspect articles: cut when too long, flagged when not English."""
    problems = []
    text = truncate(article.text)
    if len(text) < len(article.text):
        problems.append(
            Problem(article.file, f"{len(article.text):,} characters; only the first {len(text):,} are processed")
        )
        article = Article(article.article_id, article.file, text, article.title, front=article.front)
    if english_share(text) < MIN_ENGLISH_SHARE:
        problems.append(Problem(article.file, "does not look like English; processed, but extraction may miss"))
    return article, problems


def parse_date(value: object) -> str | None:
    """`YYYY-MM-DD` of a date from sources.csv or front matter when it has one reading, else None."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return read_date(str(value))[0]


def read_sources(folder: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """`sources.csv` of `folder` as a frame keyed by file name, with its problems (never raises):
    see `lib.read.sources`."""
    path = folder / SOURCES_FILE
    if not path.exists():
        return parse_sources("")[0], []
    try:
        text = decode(path.read_bytes())
    except (OSError, ValueError) as error:
        return parse_sources("")[0], [Problem(SOURCES_FILE, f"unreadable, ignored ({error})")]
    return parse_sources(text)


def article_files(folder: Path) -> list[Path]:
    """Article files of a folder (not recursive), in name order."""
    return [Path(entry.path) for entry in _article_entries(folder)]


def _article_entries(folder: Path) -> list[os.DirEntry]:
    """`article_files` as directory entries (an entry knows its type: no stat per file)."""
    entries = (e for e in os.scandir(folder) if e.is_file() and os.path.splitext(e.name)[1].lower() in ARTICLE_SUFFIXES)
    return sorted(entries, key=lambda e: e.name)


def word_count(text: str) -> int:
    """Words of a text, as the Overview counts them (runs of non-space)."""
    return len(text.split())


def content_hash(text: str) -> str:
    """A short stable hash of an article's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class ReadMemo:
    """Articles as read from their files last time, by file name, size and modification time,
    so that an unchanged file of a large corpus is not decoded, converted and checked again.
    `entries` maps a file name to {"size", "mtime_ns", "article_id", "text", "title", "words",
    "content_hash", "warnings", "front", "signature"} ("front": the front matter's fields as JSON,
    or None; "signature": the text's `copies.signature`, to find copies without reading it again);
    `used` holds the entries of the last `read_corpus`, to keep for the next."""

    def __init__(self, entries: dict[str, dict] | None = None) -> None:
        self.entries = entries or {}
        self.used: dict[str, dict] = {}
        self.changed = False

    def read(self, path: Path | os.DirEntry) -> tuple[Article, list[Problem]]:
        """`read_article` + `warnings_for` of `path`, from memory when the file is unchanged.
        The entry keeps the title derived from the text when the file has none."""
        stat = path.stat()
        entry = self.entries.get(path.name)
        if entry is None or (entry["size"], entry["mtime_ns"]) != (stat.st_size, stat.st_mtime_ns):
            article, warnings = _read_fresh(Path(path))
            entry = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "article_id": article.article_id,
                     "text": article.text, "title": article.title or derive_title(article.text),
                     "words": word_count(article.text), "content_hash": content_hash(article.text),
                     "warnings": [w.reason for w in warnings],
                     "front": json.dumps(article.front, ensure_ascii=False) if article.front else None,
                     "signature": copies.signature(article.text)}
            self.changed = True
        self.used[path.name] = entry
        front = json.loads(entry["front"]) if entry.get("front") else None
        article = Article(entry["article_id"], path.name, entry["text"], entry["title"], entry["words"],
                          entry["content_hash"], front, entry.get("signature"))
        return article, [Problem(path.name, reason) for reason in entry["warnings"]]


def _read_fresh(path: Path) -> tuple[Article, list[Problem]]:
    return warnings_for(read_article(path))


def read_corpus(folder: Path, memo: ReadMemo | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Articles of `folder` (schema `articles`, `published` possibly null) and the problems met;
    with a `memo`, unchanged files are taken from it (see `ReadMemo`)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    sources, problems = read_sources(folder)
    rows, signatures = [], []
    names = [str(c) for c in sources.columns]  # plain lists: pandas' Index iterates cell by cell
    values = (sources[c].tolist() for c in names)
    metadata = {file: dict(zip(names, row))  # file → its sources.csv row
                for file, row in zip(sources.index.tolist(), zip(*values))}
    files = _article_entries(folder)  # a large corpus: no Path object per unchanged file
    read = memo.read if memo is not None else (lambda entry: _read_fresh(Path(entry.path)))
    for path in files:
        try:
            article, warnings = read(path)
        except (OSError, ValueError) as error:
            problems.append(Problem(path.name, f"skipped: {error}"))
            continue
        problems.extend(warnings)
        rows.append(_article_row(article, metadata.get(path.name), article.digest or content_hash(article.text)))
        signatures.append(article.signature or copies.signature(article.text))
    if memo is not None and set(memo.used) != set(memo.entries):
        memo.changed = True  # files went away (or failed): the memo shrinks
    present = {p.name for p in files}
    problems.extend(Problem(SOURCES_FILE, f"{name}: no such article file", metadata[name]["line"])
                    for name in metadata if name not in present)
    links = copies.copy_of([row["content_hash"] for row in rows], signatures)
    for row, first in zip(rows, links):
        row["copy_of"] = None if first is None else rows[first]["article_id"]
    return from_rows(rows, "articles"), problems  # Python str cells, not Arrow-backed strings


def _article_row(article: Article, meta: dict | None, digest: str) -> dict:
    def field(name: str) -> str | None:  # sources.csv first, then the file's own front matter
        value = meta[name] if meta is not None else ""
        return value or (article.front or {}).get(name) or None

    published = parse_date(field("published"))
    outlet = outlets.canonical(field("outlet"), field("url"))  # one name per outlet (lib/data/outlets.csv)
    known = outlets.profile(outlet)
    return {
        "article_id": article.article_id,
        "title": field("title") or article.title or derive_title(article.text),
        "outlet": outlet,
        **{f"outlet_{field_name}": known[field_name] for field_name in outlets.PROFILE_FIELDS},
        "published": published,
        "published_inferred": False,
        "url": field("url"),
        "file": article.file,
        "words": article.words if article.words is not None else word_count(article.text),
        "text": article.text,
        "content_hash": digest,
    }

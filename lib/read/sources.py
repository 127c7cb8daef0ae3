"""`sources.csv`, read row by row: one bad row is reported (with its line) and the others used.

The file gives each article's `title`, `outlet`, `published` and `url` by `file` name. People
write it by hand or export it from a spreadsheet, so the reader takes what such files look like:
columns in any order and extra columns, a byte order mark, `;`, tab or `|` as separator, Windows
line ends, and publication dates in the common forms of `lib/data/source_date_formats.csv`
(read with a warning when unambiguous; "03/04/2023" is reported, not guessed).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache

import pandas as pd

from lib.contract.datafiles import read_csv
from lib.read.problems import Problem

SOURCES_FILE = "sources.csv"
SOURCES_COLUMNS = ("file", "title", "outlet", "published", "url")
SEPARATORS = ",;\t|"  # the one the header line holds most of is the file's separator
SHOWN_CHARS = 100  # of a malformed row, in its report
LINE_END = re.compile(r"\r\n|\r|\n")


# --- dates ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def date_formats() -> tuple[str, ...]:
    """The `strptime` formats of a publication date besides YYYY-MM-DD (a data file)."""
    return tuple(row["format"] for row in read_csv("source_date_formats.csv"))


@lru_cache(maxsize=1 << 12)
def read_date(value: str) -> tuple[str | None, str]:
    """(YYYY-MM-DD or None, how it was read) of a written date; how is "iso", "other" (another
    form, one reading), "ambiguous" (several readings, e.g. 03/04/2023), "malformed" or "empty".
    A timestamp ("2023-05-24T10:00Z") gives its date as written, in its own time zone."""
    text = " ".join(str(value).split())
    if not text:
        return None, "empty"
    try:
        return dt.date.fromisoformat(text).isoformat(), "iso"
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("z", "Z")).date().isoformat(), "other"
    except ValueError:
        pass
    readings = date_readings(text)
    if len(readings) == 1:
        return readings[0], "other"
    return None, "ambiguous" if readings else "malformed"


def _parsed(text: str, form: str) -> str | None:
    try:
        return dt.datetime.strptime(text, form).date().isoformat()
    except ValueError:
        return None


def date_readings(value: str) -> list[str]:
    """Every date a written date can mean under the known forms (two for "03/04/2023")."""
    text = " ".join(str(value).split())
    return sorted({day for form in date_formats() if (day := _parsed(text, form)) is not None})


def date_problem(file: str, value: str) -> tuple[str | None, str | None]:
    """(YYYY-MM-DD or None, the warning for the report or None) of a `published` cell."""
    iso, how = read_date(value)
    if how == "other":
        return iso, f"{file}: date {value!r} read as {iso} (write dates as YYYY-MM-DD)"
    if how == "ambiguous":
        meanings = " or ".join(date_readings(value))
        return None, f"{file}: ambiguous date {value!r} ({meanings}?), ignored: write it as YYYY-MM-DD"
    if how == "malformed":
        return None, f"{file}: malformed date {value!r} (want YYYY-MM-DD), ignored"
    return iso, None


# --- rows ----------------------------------------------------------------------------------------


def separator_of(header: str) -> str:
    """The separator a header line uses (",", ";", tab or "|"; "," when it has none)."""
    counts = {mark: header.count(mark) for mark in SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def records(lines: list[str], separator: str) -> Iterator[tuple[int, list[str] | None]]:
    """(line number, cells) of each record of `lines` (a quoted cell may span lines); cells are
    None for a record the csv module cannot parse (an unterminated quote, text after a closing
    quote): it counts as its first line only, and reading goes on at the next line."""
    begin = 0
    while begin < len(lines):
        reader = csv.reader((line + "\n" for line in lines[begin:]), delimiter=separator, strict=True)
        done = 0  # lines of `lines[begin:]` consumed by complete records
        try:
            for cells in reader:
                yield begin + done + 1, cells
                done = reader.line_num
            return
        except csv.Error:
            yield begin + done + 1, None
            begin += done + 1


def parse_sources(text: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The rows of a `sources.csv` text as a frame indexed by `file` (columns `SOURCES_COLUMNS`
    after `file`, plus `line`; `published` as YYYY-MM-DD or ""), and the problems met."""
    lines = LINE_END.split(text.lstrip("\ufeff"))
    found = records(lines, separator_of(next((line for line in lines if line.strip()), "")))
    header: list[str] | None = None
    problems: list[Problem] = []
    rows: dict[str, dict] = {}
    for number, cells in found:
        content = lines[number - 1]
        if cells is not None and not any(c.strip() for c in cells):
            continue  # a blank line
        if header is None:
            if cells is None:
                return _empty(), [Problem(SOURCES_FILE, "the header row cannot be read, file ignored", number)]
            header = [" ".join(c.split()).lower() for c in cells]
            if "file" not in header:
                return _empty(), [Problem(SOURCES_FILE, "has no 'file' column, ignored")]
            problems += [Problem(SOURCES_FILE, f"has no '{c}' column") for c in SOURCES_COLUMNS if c not in header]
            continue
        if cells is None or len(cells) > len(header):
            why = "unbalanced quote marks" if cells is None else (
                f"{len(cells)} cells where the header has {len(header)}")
            problems.append(Problem(SOURCES_FILE, f"malformed row ({why}), ignored: {_shown(content)}", number))
            continue
        row = dict(zip(header, (" ".join(c.split()) for c in cells)))
        file = row.get("file", "")
        if not file:
            problems.append(Problem(SOURCES_FILE, f"row without a file name, ignored: {_shown(content)}", number))
        elif file in rows:
            problems.append(Problem(SOURCES_FILE, f"{file}: listed twice, the first row (line "
                                                  f"{rows[file]['line']}) is used", number))
        else:
            published, warning = date_problem(file, row.get("published", ""))
            if warning:
                problems.append(Problem(SOURCES_FILE, warning, number))
            rows[file] = {**{c: row.get(c, "") for c in SOURCES_COLUMNS}, "published": published or "",
                          "line": number}
    if header is None:
        return _empty(), [Problem(SOURCES_FILE, "is empty, ignored")]
    return _frame(rows), problems


def _shown(line: str) -> str:
    """A row as the report shows it: quoted, and cut when long."""
    return repr(line if len(line) <= SHOWN_CHARS else line[:SHOWN_CHARS] + "…")


def _empty() -> pd.DataFrame:
    return _frame({})


def _frame(rows: dict[str, dict]) -> pd.DataFrame:
    """Rows by file name as a frame indexed by `file` (Python str cells, not Arrow strings)."""
    columns = [*SOURCES_COLUMNS, "line"]
    frame = pd.DataFrame({c: [row[c] for row in rows.values()] for c in columns}, dtype=object)
    return frame.set_index("file")

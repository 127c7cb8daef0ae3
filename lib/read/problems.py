"""What the reading layer reports: one line per input that could not be (fully) used."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Why one input could not be used (or was only partly used); `line` points into a
    table file such as `sources.csv` (1 is its header)."""

    file: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file} line {self.line}"
        return f"{where}: {self.reason}"

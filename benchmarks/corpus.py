"""A synthetic corpus for benchmarks and scale tests: seed paragraphs shuffled into new articles.

Every article is a random selection of the seed articles' paragraphs (one paragraph per line in
the seeds), as many as a seed article has, so lengths and language stay seed-like. Dates in
`sources.csv` are drawn from the seeds' dates. Deterministic for a given `seed`.
"""

from __future__ import annotations

import csv
import hashlib
import random
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def seed_articles(seeds: Path = SEEDS) -> list[list[str]]:
    """The paragraphs of every seed article."""
    return [[line for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
            for p in sorted(seeds.glob("*.txt"))]


def seed_dates(seeds: Path = SEEDS) -> list[str]:
    """Publication dates listed in the seeds' sources.csv."""
    with open(seeds / "sources.csv", encoding="utf-8", newline="") as handle:
        return sorted({row["published"] for row in csv.DictReader(handle) if row.get("published")})


def synthetic_articles(n: int, seed: int = 0, seeds: Path = SEEDS) -> list[tuple[str, str]]:
    """`n` distinct (text, published) pairs built from the seed paragraphs."""
    rng = random.Random(seed)
    articles = seed_articles(seeds)
    pool = [p for article in articles for p in article]
    lengths = [len(a) for a in articles]
    dates = seed_dates(seeds) or ["2024-01-01"]
    out, seen = [], set()
    while len(out) < n:
        text = "\n".join(rng.sample(pool, min(len(pool), rng.choice(lengths))))
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        out.append((text, rng.choice(dates)))
    return out


def write_corpus(folder: Path, n: int, seed: int = 0, start: int = 0) -> list[Path]:
    """Write `n` synthetic articles (files syn_<index>.txt) and their sources.csv into `folder`.

    `start` numbers the files, so a second call adds articles next to existing ones; the
    sources.csv is rewritten to list every syn_*.txt file present."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (text, published) in enumerate(synthetic_articles(n, seed=seed + start)):
        path = folder / f"syn_{start + i:06d}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        (folder / f".{path.stem}.date").write_text(published, encoding="utf-8")
        paths.append(path)
    _write_sources(folder)
    return paths


def _write_sources(folder: Path) -> None:
    rows = []
    for path in sorted(folder.glob("syn_*.txt")):
        marker = folder / f".{path.stem}.date"
        rows.append({"file": path.name, "title": "", "outlet": f"outlet {int(path.stem[4:]) % 7}",
                     "published": marker.read_text(encoding="utf-8") if marker.exists() else "", "url": ""})
    with open(folder / "sources.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "title", "outlet", "published", "url"])
        writer.writeheader()
        writer.writerows(rows)


def remove_articles(folder: Path, paths: list[Path]) -> None:
    """Delete synthetic articles written by `write_corpus` and list the rest in sources.csv."""
    for path in paths:
        path.unlink(missing_ok=True)
        (Path(folder) / f".{path.stem}.date").unlink(missing_ok=True)
    _write_sources(Path(folder))

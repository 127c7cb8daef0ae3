"""Copies: the same story under another file name, each copy an article of its own.

A corpus gathered from several outlets holds the same wire story more than once: byte for byte,
or lightly edited (another headline, an added paragraph, a different byline). Every file stays
an article with its own outlet, title, date and url, since each is an outlet carrying the story;
`articles.copy_of` names the first copy (in file name order) of each later one, so that views
can count a story once.

Near-identical means a Jaccard similarity of at least `NEAR_COPY_JACCARD` between the sets of
word `SHINGLE_WORDS`-grams of the two texts, estimated by MinHash (`SIGNATURE_SIZE` hash
functions) and found without comparing every pair by locality-sensitive hashing (`BANDS` bands).
An article's signature depends on its text alone, so the files memo keeps it with the text.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Collection, Sequence

import numpy as np

SHINGLE_WORDS = 5  # words per shingle: one edited word changes at most this many shingles
NEAR_COPY_JACCARD = 0.7  # a light edit of a story keeps well above it; two reports of one event share far less
SIGNATURE_SIZE = 128  # MinHash values per text: the estimate's standard error is at most 0.045
BANDS = 32  # of 4 values each: a pair at 0.7 shares a band with probability 0.9998, at 0.3 with 0.23
WORD = re.compile(r"\w+")
_SEED = 20240516
_MULTIPLIERS = np.random.default_rng(_SEED).integers(1, 2**63, SIGNATURE_SIZE, dtype=np.uint64) | np.uint64(1)
_OFFSETS = np.random.default_rng(_SEED + 1).integers(0, 2**63, SIGNATURE_SIZE, dtype=np.uint64)
_STEP = np.uint64(1_000_003)  # mixes the word hashes of a shingle in order


def shingle_hashes(text: str) -> np.ndarray:
    """Stable 64-bit hashes of the text's lower-cased word shingles (the whole text when shorter)."""
    words = WORD.findall(text.lower())
    hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    width = min(SHINGLE_WORDS, len(hashes))
    if width == 0:
        return hashes
    count = len(hashes) - width + 1
    mixed = np.zeros(count, dtype=np.uint64)
    for offset in range(width):  # wrap-around arithmetic: overflow is the hash
        mixed = mixed * _STEP + hashes[offset : offset + count]
    return np.unique(mixed)


def signature(text: str) -> list[int]:
    """The MinHash signature of a text: per hash function, the least hash of its shingles."""
    shingles = shingle_hashes(text)
    if not len(shingles):
        return [2**32] * SIGNATURE_SIZE  # no words: like no other text
    hashed = (shingles[:, None] * _MULTIPLIERS[None, :] + _OFFSETS[None, :]) >> np.uint64(32)
    return hashed.min(axis=0).astype(np.int64).tolist()


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """The Jaccard similarity of two texts' shingles as estimated from their signatures."""
    return float(np.mean(np.asarray(a) == np.asarray(b)))


def copy_of(hashes: Sequence[str], signatures: Sequence[Sequence[int]]) -> list[int | None]:
    """Per article (in file name order), the position of the first copy of its story, or None
    for a first (or only) copy: the first earlier article with the same text `hashes`, else the
    first copy of the earliest earlier article at least `NEAR_COPY_JACCARD` similar."""
    first_with_text: dict[str, int] = {}
    buckets: dict[tuple[int, bytes], list[int]] = {}
    rows = len(signatures[0]) // BANDS if signatures else 0
    links: list[int | None] = []
    for position, (digest, values) in enumerate(zip(hashes, signatures)):
        bands = [(band, np.asarray(values[band * rows : (band + 1) * rows], np.int64).tobytes())
                 for band in range(BANDS)]
        twin = first_with_text.setdefault(digest, position)
        if twin == position:
            near = sorted({earlier for key in bands for earlier in buckets.get(key, ())})
            twin = next((e for e in near if similarity(signatures[e], values) >= NEAR_COPY_JACCARD), position)
        for key in bands:
            buckets.setdefault(key, []).append(position)
        links.append(None if twin == position else links[twin] if links[twin] is not None else twin)
    return links


def extraction_twins(records: Sequence[dict], ready: Collection[int] = ()) -> dict[int, int]:
    """Per article whose rows equal another's up to its id (the same text and the same given
    publication date: extraction reads nothing else), the position of that other article: the
    first of them whose rows are `ready` (positions), else the first of them."""
    groups: dict[tuple, list[int]] = {}
    for position, record in enumerate(records):
        groups.setdefault((record["content_hash"], record.get("published")), []).append(position)
    twins = {}
    for members in groups.values():
        donor = next((p for p in members if p in ready), members[0])
        twins.update((p, donor) for p in members if p != donor)
    return twins

"""The cluster run's copies step (DuckDB over signature parts) links exactly as `copies.copy_of`."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.read.copies import SIGNATURE_SIZE, copy_of, signature
from lib.run.copies_at_scale import copy_links
from tests.read.test_copies import WIRE, edited


def links_at_scale(tmp_path, hashes: list[str], signatures: list[list[int]]) -> tuple[list, int]:
    """(copy_of per article as positions, number of copies) from `copy_links` over one parts file."""
    ids = [f"a{n:03d}" for n in range(len(hashes))]
    source = tmp_path / "signatures.parquet"
    pq.write_table(pa.table({"article_id": ids, "_article": list(range(len(ids))), "content_hash": hashes,
                             "signature": pa.array(signatures, pa.list_(pa.int64()))}), source)
    target = tmp_path / "copies.parquet"
    count = copy_links(f"read_parquet('{source}')", target, tmp_path / "spill")
    written = pq.read_table(target).to_pydict()
    assert written["article_id"] == ids  # file order
    return [None if link is None else ids.index(link) for link in written["copy_of"]], count


def test_stories_edits_chains_and_texts_without_words(tmp_path):
    texts = [WIRE, "Putin met Xi in Astana on Wednesday, the Kremlin said.", WIRE,
             edited(headline="Another headline"),
             edited(headline="Another headline", added="One more paragraph about the deal and its price."),
             "", "…", "Trade between the two countries rose by a fifth last year, customs data showed."]
    hashes = ["w", "x", "w", "y", "z", "e", "f", "t"]
    signatures = [signature(t) for t in texts]
    links, count = links_at_scale(tmp_path, hashes, signatures)
    assert links == copy_of(hashes, signatures) == [None, None, 0, 0, 0, None, 5, None]
    assert count == 4


def _derived(base: list[int], changed: list[int], value: int) -> list[int]:
    signature_ = list(base)
    for position in changed:
        signature_[position] = value
    return signature_


@st.composite
def corpora(draw):
    """Signatures of few bases, each article changing some values of one base (so that
    similarities fall on both sides of the threshold and bands collide), with repeated hashes."""
    bases = draw(st.lists(st.lists(st.integers(0, 3), min_size=SIGNATURE_SIZE, max_size=SIGNATURE_SIZE),
                          min_size=1, max_size=3))
    count = draw(st.integers(1, 14))
    signatures, hashes = [], []
    for _ in range(count):
        base = bases[draw(st.integers(0, len(bases) - 1))]
        changed = draw(st.lists(st.integers(0, SIGNATURE_SIZE - 1), max_size=60, unique=True))
        signatures.append(_derived(base, changed, draw(st.integers(4, 6))))
        hashes.append(draw(st.sampled_from("abcdefghij")))
    return hashes, signatures


@settings(max_examples=60, deadline=None)
@given(corpora())
def test_same_links_as_the_plain_run(tmp_path_factory, corpus):
    hashes, signatures = corpus
    links, count = links_at_scale(tmp_path_factory.mktemp("copies"), hashes, signatures)
    expected = copy_of(hashes, signatures)
    assert links == expected
    assert count == sum(link is not None for link in expected)

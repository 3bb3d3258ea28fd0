"""The database-backed near-duplicate index agrees with the pure dedup module."""

from __future__ import annotations

import numpy as np

from prima.monitoring import dedup, neardup

TEXTS = [
    "Kantor Imigrasi Soekarno-Hatta menambah dua puluh autogate baru di Terminal 3",
    "Autogates at the airport were broken this morning",
    "ok",
    "",
]


def test_batched_signatures_equal_datasketch_value_for_value():
    index = dedup.NearDuplicateIndex(num_perm=neardup.NUM_PERM)
    batched = neardup.signatures([neardup.words(t) for t in TEXTS])
    for text, signature in zip(TEXTS, batched, strict=True):
        expected = index.signature(text)
        if expected is None or signature is None:
            assert signature is None and expected is None
        else:
            assert np.array_equal(signature, expected)


def test_bands_are_stable_and_equal_for_equal_texts():
    first, same, other, empty = neardup.bands_of(
        neardup.signatures([neardup.words(t) for t in (TEXTS[0], TEXTS[0], TEXTS[1], "")])
    )
    assert first == same and len(first) == neardup.BANDS
    assert not set(first) & set(other)
    assert empty == []
    assert all(-(2**63) <= b < 2**63 for b in first)


def test_jaccard_of_shingles():
    a = neardup.shingles(neardup.words(TEXTS[0]))
    b = neardup.shingles(neardup.words(TEXTS[0] + " kata Kepala Kantor"))
    assert 0.7 < neardup.jaccard(a, b) < 1
    assert neardup.jaccard(a, frozenset()) == 0.0

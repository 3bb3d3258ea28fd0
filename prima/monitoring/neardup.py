"""Near-duplicate groups of mentions, backed by the :class:`~.models.DupBand` table.

Signatures are the MinHash signatures of :mod:`prima.monitoring.dedup` (same
permutation generator, same hash, same word 3-gram shingles; :func:`signatures` equals the
first ``NUM_PERM`` values of ``NearDuplicateIndex.signature``) but computed for a whole
chunk in one vectorised numpy pass, which is what keeps ingestion fast. Bands are hashed
by :func:`bands_of`, also in one pass.

Only each group's original is written to the band index. A mention that shares a band
with a group is compared with the group's original by exact Jaccard similarity of word
3-grams and joins the most similar group at or above the threshold (0.7); it starts a
group otherwise. Signatures are not stored: candidates are few, and their original's
text is at hand in the mention table.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from datetime import date

import numpy as np

from . import dedup
from .bulk import select_in

_MERSENNE_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_unpack = struct.Struct("<I").unpack


# LSH layout of the band index: 10 bands of 5 MinHash values (50 permutations). A pair
# with Jaccard similarity 0.7 shares a band with probability 0.84, at 0.8 with 0.98, at
# 0.9 with 0.99998; candidates are then confirmed exactly, so the low row count costs
# only a few extra comparisons. Half the rows of datasketch's optimum (20 × 6) for the
# 0.7 threshold: the band table is the biggest write of ingestion.
NUM_PERM = 50
BANDS, ROWS = 10, 5
THRESHOLD = dedup.DEFAULT_THRESHOLD


def _index() -> dedup.NearDuplicateIndex:
    return dedup._default_index()


def words(text: str) -> list[str]:
    """The words near-duplicate detection compares (URLs dropped, case-folded)."""
    return dedup.dedup_tokens(text)


def signatures(word_lists: Sequence[list[str]]) -> list[np.ndarray | None]:
    """MinHash signatures (uint64 arrays) of many texts at once; None for texts without words.

    One SHA-1 per distinct shingle plus one numpy pass over all of them.
    """
    index = _index()
    a, b = dedup._permutations(NUM_PERM, dedup.SEED)
    hashes: list[int] = []
    bounds: list[tuple[int, int]] = []
    for ws in word_lists:
        shingles = index.shingles(ws)
        start = len(hashes)
        for shingle in shingles:
            hashes.append(_unpack(hashlib.sha1(shingle).digest()[:4])[0])  # noqa: S324 - not security
        bounds.append((start, len(hashes)))
    if not hashes:
        return [None] * len(word_lists)
    hv = np.array(hashes, dtype=np.uint64)[:, None]
    phv = np.bitwise_and((hv * a + b) % _MERSENNE_PRIME, _MAX_HASH)
    out: list[np.ndarray | None] = []
    for start, end in bounds:
        if start == end:
            out.append(None)
        else:
            out.append(np.minimum(phv[start:end].min(axis=0), _MAX_HASH))
    return out


# Odd 64-bit multipliers for the band hashes (fixed forever: stored bands depend on them).
_BAND_RNG = np.random.default_rng(20251119)
_BAND_MULTIPLIERS = _BAND_RNG.integers(1, 2**62, size=(64, 64), dtype=np.uint64) * 2 + 1


def bands(signature: np.ndarray | None) -> list[int]:
    """The LSH band hashes of a signature (empty for None). See :func:`bands_of`."""
    return [] if signature is None else bands_of([signature])[0]


def bands_of(signatures_: Sequence[np.ndarray | None]) -> list[list[int]]:
    """Signed 64-bit LSH band hashes (``BANDS`` bands of ``ROWS`` values) for many
    signatures in one numpy pass.

    Each band hash is a multiply-add of its ``r`` MinHash values with fixed odd 64-bit
    multipliers (wrapping), salted by the band number, so equal values in different bands
    never collide. Equal bands give equal hashes; that is all LSH needs.
    """
    b, r = BANDS, ROWS
    present = [i for i, sig in enumerate(signatures_) if sig is not None]
    out: list[list[int]] = [[] for _ in signatures_]
    if not present:
        return out
    matrix = np.stack([np.asarray(signatures_[i], dtype=np.uint64)[: b * r] for i in present])
    blocks = matrix.reshape(len(present), b, r)
    with np.errstate(over="ignore"):
        mixed = (blocks * _BAND_MULTIPLIERS[:b, :r]).sum(axis=2, dtype=np.uint64)
        mixed ^= np.arange(1, b + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    signed = mixed.view(np.int64)
    for row, i in enumerate(present):
        out[i] = signed[row].tolist()
    return out


def shingles(word_list: list[str]) -> frozenset[bytes]:
    return frozenset(_index().shingles(word_list))


def jaccard(a: frozenset[bytes], b: frozenset[bytes]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class GroupFinder:
    """Finds the near-duplicate group of each mention of one chunk (one office).

    Candidates share at least one LSH band with the mention; each is confirmed by the
    exact Jaccard similarity of word 3-grams with the group's original (whose text is read
    in one query per chunk), so that many similar-but-different posts do not chain into
    one group.
    """

    # Shingle sets of originals kept between chunks (bounded; about 1 KB each).
    CACHE_SIZE = 20_000

    def __init__(self, office_id: int, threshold: float = THRESHOLD) -> None:
        self.office_id = office_id
        self.threshold = threshold
        self._known: dict[int, int] = {}
        self._originals: dict[int, frozenset[bytes]] = {}
        self.new_bands: list[tuple[int, int, int, date]] = []

    def load(self, all_bands: set[int]) -> None:
        """Read the stored bands among ``all_bands`` and the texts of their groups'
        originals not seen in earlier chunks (two queries). Call once per chunk; the
        finder may be reused for the next chunk of the same office."""
        self._known = {}
        self.new_bands = []
        if len(self._originals) > self.CACHE_SIZE:
            self._originals = {}
        if not all_bands:
            return
        rows = select_in(
            "SELECT band, dup_group FROM monitoring_dupband "
            "WHERE office_id = %s AND band IN ({in})",
            sorted(all_bands),
            [self.office_id],
        )
        for band, group in rows:
            self._known.setdefault(band, group)
        groups = set(self._known.values()) - self._originals.keys()
        if groups:
            originals = select_in(
                "SELECT dup_group, title, text FROM monitoring_mention WHERE office_id = %s "
                "AND is_original = %s AND dup_group IN ({in})",
                sorted(groups),
                [self.office_id, True],
            )
            for group, title, text in originals:
                self._originals[group] = shingles(words(f"{title} {text}"))

    def find(self, item_bands: Sequence[int], item_shingles: frozenset[bytes]) -> int | None:
        """The group of the most similar confirmed original (None: a new story)."""
        candidates: set[int] = set()
        for band in item_bands:
            group = self._known.get(band)
            if group is not None:
                candidates.add(group)
        best, best_score = None, 0.0
        for group in candidates:
            original = self._originals.get(group)
            if original is None:
                continue
            score = jaccard(item_shingles, original)
            if score >= self.threshold and (score > best_score or (
                    score == best_score and best is not None and group < best)):  # fmt: skip
                best, best_score = group, score
        return best

    def add_original(
        self, group: int, item_bands: Sequence[int], item_shingles: frozenset[bytes], day: date
    ) -> None:
        """Index a new story's bands (for later items of the chunk and for the database)."""
        self._originals[group] = item_shingles
        for band in item_bands:
            if band not in self._known:
                self._known[band] = group
                self.new_bands.append((self.office_id, band, group, day))

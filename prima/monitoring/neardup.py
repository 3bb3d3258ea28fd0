"""Near-duplicate detection: MinHash signatures, LSH bands and groups of mentions, backed by
the :class:`~.models.DupBand` table. The one implementation in PRIMA: ``benchmarks/
neardup.py`` measured it against datasketch on the project's data — the same signatures
and recall, 1.3 to 2.4 times faster, because a whole chunk is hashed in one numpy pass.

- :func:`words` — what is compared (URLs dropped, case-folded words); texts are compared
  by their word 3-gram :func:`shingles` (exact Jaccard similarity, :func:`jaccard`);
- :func:`signatures` — MinHash signatures (``NUM_PERM`` values: SHA-1 of each shingle
  through ``h(x) = (a·x + b) mod (2⁶¹ − 1)``, kept to 32 bits) of many texts at once;
- :func:`bands_of` — their LSH band hashes (``BANDS`` bands of ``ROWS`` values);
- :class:`GroupFinder` — the group of each mention of a chunk.

Only each group's original is written to the band index. A mention that shares a band
with a group is compared with the group's original by exact Jaccard similarity of word
3-grams and joins the most similar group at or above the threshold (0.7); it starts a
group otherwise. Signatures are not stored: candidates are few, and their original's
text is at hand in the mention table.

Stored bands depend on the permutations, the shingle hash and the band multipliers:
they are fixed forever (a test pins them).
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import unicodedata
from collections.abc import Sequence
from datetime import date

import numpy as np

from .bulk import select_in

_MERSENNE_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_unpack = struct.Struct("<I").unpack
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")

# LSH layout of the band index: 10 bands of 5 MinHash values (50 permutations). A pair
# with Jaccard similarity 0.7 shares a band with probability 0.84, at 0.8 with 0.98, at
# 0.9 with 0.99998; candidates are then confirmed exactly, so the low row count costs
# only a few extra comparisons. The band table is the biggest write of ingestion.
NUM_PERM = 50
BANDS, ROWS = 10, 5
THRESHOLD = 0.7
SHINGLE_SIZE = 3
# Seed of the permutations (the generator is numpy's legacy RandomState, as datasketch's).
SEED = 1


def words(text: str) -> list[str]:
    """The words near-duplicate detection compares: NFKC, URLs removed, case-folded words
    (letters and digits)."""
    return _WORD.findall(_URL.sub(" ", unicodedata.normalize("NFKC", text)).casefold())


def _shingle_list(word_list: list[str]) -> list[bytes]:
    """Distinct word n-grams as bytes, in order (what the signatures hash); a text shorter
    than n words is one."""
    size = SHINGLE_SIZE
    if len(word_list) <= size:
        return [" ".join(word_list).encode("utf-8")] if word_list else []
    return list(
        dict.fromkeys(
            " ".join(word_list[i : i + size]).encode("utf-8")
            for i in range(len(word_list) - size + 1)
        )
    )


Shingles = frozenset[tuple[str, ...]]


def shingles(word_list: list[str]) -> Shingles:
    """The word 3-grams of a text, as word tuples (one shingle for a text of three words
    or fewer): the same n-grams the signatures hash, in a form four times cheaper to
    build for :func:`jaccard`."""
    if len(word_list) <= SHINGLE_SIZE:
        return frozenset([tuple(word_list)]) if word_list else frozenset()
    return frozenset(zip(*(word_list[i:] for i in range(SHINGLE_SIZE)), strict=False))


def jaccard(a: Shingles, b: Shingles) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@functools.lru_cache(maxsize=4)
def permutations(num_perm: int = NUM_PERM, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` parameters of the MinHash permutations (datasketch's generator)."""
    gen = np.random.RandomState(seed)  # the legacy stream is part of the stored format
    pairs = [
        (gen.randint(1, _MERSENNE_PRIME, dtype=np.uint64),
         gen.randint(0, _MERSENNE_PRIME, dtype=np.uint64))
        for _ in range(num_perm)
    ]  # fmt: skip
    a, b = np.array(pairs, dtype=np.uint64).T
    return a, b


def signatures(word_lists: Sequence[list[str]]) -> list[np.ndarray | None]:
    """MinHash signatures (uint64 arrays) of many texts at once; None for texts without words.

    One SHA-1 per distinct shingle plus one numpy pass over all of them.
    """
    a, b = permutations()
    hashes: list[int] = []
    bounds: list[tuple[int, int]] = []
    for ws in word_lists:
        start = len(hashes)
        for shingle in _shingle_list(ws):
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


class GroupFinder:
    """Finds the near-duplicate group of each mention of one chunk (one office).

    Candidates share at least one LSH band with the mention; each is confirmed by the
    exact Jaccard similarity of word 3-grams with the group's original (whose text is read
    in one query per chunk), so that many similar-but-different posts do not chain into
    one group.
    """

    # Originals kept between chunks (bounded; about 1 KB each): their words, turned into
    # shingles only when a later mention is compared with them (most never are).
    CACHE_SIZE = 20_000

    def __init__(self, office_id: int, threshold: float = THRESHOLD) -> None:
        self.office_id = office_id
        self.threshold = threshold
        self._known: dict[int, int] = {}
        self._originals: dict[int, Shingles | list[str]] = {}
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
                self._originals[group] = words(f"{title} {text}")

    def _shingles_of(self, group: int) -> Shingles | None:
        original = self._originals.get(group)
        if isinstance(original, list):
            original = self._originals[group] = shingles(original)
        return original

    def find(self, item_bands: Sequence[int], item_words: list[str]) -> int | None:
        """The group of the most similar confirmed original (None: a new story)."""
        candidates: set[int] = set()
        for band in item_bands:
            group = self._known.get(band)
            if group is not None:
                candidates.add(group)
        if not candidates:
            return None
        item_shingles = shingles(item_words)
        best, best_score = None, 0.0
        for group in candidates:
            original = self._shingles_of(group)
            if original is None:
                continue
            score = jaccard(item_shingles, original)
            if score >= self.threshold and (score > best_score or (
                    score == best_score and best is not None and group < best)):  # fmt: skip
                best, best_score = group, score
        return best

    def add_original(
        self, group: int, item_bands: Sequence[int], item_words: list[str], day: date
    ) -> None:
        """Index a new story's bands (for later items of the chunk and for the database)."""
        self._originals[group] = item_words
        for band in item_bands:
            if band not in self._known:
                self._known[band] = group
                self.new_bands.append((self.office_id, band, group, day))

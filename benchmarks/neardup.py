"""Benchmark: near-duplicate detection, datasketch against PRIMA's numpy MinHash.

    .venv/bin/python benchmarks/neardup.py            # SmSA + NusaX texts and generated posts
    .venv/bin/python benchmarks/neardup.py --posts 50000

PRIMA had two implementations; this script decided which one stays. On the project's
data — the Indonesian/English texts of ``$PRIMA_SHARED_DATA`` (SmSA, NusaX; default
``../shared/data``) with realistic near-copies planted (a retweet prefix, a hashtag, a
word changed, a link appended), and the posts ``benchmarks/ingest.py`` generates — each
detector reads the texts in order and, for each text, looks for an earlier one with word
3-gram Jaccard similarity ≥ 0.7. The truth comes from an exact all-pairs search (prefix
filtering), so recall and precision are exact. Printed per detector: texts/s and recall
and precision of "this text is a near-copy of an earlier one".

Detectors:

- ``datasketch 128×(20×6)``: ``MinHash`` per text (128 permutations) and ``MinHashLSH``
  at 0.7 tuned for recall (20 bands of 6), candidates confirmed by the estimated
  similarity — the former ``dedup.NearDuplicateIndex``;
- ``datasketch 50×(10×5)``: the same library with PRIMA's layout and exact confirmation,
  to separate the implementation from the parameters;
- ``numpy 50×(10×5)`` (kept): :func:`prima.monitoring.neardup.signatures` and
  :func:`~prima.monitoring.neardup.bands_of` over chunks of 500, exact confirmation.

The signatures of the two implementations are checked to be identical first.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prima.settings")

THRESHOLD = 0.7
CHUNK = 500


# --- data -----------------------------------------------------------------------------------


def shared_texts(data_dir: Path) -> list[str]:
    texts = []
    smsa = data_dir / "sentiment" / "smsa"
    for name in ("train.tsv", "valid.tsv"):
        with open(smsa / name, encoding="utf-8") as fh:
            texts += [line.rsplit("\t", 1)[0] for line in fh if line.strip()]
    for lang in ("indonesian", "english"):
        for name in ("train.csv", "valid.csv"):
            with open(data_dir / "sentiment" / "nusax" / lang / name, encoding="utf-8",
                      newline="") as fh:  # fmt: skip
                texts += [row["text"] for row in csv.DictReader(fh)]
    return texts


EDITS: list[Callable[[random.Random, str], str]] = [
    lambda rng, t: f"RT @akun{rng.randint(1, 999)}: {t}",
    lambda rng, t: f"{t} {rng.choice(['#imigrasi', '#infoSoetta', '#viral', 'setuju!'])}",
    lambda rng, t: f"{t} https://x.example/{rng.randint(1, 10**6)}",
    lambda rng, t: _swap_word(rng, t),
    lambda rng, t: _drop_word(rng, t),
    lambda rng, t: t.upper() if rng.random() < 0.5 else t.replace(" .", "!"),
]


def _swap_word(rng: random.Random, text: str) -> str:
    words = text.split()
    if len(words) > 3:
        words[rng.randrange(len(words))] = rng.choice(["banget", "sekali", "parah", "mantap"])
    return " ".join(words)


def _drop_word(rng: random.Random, text: str) -> str:
    words = text.split()
    if len(words) > 3:
        del words[rng.randrange(len(words))]
    return " ".join(words)


def with_near_copies(texts: list[str], share: float, seed: int = 11) -> list[str]:
    """``texts`` with a near-copy of an earlier text after about ``share`` of them."""
    rng = random.Random(seed)
    out: list[str] = []
    for text in texts:
        out.append(text)
        if rng.random() < share:
            earlier = out[rng.randrange(max(0, len(out) - 2000), len(out))]
            out.append(rng.choice(EDITS)(rng, earlier))
    return out


def generated_posts(n: int) -> list[str]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from ingest import generate  # type: ignore[import-not-found]  # benchmarks/ingest.py

    return [f"{item.title} {item.text}".strip() for item in generate(n)]


# --- the truth ------------------------------------------------------------------------------


def truth(shingle_sets: list[frozenset[tuple[str, ...]]]) -> list[bool]:
    """For each text: does an earlier text have Jaccard similarity ≥ THRESHOLD? Exact,
    with prefix filtering (two sets that similar share one of their rarest shingles)."""
    frequency = Counter(s for shingles in shingle_sets for s in shingles)
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    out = []
    for i, shingles in enumerate(shingle_sets):
        ordered = sorted(shingles, key=lambda s: (frequency[s], s))
        prefix = ordered[: len(ordered) - int(THRESHOLD * len(ordered) + 1e-9) + 1]
        found = False
        seen: set[int] = set()
        for s in prefix:
            for j in index[s]:
                if j in seen:
                    continue
                seen.add(j)
                other = shingle_sets[j]
                inter = len(shingles & other)
                if inter and inter / (len(shingles) + len(other) - inter) >= THRESHOLD:
                    found = True
                    break
            if found:
                break
        out.append(found)
        for s in prefix:
            index[s].append(i)
    return out


# --- the detectors --------------------------------------------------------------------------


def numpy_detector(texts: list[str]) -> list[int | None]:
    """PRIMA's implementation: a chunk's signatures and bands in one numpy pass each."""
    from prima.monitoring import neardup

    buckets: dict[int, list[int]] = defaultdict(list)
    sets: list[frozenset[tuple[str, ...]]] = []
    found: list[int | None] = []
    for start in range(0, len(texts), CHUNK):
        word_lists = [neardup.words(t) for t in texts[start : start + CHUNK]]
        all_bands = neardup.bands_of(neardup.signatures(word_lists))
        for offset, (words, bands) in enumerate(zip(word_lists, all_bands, strict=True)):
            i = start + offset
            shingles = neardup.shingles(words)
            sets.append(shingles)
            best, best_score = None, 0.0
            for j in {j for band in bands for j in buckets.get(band, ())}:
                score = neardup.jaccard(shingles, sets[j])
                if score >= THRESHOLD and score > best_score:
                    best, best_score = j, score
            found.append(best)
            for band in bands:
                buckets[band].append(i)
    return found


def datasketch_detector(num_perm: int, layout: tuple[int, int] | None, exact: bool):
    def detect(texts: list[str]) -> list[int | None]:
        from datasketch import MinHash, MinHashLSH

        from prima.monitoring import neardup

        permutations = MinHash(num_perm=num_perm, seed=1).permutations
        if layout is None:
            lsh = MinHashLSH(threshold=THRESHOLD, num_perm=num_perm, weights=(0.1, 0.9))
        else:
            lsh = MinHashLSH(num_perm=num_perm, params=layout)
        minhashes: list[MinHash | None] = []
        sets: list[frozenset[tuple[str, ...]]] = []
        found: list[int | None] = []
        for i, text in enumerate(texts):
            words = neardup.words(text)
            shingles = neardup.shingles(words)
            sets.append(shingles)
            if not shingles:
                minhashes.append(None)
                found.append(None)
                continue
            minhash = MinHash(num_perm=num_perm, seed=1, permutations=permutations)
            minhash.update_batch(neardup._shingle_list(words))  # the bytes PRIMA hashes
            best, best_score = None, 0.0
            for j in lsh.query(minhash):
                score = (neardup.jaccard(shingles, sets[j]) if exact
                         else minhash.jaccard(minhashes[j]))  # fmt: skip
                if score >= THRESHOLD and score > best_score:
                    best, best_score = j, score
            found.append(best)
            minhashes.append(minhash)
            lsh.insert(i, minhash)
        return found

    return detect


DETECTORS = {
    "datasketch 128×(20×6), estimated": datasketch_detector(128, None, exact=False),
    "datasketch 50×(10×5), exact": datasketch_detector(50, (10, 5), exact=True),
    "numpy 50×(10×5), exact (PRIMA)": numpy_detector,
}


def same_signatures(texts: list[str]) -> bool:
    import numpy as np
    from datasketch import MinHash

    from prima.monitoring import neardup

    word_lists = [neardup.words(t) for t in texts]
    for words, ours in zip(word_lists, neardup.signatures(word_lists), strict=True):
        shingles = neardup._shingle_list(words)
        if not shingles:
            continue
        theirs = MinHash(num_perm=neardup.NUM_PERM, seed=neardup.SEED)
        theirs.update_batch(shingles)
        if ours is None or not np.array_equal(ours, theirs.hashvalues):
            return False
    return True


def score(found: list[int | None], truly: list[bool], sets: list[frozenset[tuple[str, ...]]]):
    from prima.monitoring import neardup

    hits = sum(1 for i, j in enumerate(found) if j is not None and truly[i])
    flagged = sum(1 for j in found if j is not None)
    correct = sum(1 for i, j in enumerate(found)
                  if j is not None and neardup.jaccard(sets[i], sets[j]) >= THRESHOLD)  # fmt: skip
    positives = sum(truly)
    return (hits / positives if positives else 1.0, correct / flagged if flagged else 1.0)


def run(name: str, texts: list[str]) -> None:
    from prima.monitoring import neardup

    sets = [neardup.shingles(neardup.words(t)) for t in texts]
    truly = truth(sets)
    print(f"\n{name}: {len(texts):,} texts, {sum(truly):,} near-copies of an earlier text "
          f"(Jaccard ≥ {THRESHOLD})")  # fmt: skip
    print(f"  {'detector':<36} {'texts/s':>9} {'recall':>7} {'precision':>9}")
    for label, detect in DETECTORS.items():
        detect(texts[:200])  # warm-up (imports, caches)
        started = time.perf_counter()
        found = detect(texts)
        rate = len(texts) / (time.perf_counter() - started)
        recall, precision = score(found, truly, sets)
        print(f"  {label:<36} {rate:>9,.0f} {recall:>7.1%} {precision:>9.1%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=30_000, help="generated posts (30,000)")
    parser.add_argument("--share", type=float, default=0.2,
                        help="near-copies planted per shared text (0.2)")  # fmt: skip
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings

    data_dir = Path(settings.MONITORING_SHARED_DATA)
    datasets: list[tuple[str, list[str]]] = []
    if (data_dir / "sentiment").is_dir():
        datasets.append(("SmSA + NusaX with planted near-copies",
                         with_near_copies(shared_texts(data_dir), args.share)))  # fmt: skip
    else:
        print(f"(no shared data at {data_dir}: set PRIMA_SHARED_DATA; generated posts only)")
    datasets.append(("generated posts (benchmarks/ingest.py)", generated_posts(args.posts)))
    sample = [t for _name, texts in datasets for t in texts[:2000]]
    print("signatures identical to datasketch's:", "yes" if same_signatures(sample) else "NO")
    for name, texts in datasets:
        run(name, texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())

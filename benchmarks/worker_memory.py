"""Benchmark: the task worker's memory when the analysis caches are full.

The analysis of every import (language, sentiment, near-duplicate bands, search text:
``prima.monitoring.analysis.analyse_texts``, what ingest runs for each chunk) memoises
per word and per token, in caches with a fixed number of entries (docs/operations.md,
"Memory"). Test data reuse a small vocabulary and never fill them; a year of real posts
does (names, typos, hashtags: most tokens are seen once). This streams posts whose every
fourth token is new — the worst case for the caches — through ``analyse_texts`` in
chunks of 500, as ingest does, and prints the resident memory (RSS) of the process and
how full each cache is every ``--every`` posts, until well past the point where every
cache is full: the RSS must level off there. The figure at the end is the worker's bound
for analysis (models and caches), which docs/operations.md states.

    .venv/bin/python benchmarks/worker_memory.py               # 120,000 posts
    .venv/bin/python benchmarks/worker_memory.py --posts 30000 --every 5000

No database: the analysis is pure (the sentiment model is the shipped one).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prima.settings")

CHUNK = 500
WORDS = 24
COMMON = (
    "antrean imigrasi bandara paspor petugas pelayanan lama cepat ramah kedatangan "
    "keberangkatan terminal visa wna calo pungli soekarno hatta autogate kantor hari ini "
    "kemarin tolong kenapa banget sekali bagus buruk terima kasih mohon info jam loket"
).split()


def caches() -> dict[str, tuple[int, int]]:
    """Entries and bound of every analysis cache that grows with the vocabulary."""
    from prima.lib import text
    from prima.monitoring import analysis, issue_text
    from prima.monitoring.nlp.sentiment import features
    from prima.monitoring.retraining import current_model

    out: dict[str, tuple[int, int]] = {}
    for name, fn in (
        ("text.stem", text.stem),
        ("text._word_forms", text._word_forms),
        ("text._token_out", text._token_out),
        ("sentiment n-grams (fitting)", features._token_grams),
        ("issue_text.segment", issue_text.segment),
        ("issue_text._phrase_terms", issue_text._phrase_terms),
        ("language word scores", analysis.language_profile().word_score),
    ):
        info = fn.cache_info()
        out[name] = (info.currsize, info.maxsize or 0)
    for group in current_model().groups:
        out[f"sentiment units ({group.name})"] = (
            len(group.vectoriser._cache),
            features.UNIT_CACHE_SIZE,
        )
    return out


def new_word(rng: random.Random) -> str:
    n = max(3, min(14, int(rng.gauss(7, 2.5))))
    return "".join(rng.choice("abcdefghijklmnoprstuwy") for _ in range(n))


def posts(n: int, seed: int) -> Any:
    rng = random.Random(seed)
    for _ in range(n):
        words = [new_word(rng) if i % 4 == 3 else rng.choice(COMMON) for i in range(WORDS)]
        yield ("", " ".join(words), "", "", words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=120_000)
    parser.add_argument("--every", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("PRIMA_VAR_DIR", tempfile.mkdtemp(prefix="prima-workermem-"))
    import django

    django.setup()
    import psutil

    from prima.monitoring import analysis

    process = psutil.Process()

    def rss() -> float:
        return process.memory_info().rss / 2**20

    analysis.analyse_texts([("", "halo apa kabar", "", "id", ["halo", "apa", "kabar"])])
    loaded = rss()
    print(f"models loaded: RSS {loaded:.0f} MiB")
    print(f"{'posts':>8} {'new tokens':>10} {'RSS MiB':>8} {'posts/s':>8}  caches full")
    chunk: list[Any] = []
    done, started, rows = 0, time.perf_counter(), []
    for post in posts(args.posts, args.seed):
        chunk.append(post)
        if len(chunk) == CHUNK:
            analysis.analyse_texts(chunk)
            done += len(chunk)
            chunk = []
            if done % args.every == 0:
                state = caches()
                full = sum(1 for size, bound in state.values() if bound and size >= bound * 0.95)
                rate = done / (time.perf_counter() - started)
                rows.append(rss())
                print(f"{done:>8,} {done * WORDS // 4:>10,} {rows[-1]:>8.0f} {rate:>8,.0f}  "
                      f"{full}/{len(state)}")  # fmt: skip
    print("\ncache entries at the end (bound):")
    for name, (size, bound) in caches().items():
        print(f"  {name:<32} {size:>8,} ({bound:,})")
    half = rows[len(rows) // 2]
    print(
        f"\nRSS: {loaded:.0f} MiB with the models loaded, {half:.0f} MiB halfway, "
        f"{rows[-1]:.0f} MiB at the end, highest {max(rows):.0f} MiB: the analysis caches "
        f"add at most {max(rows) - loaded:.0f} MiB to a process"
    )


if __name__ == "__main__":
    main()

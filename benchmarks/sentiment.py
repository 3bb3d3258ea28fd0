"""Benchmark: how fast the shipped sentiment model labels short posts.

    .venv/bin/python benchmarks/sentiment.py                 # 20,000 posts, 3 rounds
    .venv/bin/python benchmarks/sentiment.py --posts 50000 --check

The posts are those ``benchmarks/ingest.py`` generates (informal Indonesian with some
English, repeats and retweets), freshly generated for every measurement so that no
measurement profits from the caches the one before filled. Printed per round and as the
best of the rounds, in texts per second:

- baseline: PRIMA's text normalisation alone (``prima.lib.text.prepare``), the cheapest
  step every text goes through, measured in the same run so that a slower machine shows
  as a slower baseline rather than a slower model;
- the model with the language given (``SentimentModel.predict`` in batches of 512, as
  ingest and ``prima classify-sentiment`` call it);
- the model detecting each text's language first (``langs=None``).

The target is the floor the test suite used to assert (a timed assertion, moved here):
at least 1,000 texts/s with the language given; ``--check`` exits with 1 below it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prima.settings")

FLOOR = 1_000  # texts/s with the language given
BATCH = 512


def _rate(texts: Sequence[str], run: Callable[[Sequence[str]], object]) -> float:
    started = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        run(texts[i : i + BATCH])
    return len(texts) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check", action="store_true", help=f"exit 1 below {FLOOR:,}/s")
    args = parser.parse_args()

    import django

    django.setup()
    from benchmarks.ingest import generate
    from prima.lib.text import prepare
    from prima.monitoring.nlp.sentiment import load_model

    model = load_model()
    warm = [item.text for item in generate(BATCH, seed=1)]
    model.predict(warm, ["id"] * BATCH)  # load the lexicons and the stemmer
    runs: dict[str, Callable[[Sequence[str]], object]] = {
        "baseline: normalisation only": lambda chunk: [prepare(t) for t in chunk],
        "model, language given": lambda chunk: model.predict(chunk, ["id"] * len(chunk)),
        "model, language detected": lambda chunk: model.predict(chunk),
    }
    best = dict.fromkeys(runs, 0.0)
    print(f"{args.posts:,} generated posts per round, batches of {BATCH}, {args.rounds} "
          f"rounds (pid {os.getpid()}, {os.cpu_count()} CPUs)")  # fmt: skip
    for n in range(1, args.rounds + 1):
        for name, run in runs.items():
            # Fresh posts for every measurement: word-level caches start cold each time.
            texts = [item.text for item in generate(args.posts, seed=100 * n + len(name))]
            rate = _rate(texts, run)
            best[name] = max(best[name], rate)
            print(f"  round {n}  {name:<30} {rate:>10,.0f} texts/s")
    print("best of the rounds:")
    for name, rate in best.items():
        print(f"  {name:<30} {rate:>10,.0f} texts/s")
    given = best["model, language given"]
    ratio = best["baseline: normalisation only"] / given
    print(f"the model costs {ratio:.1f}× the normalisation alone; target ≥ {FLOOR:,} texts/s "
          f"with the language given: {'met' if given >= FLOOR else 'NOT MET'}")  # fmt: skip
    return 1 if args.check and given < FLOOR else 0


if __name__ == "__main__":
    sys.exit(main())

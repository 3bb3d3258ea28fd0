"""Benchmark: does one event become one issue? Planted storms through the ingest pipeline.

    .venv/bin/python benchmarks/issues.py
    .venv/bin/python benchmarks/issues.py --seeds 13 14 15 --per-storm 30

Several storms (a long arrival queue, a fee hoax and its debunking, a deportation, a
broker video, an autogate outage, an e-VOA payment failure; Indonesian and English,
informal spelling, hashtags, typos) are mixed with background posts, in time order, and
fed through the real ingest pipeline in 30-minute push batches into a fresh SQLite
database, exactly as issue clustering runs in production. Printed per seed and on
average: purity, fragmentation (issues per storm; 1.0 is ideal), coverage (storm posts
in a shown issue), B-cubed precision/recall/F1 and the adjusted Rand index. The corpus
and the scores live in ``prima/monitoring/tests/planted_events.py``; the floor test is
``prima/monitoring/tests/test_issue_benchmark.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(directory: Path) -> None:
    os.environ["PRIMA_VAR_DIR"] = str(directory)
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prima.settings")
    os.environ.setdefault("PRIMA_LOG_LEVEL", "WARNING")
    os.environ["PRIMA_DEBUG"] = "false"
    os.environ.setdefault("PRIMA_SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("PRIMA_AUDIT_KEY", "benchmark-only-audit-key-not-a-secret")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[13, 14, 15])
    parser.add_argument("--per-storm", type=int, default=30)
    parser.add_argument("--background", type=int, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="prima-issues-") as tmp:
        setup_django(Path(tmp))
        from django.conf import settings

        from prima.monitoring.models import Source, SourceKind
        from prima.monitoring.tests.planted_events import cluster_with_pipeline, corpus, score
        from prima.organizations.models import Office, OfficeLevel

        print(f"window {settings.MONITORING_ISSUE_WINDOW_HOURS} h, similarity "
              f"{settings.MONITORING_ISSUE_SIMILARITY_PERCENT} %, shown from "
              f"{settings.MONITORING_ISSUE_MIN_SIZE} mentions")  # fmt: skip
        header = ("seed", "purity", "fragm.", "cover.", "B3-P", "B3-R", "B3-F1", "ARI", "s")
        print("{:>5} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>6} {:>5}".format(*header))
        totals: list[list[float]] = []
        for seed in args.seeds:
            office = Office.objects.create(code=f"b{seed}", name=f"Bench {seed}",
                                           short_name=f"B{seed}",
                                           level=OfficeLevel.DIRECTORATE_GENERAL)  # fmt: skip
            source = Source.objects.create(office=office, name="Bench", kind=SourceKind.PUSH)
            posts = corpus(seed=seed, per_storm=args.per_storm, background=args.background)
            started = time.perf_counter()
            clusters, shown = cluster_with_pipeline(source, posts)
            seconds = time.perf_counter() - started
            s = score(posts, clusters, shown)
            row = [s.purity, s.fragmentation, s.coverage, s.bcubed_precision, s.bcubed_recall,
                   s.bcubed_f1, s.adjusted_rand]  # fmt: skip
            totals.append(row)
            print(
                f"{seed:>5} "
                + " ".join(f"{v:>6.3f} " if i < 3 else f"{v:>6.3f}" for i, v in enumerate(row))
                + f" {seconds:>5.1f}"
            )
            print(
                "      issues per storm: "
                + ", ".join(f"{k} {v}" for k, v in s.storms.items())
                + f"; background posts in storm issues: {s.background_in_storms}"
            )
        mean = [sum(col) / len(col) for col in zip(*totals, strict=True)]
        print("mean  " + " ".join(f"{v:>6.3f} " if i < 3 else f"{v:>6.3f}"
                                  for i, v in enumerate(mean)))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

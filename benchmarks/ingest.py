"""Benchmark: end-to-end ingestion and analysis of N generated short posts into SQLite.

    .venv/bin/python benchmarks/ingest.py            # 100,000 posts
    .venv/bin/python benchmarks/ingest.py --n 1000000

Each run uses a fresh SQLite database in a temporary directory (WAL, as in production).
It prints posts per second and the peak resident memory of the pipeline run, next to a
bare bulk insert of the same rows (no analysis; same table, indexes and full-text
triggers) run in a separate process: the ratio says how close the pipeline gets to what
storage alone allows. Targets (2 cores): ≥ 2,000 posts/s end to end; 1,000,000 posts
with peak memory < 1.5 GiB.

Posts are generated (deterministic seed): Indonesian and English posts about an
immigration office built from word pools, with about 5 % near-copies and 1 % repeats, so
deduplication, language detection, sentiment, watch-lists and issue clustering all do
real work.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPENERS_ID = [
    "",
    "",
    "Duh,",
    "Wah",
    "Serius,",
    "Tolong",
    "Info:",
    "Pagi ini",
    "Barusan",
    "Gila,",
    "Alhamdulillah",
    "Kok",
    "Ternyata",
    "Mohon perhatian,",
    "Sekadar info,",
]
SUBJECTS_ID = [
    "antrean di konter imigrasi",
    "pelayanan paspor",
    "autogate di terminal 3",
    "petugas imigrasi bandara",
    "pemeriksaan imigrasi kedatangan",
    "layanan visa",
    "pembuatan paspor elektronik",
    "loket izin tinggal",
    "calo paspor",
    "pengurusan paspor online",
    "imigrasi Soekarno-Hatta",
    "jalur cepat lansia",
    "aplikasi antrean paspor",
    "pemeriksaan keberangkatan",
    "petugas di terminal 2",
]
PREDICATES_ID = [
    "cepat banget",
    "lama sekali",
    "ramah dan membantu",
    "bikin kesal",
    "lumayan lancar",
    "tidak jelas infonya",
    "mantap pelayanannya",
    "antre berjam-jam",
    "error terus",
    "sangat profesional",
    "kurang petugas",
    "sudah jauh lebih baik",
    "minta pungli",
    "memuaskan",
    "mengecewakan",
]
CLOSERS_ID = [
    "",
    "",
    "",
    "Terima kasih.",
    "Tolong diperbaiki.",
    "Mantap!",
    "Parah.",
    "Semoga makin baik.",
    "#imigrasi",
    "#SoettaAirport",
    "kapan dibenahi?",
    "salut buat petugasnya",
    "wkwkwk",
    "ya ampun",
    "hadeh",
]
PLACES = ["pagi", "siang", "malam", "kemarin", "hari ini", "minggu lalu", "tadi", "subuh"]
SUBJECTS_EN = [
    "the immigration queue",
    "passport control",
    "the autogate",
    "immigration officers",
    "the visa on arrival counter",
    "arrival processing",
    "the e-passport lane",
    "the airport immigration desk",
]
PREDICATES_EN = [
    "was super fast",
    "took forever",
    "was friendly and helpful",
    "was a mess",
    "worked perfectly",
    "was confusing",
    "was really efficient",
    "was chaotic",
]
CLOSERS_EN = [
    "",
    "",
    "Thanks!",
    "Not great.",
    "Highly recommend.",
    "#travel",
    "#Jakarta",
    "Never again.",
    "Impressive.",
]
PLATFORMS = ["twitter", "twitter", "twitter", "tiktok", "instagram", "facebook", "youtube"]

WATCHLISTS = [
    ("Calo", "(paspor OR passport) AND (calo OR pungli)"),
    ("Autogate", "autogate*"),
    ("Antrean", '"antrean" OR queue'),
]


def generate(n: int, seed: int = 7, start: datetime | None = None) -> Iterator:
    """N parsed posts over 30 days, in time order (lazy: memory stays flat)."""
    from prima.monitoring.parsers.base import ParsedItem

    rng = random.Random(seed)
    start = start or datetime(2025, 10, 1, tzinfo=UTC)
    step = timedelta(days=30) / max(1, n)
    recent: list[str] = []
    for i in range(n):
        roll = rng.random()
        if recent and roll < 0.01:
            text = rng.choice(recent)  # an exact repeat (by another account)
        elif recent and roll < 0.06:
            text = rng.choice(recent) + " " + rng.choice(["RT", "setuju", "+1", "bener"])
        elif rng.random() < 0.8:
            text = " ".join(filter(None, [
                rng.choice(OPENERS_ID), rng.choice(SUBJECTS_ID), rng.choice(PLACES),
                rng.choice(PREDICATES_ID), rng.choice(CLOSERS_ID),
                str(rng.randint(1, 999)) if rng.random() < 0.3 else "",
            ]))  # fmt: skip
        else:
            text = " ".join(filter(None, [
                "At Soekarno-Hatta today,", rng.choice(SUBJECTS_EN), rng.choice(PREDICATES_EN),
                rng.choice(CLOSERS_EN),
            ]))  # fmt: skip
        if len(recent) < 500:
            recent.append(text)
        else:
            recent[rng.randrange(500)] = text
        handle = f"user{rng.randint(1, 20000)}"
        platform = rng.choice(PLATFORMS)
        yield ParsedItem(
            external_id=f"bench-{i}",
            text=text,
            author=handle.title(),
            author_handle=handle,
            author_followers=rng.randint(0, 50000),
            platform=platform,
            published_at=start + step * i,
            likes=rng.randint(0, 500),
            shares=rng.randint(0, 50),
            comments=rng.randint(0, 80),
            url=f"https://{platform}.example/{handle}/{i}",
        )


def setup_django(directory: Path) -> None:
    os.environ["PRIMA_VAR_DIR"] = str(directory)
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prima.settings")
    os.environ.setdefault("PRIMA_LOG_LEVEL", "WARNING")
    # Production settings: DEBUG on would log every query (and cost a third of the time).
    os.environ["PRIMA_DEBUG"] = "false"
    os.environ.setdefault("PRIMA_SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("PRIMA_AUDIT_KEY", "benchmark-only-audit-key-not-a-secret")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_source():
    from prima.monitoring.models import Source, SourceKind, WatchList
    from prima.organizations.models import Office, OfficeLevel

    office = Office.objects.create(code="bench", name="Bench office", short_name="Bench",
                                   level=OfficeLevel.DIRECTORATE_GENERAL)  # fmt: skip
    for name, query in WATCHLISTS:
        WatchList.objects.create(office=office, name=name, query=query)
    return Source.objects.create(office=office, name="Bench", kind=SourceKind.PUSH)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_helper_rss_mib() -> float:
    """Peak RSS of the biggest finished child (the analysis helper process)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(items: Iterator, n: int, segments: list[tuple[int, float, float]]) -> Iterator:
    """``items``, noting ``(posts, wall seconds, worker CPU seconds)`` at each tenth of
    the run (the last chunk of a segment is stored while the next is read: close enough)."""
    step = max(1, n // 10)
    wall, cpu = time.perf_counter(), time.process_time()
    for i, item in enumerate(items, 1):
        yield item
        if i % step == 0:
            now, now_cpu = time.perf_counter(), time.process_time()
            segments.append((step, now - wall, now_cpu - cpu))
            wall, cpu = now, now_cpu


def run_pipeline(n: int, chunk: int, progress: bool) -> dict:
    from prima.monitoring.ingest import ingest_items
    from prima.monitoring.models import Issue, Mention

    source = make_source()
    # Warm-up outside the timing: models and the stemmer dictionary load once per process.
    from prima.monitoring import analysis

    analysis.classify_sentiments(["warm up"], ["id"])
    analysis.detect_languages(["warm up"])
    segments: list[tuple[int, float, float]] = []
    items: Iterable[Any] = timed(generate(n), n, segments)
    if progress:
        from tqdm import tqdm

        items = tqdm(items, total=n, unit="post", mininterval=2)
    started, cpu_started = time.perf_counter(), time.process_time()
    children_started = children_cpu()
    job, _ = ingest_items(source, items, chunk_size=chunk)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "posts": n, "seconds": elapsed, "rate": n / elapsed, "rss_mib": peak_rss_mib(),
        "cpu": cpu, "helper_cpu": children_cpu() - children_started,
        "helper_rss_mib": peak_helper_rss_mib(),
        "accepted": job.accepted, "duplicates": job.duplicates, "rejected": job.rejected,
        "mentions": Mention.objects.count(), "issues_shown": Issue.objects.shown().count(),
        "issues": Issue.objects.count(), "segments": segments,
    }  # fmt: skip


def run_bare(n: int, chunk: int) -> dict:
    """Insert the same rows with the pipeline's own bulk insert, and nothing else: no
    parsing checks, no analysis, no deduplication, no rollups (the storage limit). The
    table, its indexes and the full-text triggers are the same."""
    from django.db import transaction
    from django.utils import timezone

    from prima.monitoring.bulk import insert_ignore
    from prima.monitoring.ingest import MENTION_COLUMNS
    from prima.monitoring.models import Mention

    source = make_source()
    now = timezone.now()
    started, cpu_started = time.perf_counter(), time.process_time()
    batch: list[Any] = []

    def flush() -> None:
        with transaction.atomic():
            insert_ignore(Mention._meta.db_table, MENTION_COLUMNS, batch)

    for i, item in enumerate(generate(n)):
        engagement = item.likes + item.shares + item.comments
        batch.append((
            source.office_id, source.pk, source.kind, item.external_id, item.url, None,
            f"{i:040d}", i, True, item.platform, "", "", item.author, item.author_handle,
            item.author_followers, item.likes, item.shares, item.comments, engagement, "",
            item.text, "", item.published_at, now, "id", "neutral", 0.0, False, None,
            item.text.lower(), None,
        ))  # fmt: skip
        if len(batch) >= chunk:
            flush()
            batch = []
    if batch:
        flush()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {"posts": n, "seconds": elapsed, "cpu": cpu, "rss_mib": peak_rss_mib()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of posts (100,000)")
    parser.add_argument("--chunk", type=int, default=None,
                        help="posts per chunk (default: PRIMA_MONITORING_CHUNK_SIZE)")  # fmt: skip
    parser.add_argument("--bare", action="store_true", help="only the bare insert (internal)")
    parser.add_argument("--skip-bare", action="store_true", help="do not run the bare insert")
    parser.add_argument("--progress", action="store_true", help="show a progress bar")
    parser.add_argument("--keep", action="store_true", help="keep the database directory")
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="prima-bench-"))
    setup_django(directory)
    from django.conf import settings

    args.chunk = args.chunk or settings.MONITORING_CHUNK_SIZE
    if args.bare:
        result = run_bare(args.n, args.chunk)
        print(f"{result['seconds']:.3f} {result['cpu']:.3f} {result['rss_mib']:.1f}")
        return 0

    print(f"Ingesting {args.n:,} generated posts into {directory} (SQLite, chunks of "
          f"{args.chunk})…")  # fmt: skip
    result = run_pipeline(args.n, args.chunk, args.progress)
    size = sum(f.stat().st_size for f in directory.iterdir()) / 2**20
    if result["segments"]:
        rates = [f"{posts / wall:,.0f}" for posts, wall, _cpu in result["segments"]]
        print(f"posts/s per tenth of the run: {' '.join(rates)}")
        # The worker's CPU time per post does not depend on what else the machine runs.
        cpu = [f"{cpu / posts * 1e6:,.0f}" for posts, _wall, cpu in result["segments"]]
        print(f"worker CPU µs/post per tenth: {' '.join(cpu)}")
    worker_rate = result["posts"] / result["cpu"] if result["cpu"] else 0
    print(
        f"pipeline: {result['seconds']:.1f} s, {result['rate']:,.0f} posts/s (the worker's "
        f"CPU alone would allow {worker_rate:,.0f}/s); CPU: worker "
        f"{result['cpu']:.1f} s + analysis helper {result['helper_cpu']:.1f} s; peak RSS "
        f"worker {result['rss_mib']:,.0f} MiB, helper {result['helper_rss_mib']:,.0f} MiB; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"          accepted {result['accepted']:,}, duplicates {result['duplicates']:,}, "
        f"rejected {result['rejected']:,}; {result['issues_shown']:,} issues shown "
        f"({result['issues']:,} in all); "
        f"database {size:,.0f} MiB"
    )
    if not args.skip_bare:
        out = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, __file__, "--bare", "--n", str(args.n), "--chunk", str(args.chunk)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        bare_seconds, bare_cpu, bare_rss = float(out[-3]), float(out[-2]), float(out[-1])
        print(
            f"bare insert: {bare_seconds:.1f} s, {args.n / bare_seconds:,.0f} posts/s "
            f"(CPU {bare_cpu:.1f} s), peak RSS {bare_rss:,.0f} MiB"
        )
        print(
            f"ratio pipeline / bare insert: {result['seconds'] / bare_seconds:.1f}× wall time, "
            f"{result['cpu'] / bare_cpu:.1f}× CPU time"
        )
    if not args.keep:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

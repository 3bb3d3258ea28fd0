"""Benchmark: the media-analysis dashboard's queries over 1,000,000 mentions.

Generates the mentions (and the rollups ingestion would have kept: hourly volumes, daily
outlets/authors, issue volumes) straight into a fresh SQLite database with bulk SQL —
not through the pipeline, which ``benchmarks/ingest.py`` measures — then times the
functions the dashboard page calls (:func:`prima.monitoring.views.build_dashboard` and
each :mod:`prima.monitoring.analytics` query in it, plus the first page of the mention
stream) over many runs, printing p50 / p95 / max in milliseconds of wall-clock time, and the
p50 / p95 of this process's CPU time (what the query costs when the machine is not busy
with other work).

Target: p95 < 300 ms for the whole dashboard.

    .venv/bin/python benchmarks/dashboard.py                 # 1,000,000 mentions, 30 runs
    .venv/bin/python benchmarks/dashboard.py --mentions 100000 --runs 10
    .venv/bin/python benchmarks/dashboard.py --reuse         # keep the generated database

The database is ``var/bench/dashboard.sqlite3`` (``--db`` to change it); it is rebuilt
unless ``--reuse`` is given and it exists.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUTLETS = [
    "Kompas.com",
    "Detik.com",
    "Antara News",
    "Tempo.co",
    "CNN Indonesia",
    "Liputan6.com",
    "Tribunnews",
    "Kumparan",
    "Okezone",
    "Suara.com",
    "Jakarta Post",
    "Republika",
    "Sindonews",
    "Merdeka.com",
    "IDN Times",
    "Viva.co.id",
]
SOCIAL = ["twitter", "twitter", "twitter", "facebook", "instagram", "tiktok", "youtube"]
WORDS = (
    "antrean autogate imigrasi bandara paspor petugas terminal layanan cepat lama hoaks "
    "calo visa deportasi wna izin tinggal pungli ramah kecewa bagus rusak"
).split()


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=60, help="spread over this many days")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per case")
    parser.add_argument("--db", default=str(ROOT / "var" / "bench" / "dashboard.sqlite3"))
    parser.add_argument("--reuse", action="store_true", help="reuse an existing database")
    parser.add_argument("--seed", type=int, default=20251119)
    return parser.parse_args()


def _setup(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prima.settings")
    os.environ.setdefault("PRIMA_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _offices():
    from prima.organizations.models import Office, OfficeLevel

    def make(code, name, level, parent=None):
        return Office.objects.create(
            code=code, name=name, short_name=name, level=level, parent=parent
        )

    dg = make("ditjen-imigrasi", "Ditjen Imigrasi", OfficeLevel.DIRECTORATE_GENERAL)
    kanwil = make("kanwil-dki-jakarta", "Kanwil DKI", OfficeLevel.REGIONAL_OFFICE, dg)
    soetta = make("kanim-soekarno-hatta", "Kanim Soetta", OfficeLevel.OFFICE, kanwil)
    jakpus = make("kanim-jakarta-pusat", "Kanim Jakpus", OfficeLevel.OFFICE, kanwil)
    return {"dg": dg, "kanwil": kanwil, "soetta": soetta, "jakpus": jakpus}


def generate(n: int, days: int, seed: int, say) -> None:
    """Fill the database: offices, sources, issues, ``n`` mentions and their rollups."""
    from django.db import connection, transaction

    from prima.monitoring.models import Issue, Source, SourceKind

    rng = random.Random(seed)
    offices = _offices()
    # Soekarno-Hatta carries most of the coverage; the others share the rest.
    weights = [("soetta", 0.7), ("jakpus", 0.2), ("kanwil", 0.1)]
    sources = {
        key: (
            Source.objects.create(
                office=offices[key],
                name="Berita",
                kind=SourceKind.RSS,
                url=f"https://example.org/{key}.xml",
            ),
            Source.objects.create(
                office=offices[key], name="Ekspor medsos", kind=SourceKind.SOCIAL_IMPORT
            ),
        )
        for key, _w in weights
    }
    now = datetime.now(tz=UTC).replace(microsecond=0)
    start = now - timedelta(days=days)
    issues = {}
    for key, _w in weights:
        batch = [
            Issue(
                office=offices[key],
                label=" · ".join(rng.sample(WORDS, 3)),
                first_seen_at=start,
                last_seen_at=now,
            )
            for _i in range(150)
        ]
        issues[key] = [i.pk for i in Issue.objects.bulk_create(batch)]

    columns = (
        "office_id",
        "source_id",
        "kind",
        "external_id",
        "url",
        "url_hash",
        "content_hash",
        "dup_group",
        "is_original",
        "platform",
        "outlet",
        "programme",
        "author",
        "author_handle",
        "author_followers",
        "likes",
        "shares",
        "comments",
        "engagement",
        "title",
        "text",
        "summary",
        "published_at",
        "collected_at",
        "language",
        "sentiment",
        "sentiment_score",
        "sentiment_corrected",
        "issue_id",
        "search_text",
        "ingest_job_id",
    )
    # Built from the constant column list above, nothing from outside.
    sql = f"INSERT INTO monitoring_mention ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608, E501
    span = days * 86400
    storm_start = now - timedelta(hours=36)
    chunk = 50_000
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        # The full-text index is not what this benchmark measures; fill it once at the end.
        for trigger in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER IF EXISTS monitoring_mention_fts_{trigger}")
        cursor.execute("PRAGMA synchronous=OFF")
        for first in range(0, n, chunk):
            rows = []
            for i in range(first, min(first + chunk, n)):
                key = (
                    "soetta"
                    if rng.random() < 0.7
                    else ("jakpus" if rng.random() < 0.67 else "kanwil")
                )
                office = offices[key]
                news = rng.random() < 0.3
                source = sources[key][0 if news else 1]
                storm = key == "soetta" and rng.random() < 0.03
                if storm:
                    at = storm_start + timedelta(seconds=rng.random() * 36 * 3600)
                else:
                    at = start + timedelta(seconds=rng.random() * span)
                sentiment = (
                    "negative"
                    if storm or rng.random() < 0.25
                    else ("positive" if rng.random() < 0.35 else "neutral")
                )
                words = " ".join(rng.choices(WORDS, k=12))
                likes = 0 if news else int(rng.paretovariate(1.3)) - 1
                shares = 0 if news else int(rng.paretovariate(1.6)) - 1
                comments = 0 if news else int(rng.paretovariate(1.8)) - 1
                handle = "" if news else f"akun{rng.randrange(20_000)}"
                group = rng.randrange(n // 3) if rng.random() < 0.2 else i
                rows.append(
                    (
                        office.pk,
                        source.pk,
                        source.kind,
                        f"x{i}",
                        f"https://example.org/{i}" if news else "",
                        f"{i:040x}" if news else None,  # url_hash: NULL without a URL
                        f"{i:040x}",
                        group,
                        group == i,
                        "news" if news else rng.choice(SOCIAL),
                        rng.choice(OUTLETS) if news else "",
                        "",
                        "" if news else f"Warga {i % 997}",
                        handle,
                        None if news else int(rng.paretovariate(1.1) * 50),
                        likes,
                        shares,
                        comments,
                        likes + shares + comments,
                        words[:60] if news else "",
                        words,
                        "",
                        at.strftime("%Y-%m-%d %H:%M:%S"),
                        at.strftime("%Y-%m-%d %H:%M:%S"),
                        "id" if rng.random() < 0.85 else "en",
                        sentiment,
                        0.8,
                        False,
                        rng.choice(issues[key]) if rng.random() < 0.6 else None,
                        words,
                        None,
                    )
                )
            with transaction.atomic():
                cursor.executemany(sql, rows)
            say(f"  {min(first + chunk, n):>9,} mentions  ({time.perf_counter() - t0:5.1f} s)")
        say("rollups …")
        with transaction.atomic():
            _rollups(cursor)
        say("full-text index …")
        cursor.execute(
            "INSERT INTO monitoring_mention_fts(monitoring_mention_fts) VALUES ('rebuild')"
        )
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA synchronous=NORMAL")
    say(f"generated in {time.perf_counter() - t0:.1f} s")


def _rollups(cursor) -> None:
    """The rollups ingestion keeps, computed in SQL from the mentions (same keys)."""
    cursor.execute(
        "INSERT INTO monitoring_hourlyvolume (office_id, hour, kind, platform, sentiment, "
        "language, mentions, engagement, reach) "
        "SELECT office_id, strftime('%Y-%m-%d %H:00:00', published_at), kind, platform, "
        "sentiment, language, count(*), sum(engagement), sum(coalesce(author_followers, 0)) "
        "FROM monitoring_mention GROUP BY 1, 2, 3, 4, 5, 6"
    )
    # Day of the office (all WIB here: UTC+7).
    for role, name in (
        ("outlet", "outlet"),
        ("author", "CASE WHEN author_handle != '' THEN '@' || author_handle ELSE author END"),
    ):
        # Built from the constants above, nothing from outside.
        sql = (
            "INSERT INTO monitoring_dailyactor (office_id, day, role, name, platform, "  # noqa: S608
            "mentions, negative, engagement, reach) "
            f"SELECT office_id, date(published_at, '+7 hours'), '{role}', {name}, platform, "
            "count(*), sum(sentiment = 'negative'), sum(engagement), "
            "sum(coalesce(author_followers, 0)) "
            f"FROM monitoring_mention WHERE {name} != '' GROUP BY 1, 2, 4, 5"
        )
        cursor.execute(sql)
    cursor.execute(
        "INSERT INTO monitoring_issuevolume (issue_id, hour, mentions, positive, neutral, "
        "negative, engagement) "
        "SELECT issue_id, strftime('%Y-%m-%d %H:00:00', published_at), count(*), "
        "sum(sentiment = 'positive'), sum(sentiment = 'neutral'), sum(sentiment = 'negative'), "
        "sum(engagement) FROM monitoring_mention WHERE issue_id IS NOT NULL GROUP BY 1, 2"
    )
    cursor.execute(
        "UPDATE monitoring_issue SET "
        "mention_count = (SELECT count(*) FROM monitoring_mention m "
        "                 WHERE m.issue_id = monitoring_issue.id), "
        "negative_count = (SELECT count(*) FROM monitoring_mention m "
        "                  WHERE m.issue_id = monitoring_issue.id AND sentiment = 'negative'), "
        "engagement = (SELECT coalesce(sum(engagement), 0) FROM monitoring_mention m "
        "              WHERE m.issue_id = monitoring_issue.id)"
    )


def _stats(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


def measure(runs: int, say) -> dict[str, tuple[float, float, float]]:
    """Time the dashboard's queries for each (scope, period); returns the whole-dashboard
    figures per case."""
    from django.utils import translation

    from prima.monitoring import analytics
    from prima.monitoring.queries import MentionFilters, story_sizes
    from prima.monitoring.views import build_dashboard, resolve_period
    from prima.organizations.models import Office

    translation.activate("id")
    soetta = Office.objects.get(code="kanim-soekarno-hatta")
    kanwil = Office.objects.get(code="kanwil-dki-jakarta")
    scopes = {
        "office": [soetta],
        "sub-tree": list(Office.objects.filter(path__startswith=kanwil.path)),
    }
    tz = "Asia/Jakarta"
    header = (
        f"{'case':<16} {'query':<22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
        f" {'cpu p50':>8} {'cpu p95':>8}"
    )
    say(header)
    say("-" * len(header))
    results = {}
    for scope_name, offices in scopes.items():
        for key in ("24h", "7d", "30d"):
            chosen = resolve_period(key, tz=tz)
            period = chosen.period
            queries = {
                "volume_by_sentiment": lambda: analytics.volume_by_sentiment(
                    offices, period, bucket=chosen.bucket, tz=tz
                ),
                "compare (2 queries)": lambda: analytics.compare(offices, period),
                "top_issues": lambda: analytics.top_issues(offices, period, limit=10),
                "top_outlets": lambda: analytics.top_outlets(offices, period, limit=10, tz=tz),
                "top_authors": lambda: analytics.top_authors(offices, period, limit=10, tz=tz),
                "most_shared": lambda: analytics.most_shared(offices, period, limit=10),
                "stream first page": lambda: _stream_page(
                    offices, period, MentionFilters, story_sizes
                ),
                "WHOLE DASHBOARD": lambda: build_dashboard(offices, chosen, tz=tz, lang="id"),
            }
            for name, run in queries.items():
                run()  # warm the page cache
                samples, cpu = [], []
                for _i in range(runs):
                    t, c = time.perf_counter(), time.process_time()
                    run()
                    samples.append((time.perf_counter() - t) * 1000)
                    cpu.append((time.process_time() - c) * 1000)
                p50, p95, worst = _stats(samples)
                cpu50, cpu95, _cpu_max = _stats(cpu)
                case = f"{scope_name}, {key}"
                say(
                    f"{case:<16} {name:<22} {p50:8.1f} {p95:8.1f} {worst:8.1f}"
                    f" {cpu50:8.1f} {cpu95:8.1f}"
                )
                if name == "WHOLE DASHBOARD":
                    results[case] = (p50, p95, worst)
            say("")
    return results


def _stream_page(offices, period, MentionFilters, story_sizes):
    """The stream's first page for these offices (what mention_list runs after the policy)."""
    from prima.monitoring.models import Mention

    filters = MentionFilters(start=period.start, end=period.end)
    qs = filters.apply(Mention.objects.filter(office__in=offices))
    rows = list(qs.select_related("source", "issue").order_by("-published_at", "-id")[:51])
    story_sizes(rows)
    return rows


def main() -> None:
    args = _parse()
    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    fresh = not (args.reuse and db.exists())
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    _setup(db)
    from django.core.management import call_command
    from django.db import connection

    if fresh:
        call_command("migrate", verbosity=0)
        print(f"generating {args.mentions:,} mentions over {args.days} days into {db}")
        generate(args.mentions, args.days, args.seed, print)
        # What the scheduler tick does for finished days: keep each office-day's most active
        # accounts and sum the rest (see analytics.compact_authors).
        from prima.monitoring.analytics import compact_authors

        started = time.perf_counter()
        days = compact_authors(now=datetime.now(tz=UTC), max_days=args.days + 2)
        print(
            f"compacted per-author rows of {days} office-days in "
            f"{time.perf_counter() - started:.1f} s"
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM monitoring_mention")
        total = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM monitoring_hourlyvolume")
        hourly = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM monitoring_dailyactor")
        actors = cursor.fetchone()[0]
    print(
        f"\n{total:,} mentions, {hourly:,} hourly-volume rows, {actors:,} daily-actor rows; "
        f"{args.runs} runs per case\n"
    )
    results = measure(args.runs, print)
    worst_p95 = max(p95 for _p50, p95, _max in results.values())
    verdict = "OK" if worst_p95 < 300 else "TOO SLOW"
    print(f"whole dashboard: worst p95 {worst_p95:.1f} ms (target < 300 ms): {verdict}")


if __name__ == "__main__":
    main()

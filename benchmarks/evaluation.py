"""Benchmark: the indicator pages over a simulated national year.

Builds a directorate general with 33 Kanwil and 125 offices and a simulated year of
activity (:mod:`prima.evaluation.simulate`: ~4,000 real press conferences and their
material, ~1,200 crisis cases, ~40,000 public questions, ~4 million mentions written as
monitoring's hourly rollup rows — what the indicators read), computes the monthly
indicator rows (timed: ``prima recompute-indicators``), checks them against their rows
(timed: ``--check``), then requests the pages through Django's test client — the whole
request: middleware, session, policy, queries, template — as the directorate general's
supervisor:

- the DG's indicator page for the year (every Kanwil side by side, their total);
- a Kanwil's page for the year; a single office's page for the year (the baseline);
- the adoption page of the whole directorate general.

Prints p50 / p95 / max wall-clock milliseconds per page. Target: the DG's page for a
year p95 < 500 ms, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/evaluation.py                     # SQLite, var/bench/
    scripts/pgtest.sh .venv/bin/python benchmarks/evaluation.py   # PostgreSQL
    .venv/bin/python benchmarks/evaluation.py --runs 50 --reuse
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
YEAR = 2025


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument("--db", default=str(ROOT / "var" / "bench" / "evaluation.sqlite3"))
    parser.add_argument("--reuse", action="store_true", help="reuse an existing SQLite database")
    parser.add_argument("--offices", type=int, default=125)
    parser.add_argument("--kanwil", type=int, default=33)
    parser.add_argument("--seed", type=int, default=2025)
    return parser.parse_args()


def _setup(args: argparse.Namespace) -> tuple[str, bool]:
    """Point Django at the database; returns (its name, whether to build the data)."""
    build = True
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        name = "PostgreSQL"
    else:
        db = Path(args.db)
        db.parent.mkdir(parents=True, exist_ok=True)
        if db.exists() and args.reuse:
            build = False
        elif db.exists():
            db.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
        name = "SQLite"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prima.settings")
    os.environ.setdefault("PRIMA_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    return name, build


def _stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"p50 {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   max {ordered[-1]:7.1f} ms"
    )


def _build(args: argparse.Namespace) -> None:
    from django.utils import timezone

    from prima.evaluation import simulate
    from prima.organizations.models import Membership, Office, OfficeLevel, Role, User

    dg = Office.objects.create(
        code="bench-ditjen",
        name="Direktorat Jenderal Imigrasi",
        short_name="Ditjen Imigrasi",
        level=OfficeLevel.DIRECTORATE_GENERAL,
    )
    started = time.perf_counter()
    offices = simulate.build_tree(dg, kanwil=args.kanwil, offices=args.offices)
    author = User.objects.create_user("bench-author", office=offices[0])
    supervisor = User.objects.create_user("bench-dg", office=dg)
    Membership.objects.create(user=supervisor, office=dg, role=Role.SUPERVISOR)
    months = [date(YEAR, m, 1) for m in range(1, 13)]
    counts = simulate.populate(
        offices, months, author, seed=args.seed, now=timezone.now(), say=print
    )
    print(
        f"simulated {YEAR}: {counts.offices} offices in {args.kanwil} Kanwil, "
        f"{counts.conferences:,} real conferences (+{counts.exercises} exercises), "
        f"{counts.cases:,} crisis cases, {counts.clarifications:,} clarifications, "
        f"{counts.questions:,} public questions, {counts.mentions:,} mentions in "
        f"{counts.volume_rows:,} hourly rollup rows ({time.perf_counter() - started:.0f} s)"
    )


def main() -> None:
    args = _parse()
    database, build = _setup(args)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if build:
        _build(args)
    from django.core.management import call_command
    from django.test import Client

    from prima.evaluation.models import OfficeMonth
    from prima.organizations.models import Office, OfficeLevel, User

    started = time.perf_counter()
    call_command("recompute_indicators", "--period", str(YEAR), stdout=open(os.devnull, "w"))
    print(
        f"recompute-indicators --period {YEAR}: {time.perf_counter() - started:.1f} s "
        f"({OfficeMonth.objects.count():,} office-month rows)"
    )
    started = time.perf_counter()
    call_command(
        "recompute_indicators", "--check", "--period", str(YEAR), stdout=open(os.devnull, "w")
    )
    print(
        f"recompute-indicators --check --period {YEAR}: {time.perf_counter() - started:.1f} s,"
        " all figures match"
    )

    dg = Office.objects.get(code="bench-ditjen")
    kanwil = Office.objects.filter(level=OfficeLevel.REGIONAL_OFFICE, parent=dg).first()
    office = Office.objects.filter(level=OfficeLevel.OFFICE, path__startswith=dg.path).first()
    if kanwil is None or office is None:
        raise SystemExit("the simulated tree is missing: run without --reuse")
    client = Client()
    client.cookies["django_language"] = "id"
    client.force_login(User.objects.get(username="bench-dg"))
    pages = [
        ("DG indicator page, year", f"/evaluation/indicators/?office={dg.pk}&period={YEAR}"),
        (
            "Kanwil indicator page, year",
            f"/evaluation/indicators/?office={kanwil.pk}&period={YEAR}",
        ),
        (
            "single office page, year (baseline)",
            f"/evaluation/indicators/?office={office.pk}&period={YEAR}",
        ),
        ("DG adoption page", f"/evaluation/indicators/adoption/?office={dg.pk}"),
    ]
    print(f"\n{database}, {args.runs} runs per page (after one warm-up request):")
    for label, url in pages:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        samples = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - t0) * 1000)
        print(f"  {label:38s} {_stats(samples)}")


if __name__ == "__main__":
    main()

"""Where a staff page's server time goes: per page and persona, the median server time,
the number of SQL queries, and optionally a cProfile of one page.

Runs PRIMA in-process (Django's test client: the whole middleware stack, sessions,
templates; no network) with production settings (DEBUG off, the cached template loader)
against a demo database — by default the one ``benchmarks/load.py`` prepares in
``var/bench/load/`` (run that once, or ``--prepare``). Each page is opened a few times
to warm caches, then ``--runs`` times; the figure is the median wall time of the
request inside the process. Not a load test: one request at a time.

    .venv/bin/python benchmarks/profile_pages.py                     # table of every page
    .venv/bin/python benchmarks/profile_pages.py --json before.json  # keep the figures
    .venv/bin/python benchmarks/profile_pages.py --compare before.json
    .venv/bin/python benchmarks/profile_pages.py --profile home --persona humas
    .venv/bin/python benchmarks/profile_pages.py --queries home --persona kanwil
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import os
import pstats
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PERSONAS = ("humas", "kasihumas", "kakanim", "kanwil", "ditjen", "public")
PUBLIC = "public"  # an anonymous visitor of the portal
SHELL = "shell"  # the staff shell alone (answers 404)


def setup(var_dir: Path) -> None:
    from benchmarks.load import server_env

    os.environ.update(server_env(var_dir))
    # Plain HTTP in-process also for code without PRIMA_LOOPBACK_PLAIN_HTTP (comparing with
    # an older checkout).
    os.environ["PRIMA_SECURE_SSL_REDIRECT"] = "false"
    import django

    django.setup()
    # The shell row answers 404: Django's "Not Found" warning is not the page's cost.
    logging.getLogger("django.request").setLevel(logging.ERROR)


def pages(username: str) -> dict[str, str]:
    """The staff pages of the load mix, as ``username`` opens them (the portal pages for
    ``public``)."""
    if username == PUBLIC:
        from prima.catalogue import services as catalogue
        from prima.organizations.models import Office

        office = Office.objects.get(code="kanim-soekarno-hatta")
        service = next(iter(catalogue.published_services(office)), None)
        found = {
            "portal-index": "/public/",
            "portal-office": f"/public/{office.code}/",
            "portal-news": f"/public/{office.code}/news/",
        }
        if service is not None:
            found["portal-service"] = f"/public/{office.code}/services/{service.service.code}/"
        return found
    from prima.conferences import workflow
    from prima.organizations.models import User

    user = User.objects.get(username=username)
    conference = workflow.visible_conferences(user).order_by("-opened_at", "-pk").first()
    urls = {
        # What every staff page pays around its view: middleware, session, user, the
        # shell's context processor, base template and menu (a not-found page in the shell).
        SHELL: "/no-such-page/",
        "home": "/",
        "conference-list": "/conferences/",
        "monitoring-dashboard": "/monitoring/",
        "mention-stream": "/monitoring/mentions/",
        "api-conferences": "/api/v1/conferences",
        "api-mentions": "/api/v1/monitoring/mentions",
    }
    if conference is not None:
        urls["conference-detail"] = f"/conferences/{conference.pk}/"
    # Open all day during a storm: the crisis board and the newest open case.
    from prima.crisis.models import Case, CaseStatus
    from prima.organizations import policy

    if policy.can_anywhere(user, "crisis.view"):
        urls["crisis-board"] = "/crisis/"
        cases = policy.scope(user, "crisis.view", Case.objects.filter(is_exercise=False))
        # An open case (what a storm looks like), else the newest closed one.
        case = (
            cases.filter(status=CaseStatus.OPEN).order_by("-opened_at", "-pk").first()
            or cases.order_by("-opened_at", "-pk").first()
        )
        if case is not None:
            urls["crisis-case"] = f"/crisis/cases/{case.pk}/"
    return urls


def _client(username: str):
    from django.test import Client

    from prima.organizations.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    if username != PUBLIC:
        client.force_login(User.objects.get(username=username))
    return client


def measure(username: str, name: str, url: str, runs: int) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(username)
    for _ in range(3):
        response = client.get(url)
    expected = 404 if name == SHELL else 200
    if response.status_code != expected:
        return {"status": response.status_code, "median_ms": 0.0, "cpu_ms": 0.0, "queries": 0}
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {
        "status": expected,
        "median_ms": round(statistics.median(times), 2),
        "cpu_ms": round(statistics.median(cpu), 2),
        "queries": len(queries.captured_queries),
    }


def show_queries(username: str, url: str, trace: str = "") -> None:
    """List a page's queries by shape; with ``trace``, the PRIMA call stack of each query
    whose SQL contains it."""
    import traceback

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def tracer(execute, sql, params, many, context):
        if trace and trace in sql:
            frames = [f for f in traceback.extract_stack() if "/prima/" in f.filename]
            print(f"--- {sql[:120]}")
            for frame in frames[-6:]:
                print(f"    {frame.filename.split('/prima/')[-1]}:{frame.lineno} {frame.name}")
        return execute(sql, params, many, context)

    client = _client(username)
    client.get(url)
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(tracer):
        client.get(url)
    shapes = Counter(q["sql"][:160] for q in queries.captured_queries)
    print(f"{len(queries.captured_queries)} queries for {url} as {username}")
    for sql, count in shapes.most_common():
        print(f"{count:>4} × {sql}")


def profile(username: str, url: str, runs: int) -> None:
    client = _client(username)
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench" / "load"))
    parser.add_argument("--prepare", action="store_true", help="build the demo database first")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--persona", action="append", choices=PERSONAS)
    parser.add_argument("--page", action="append", help="only these pages (names)")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--compare", help="print next to the figures of an earlier --json")
    parser.add_argument("--profile", metavar="PAGE", help="cProfile one page (first persona)")
    parser.add_argument("--queries", metavar="PAGE", help="list one page's SQL (first persona)")
    parser.add_argument("--trace", default="", help="with --queries: stacks of SQL with this")
    args = parser.parse_args()
    var_dir = Path(args.var_dir)
    if args.prepare:
        from benchmarks.load import prepare

        prepare(var_dir, reuse=False)
    setup(var_dir)
    personas = args.persona or ["humas", "kanwil", PUBLIC]
    if args.profile or args.queries:
        name = args.profile or args.queries
        url = pages(personas[0])[name]
        if args.profile:
            profile(personas[0], url, args.runs)
        else:
            show_queries(personas[0], url, args.trace)
        return
    earlier = json.loads(Path(args.compare).read_text()) if args.compare else {}
    results: dict[str, dict[str, float]] = {}
    header = f"{'persona':<10} {'page':<22} {'median ms':>9} {'CPU ms':>7} {'queries':>7}"
    print(header + ("   before: ms  CPU ms  queries" if earlier else ""))
    for username in personas:
        for name, url in pages(username).items():
            if args.page and name not in args.page:
                continue
            key = f"{username} {name}"
            row = results[key] = measure(username, name, url, args.runs)
            line = (
                f"{username:<10} {name:<22} {row['median_ms']:>9.1f} {row['cpu_ms']:>7.1f}"
                f" {row['queries']:>7}"
            )
            if row["status"] not in (200, 404):
                line += f"  (status {row['status']})"
            if key in earlier:
                was = earlier[key]
                line += (
                    f"   {was['median_ms']:>10.1f} {was.get('cpu_ms', 0.0):>7.1f}"
                    f" {was['queries']:>8}"
                )
            print(line)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()

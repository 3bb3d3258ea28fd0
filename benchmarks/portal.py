"""Benchmark: public service and newsroom pages under 100 concurrent visitors (SQLite).

Builds a fresh SQLite database with the demo data (``var/bench/portal/``), collects the
static files, and serves PRIMA with production settings (DEBUG off) through gunicorn on
127.0.0.1. Then N simulated visitors (default 100), each on its own keep-alive
connection, browse like people: a service page, the newsroom, the office page or
``/healthz``, with a think time of 0.5–1.5 s between requests (the model of locust's
``between(0.5, 1.5)``), for the given duration. Loopback only; the run is bounded in time
and requests. Prints, per page kind, the number of requests, errors (anything but 200)
and p50 / p95 / p99 / max latency in milliseconds, next to ``/healthz`` from the same run
as the baseline. Target: p95 < 50 ms with 0 errors for the service and newsroom pages.

On a 2-core machine the server and the load generator are pinned apart
(``taskset -c 0`` for gunicorn, ``-c 1`` for this script) when ``taskset`` exists.

    .venv/bin/python benchmarks/portal.py                    # 100 visitors, 60 s
    .venv/bin/python benchmarks/portal.py --users 50 --seconds 30 --workers 2
    .venv/bin/python benchmarks/portal.py --reuse            # keep the database
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def _env(var_dir: Path, debug: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "prima.settings",
            "PRIMA_VAR_DIR": str(var_dir),
            "PRIMA_STATIC_ROOT": str(var_dir / "static"),
            "PRIMA_DEBUG": "true" if debug else "false",
            "PRIMA_SECRET_KEY": "benchmark-only-secret-key-on-loopback-0123456789",
            "PRIMA_AUDIT_KEY": "benchmark-only-audit-key-on-loopback-0123456789",
            "PRIMA_SECURE_SSL_REDIRECT": "false",
            "PRIMA_ALLOWED_HOSTS": HOST,
            "PRIMA_LOG_LEVEL": "WARNING",
            # Loopback benchmark: no open-data rate limit in the way.
            "PRIMA_PORTAL_API_REQUESTS_PER_MINUTE": "0",
        }
    )
    return env


def _manage(var_dir: Path, *args: str, debug: bool = True) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=_env(var_dir, debug),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(var_dir: Path, reuse: bool) -> None:
    database = var_dir / "prima.sqlite3"
    if reuse and database.exists():
        print(f"Reusing {database}")
        return
    if var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    started = time.perf_counter()
    _manage(var_dir, "migrate", "--no-input")
    _manage(var_dir, "demo")
    _manage(var_dir, "collectstatic", "--no-input", debug=False)
    print(f"Database and static files ready in {time.perf_counter() - started:.0f} s")


def _taskset(core: int) -> list[str]:
    return ["taskset", "-c", str(core)] if shutil.which("taskset") and os.cpu_count() else []


def start_server(var_dir: Path, port: int, workers: int, threads: int) -> subprocess.Popen:
    command = [
        *_taskset(0),
        str(BIN / "gunicorn"),
        "prima.wsgi:application",
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread",
        "--backlog", "512",
        "--keep-alive", "30",
        "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=_env(var_dir, debug=False))  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            asyncio.run(_get_once(port, "/healthz"))
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start")


async def _get_once(port: int, path: str) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    status, _body = await _request(reader, writer, path)
    writer.close()
    return status


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str):
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept-Encoding: identity\r\n"
        "User-Agent: prima-bench\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _s, v in (ln.partition(":") for ln in lines[1:] if ln)}
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = await reader.read()
    return status, body


def _targets(office: str, services: list[str]) -> list[tuple[str, str, float]]:
    """(kind, path, weight): what a visitor opens."""
    rows = [("service", f"/public/{office}/services/{code}/", 4 / len(services))
            for code in services]  # fmt: skip
    rows += [
        ("newsroom", f"/public/{office}/news/", 3),
        ("office", f"/public/{office}/", 2),
        ("healthz", "/healthz", 1),
    ]
    return rows


async def visitor(
    port: int,
    targets: list[tuple[str, str, float]],
    until: float,
    max_requests: int,
    results: dict[str, list[float]],
    errors: dict[str, int],
    rng: random.Random,
) -> None:
    weights = [w for _k, _p, w in targets]
    reader, writer = await asyncio.open_connection(HOST, port)
    await asyncio.sleep(rng.uniform(0, 1.0))  # spread the first requests
    done = 0
    try:
        while time.monotonic() < until and done < max_requests:
            kind, path, _w = rng.choices(targets, weights)[0]
            started = time.perf_counter()
            try:
                status, _body = await asyncio.wait_for(_request(reader, writer, path), 30)
            except (OSError, asyncio.IncompleteReadError, TimeoutError):
                errors[kind] = errors.get(kind, 0) + 1
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            done += 1
            if status != 200:
                errors[kind] = errors.get(kind, 0) + 1
            results.setdefault(kind, []).append(elapsed)
            await asyncio.sleep(rng.uniform(0.5, 1.5))
    finally:
        writer.close()


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def run_load(port: int, users: int, seconds: float, office: str, services: list[str]):
    results: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    targets = _targets(office, services)
    until = time.monotonic() + seconds
    started = time.perf_counter()
    await asyncio.gather(
        *(
            visitor(
                port, targets, until, int(seconds * 2) + 10, results, errors, random.Random(i)
            )  # fmt: skip
            for i in range(users)
        )
    )
    return results, errors, time.perf_counter() - started


def _catalogue(var_dir: Path) -> tuple[str, list[str]]:
    os.environ.update(_env(var_dir, debug=True))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from prima.catalogue import services as catalogue
    from prima.organizations.models import Office

    office = Office.objects.get(code="kanim-soekarno-hatta")
    return office.code, [v.service.code for v in catalogue.published_services(office)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench" / "portal"))
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    args = parser.parse_args()
    var_dir = Path(args.var_dir)
    prepare(var_dir, args.reuse)
    office, services = _catalogue(var_dir)
    server = start_server(var_dir, args.port, args.workers, args.threads)
    try:
        if _taskset(1):
            os.sched_setaffinity(0, {1})
        asyncio.run(run_load(args.port, min(args.users, 20), args.warmup, office, services))
        results, errors, wall = asyncio.run(
            run_load(args.port, args.users, args.seconds, office, services)
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    total = sum(len(v) for v in results.values())
    pinned = "server on core 0, load generator on core 1" if _taskset(0) else "not pinned"
    print(
        f"\n{args.users} visitors (think time 0.5–1.5 s), {wall:.0f} s, {total} requests "
        f"({total / wall:.0f}/s); gunicorn {args.workers}×{args.threads} gthread; SQLite; "
        f"page cache {os.environ.get('PRIMA_PORTAL_PAGE_CACHE_SECONDS', '10')} s; {pinned}"
    )
    print(f"{'page':<10} {'requests':>8} {'errors':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    for kind in ("service", "newsroom", "office", "healthz"):
        values = results.get(kind, [])
        if not values:
            continue
        print(
            f"{kind:<10} {len(values):>8} {errors.get(kind, 0):>6} "
            f"{statistics.median(values):>7.1f} {_pct(values, 95):>7.1f} "
            f"{_pct(values, 99):>7.1f} {max(values):>7.1f}"
        )
    print("(latency in ms; target for service and newsroom: p95 < 50 ms, 0 errors)")


if __name__ == "__main__":
    main()

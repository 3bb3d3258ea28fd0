"""Benchmark: a regional storm — staff and public users at once on one modest server.

Builds a SQLite database with the demo data (``var/bench/load/``; ``--reuse`` keeps it),
collects the static files and serves PRIMA with production settings (DEBUG off, cached
templates, WhiteNoise) through gunicorn (2 workers × 4 threads) on 127.0.0.1, with one
background-task worker (``db_worker``) and an import of social-media posts running all
along (``prima ingest``, restarted with new posts when it ends), both at ``nice 10`` as
the worker unit of docs/operations.md runs them. Plain HTTP on loopback
needs ``PRIMA_LOOPBACK_PLAIN_HTTP=true`` (see docs/configuration.md): PRIMA refuses it for
any host name that is not a loopback one.

Then locust (``benchmarks/locustfile.py``, think time 1–3 s) runs each step — by default
50, 100 and 200 users, four in five of them staff who browse home, conference list and
detail, monitoring dashboard, mention stream and the API (one in ten logs in through the
form as it starts: a log-in burst during each ramp; the others reuse a session of the same
person, see locustfile.py), one in five public visitors on the portal — for ``--seconds``
each. Every simulated user stops after a bounded number of requests. Prints, per step and
page, requests, errors, p50 / p95 / p99 (ms) and throughput, next to ``/healthz`` from the
same run as the baseline, and the CPU time the gunicorn workers spent per request (less
sensitive than latency to other work on the machine); writes the newest result to
``benchmarks/results/load.json`` (kept in the repository).

Target on 2 cores: 200 staff users at p95 under 500 ms with 0 errors.

Pinning: none by default — gunicorn's two workers, the task worker, the import and
locust share the cores, as a server would run them. Pinned, gunicorn could use one core
while locust, which needs 1–3 % of the cores with its FastHttpUser client, kept the
other mostly idle: 200 users for 30 s on the shared machine (2026-12-05 10:55 UTC, load
average 8) gave 54.7 requests/s and ``/healthz`` p50 60 ms unpinned, 49.2 requests/s and
260 ms pinned, 0 errors in both. Each step prints the CPU share of locust itself
(measured by ``wait4``: user and system time of the locust process), of the gunicorn
workers and of the whole machine
(other processes included), so a run where the load generator or a neighbour took the
CPU is visible. ``--pin`` puts the server side on core 0 and locust on core 1
(``taskset``) for comparison. locust uses its ``FastHttpUser`` client (``--client
requests`` for ``HttpUser``); the people whose role requires two-step verification type
their authenticator code (see locustfile.py).

Soak (``--minutes N``): one step (``--users``, default 100) for N minutes; samples the
resident memory (RSS) and open files of every process (gunicorn master and workers, the
task worker, the import) every 30 seconds, and prints them after the first third (at most
five minutes: the baseline), halfway through the rest and at the end. Right after the
baseline a PR officer corrects one mention's sentiment and the soak serves PRIMA with
``PRIMA_MONITORING_SENTIMENT_RETRAIN_MINUTES=0``, so that the task worker's sentiment
retraining runs inside the measured window (the report says how many ran). Bound
(``SOAK_BOUND``, ``RSS_CEILING_MIB``; docs/operations.md, "Memory"): each long-lived
process under its RSS ceiling (what it holds with every bounded cache full) and open
files grown by fewer than 20 (the growth over the second half is printed and every
sample kept, so the shape of the curve can be read: steps as caches fill, or a slope); the
script says which process exceeded it, ended or was restarted (the task worker is started
again if it dies, as its service unit does, and each exit is reported with its output in
``worker.log``). Written to ``benchmarks/results/soak.json`` with every sample.

    .venv/bin/python benchmarks/load.py                           # 50, 100, 200 users
    .venv/bin/python benchmarks/load.py --users 50 --seconds 30   # quick
    .venv/bin/python benchmarks/load.py --minutes 30 --users 100  # soak
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
RESULTS = ROOT / "benchmarks" / "results" / "load.json"
SOAK_RESULTS = ROOT / "benchmarks" / "results" / "soak.json"
# Soak bound (docs/operations.md, "Memory"), per long-lived process: under its RSS
# ceiling at the end; open files grown by fewer than ``open_files_growth``. (The growth
# over the second half is printed, not judged: a bounded cache fills when the work that
# fills it runs — the task worker's re-classification after a retraining takes 2 minutes
# on a quiet machine and 10 on a busy one — so late growth alone does not tell a leak.)
SOAK_BOUND = {"open_files_growth": 20}
# What each process holds at most with every bounded cache full (docs/operations.md,
# "Memory"): the task worker's models and code (~230 MiB) + the analysis caches
# (~105 MiB, benchmarks/worker_memory.py) + one SQLite page cache (PRIMA_SQLITE_CACHE_MB,
# 64) + batch memory; a gunicorn worker's code and models (~250 MiB) + the short-lived
# answers (32 MB) + one SQLite page cache per thread (4 × 8 MiB, WEB_SETTINGS) + request
# memory per thread.
RSS_CEILING_MIB = {"gunicorn master": 60.0, "gunicorn worker": 400.0, "task worker": 450.0}
SAMPLE_SECONDS = 30
STAFF_PAGES = (
    "home", "conference list", "conference detail", "monitoring dashboard",
    "mention stream", "api conferences", "api mentions",
)  # fmt: skip
OTHER_ROWS = (
    "public portal", "login", "login (busy, retried)", "login form", "login code",
    "login code form",
)  # fmt: skip
BASELINE = "healthz (baseline)"
# Background work yields the CPU to the pages, as the worker unit in docs/operations.md
# runs it (Nice=10); the import here stands for an import run by the worker.
NICE = ["nice", "-n", "10"] if shutil.which("nice") else []
# --setting: settings of the served PRIMA given on the command line.
EXTRA_SETTINGS: dict[str, str] = {}
# What the web unit of docs/operations.md sets for gunicorn only (a --setting of the same
# name wins): a small SQLite page cache per connection, one connection per thread.
WEB_SETTINGS = {"PRIMA_SQLITE_CACHE_MB": "8"}


def server_env(var_dir: Path) -> dict[str, str]:
    """The environment of the served PRIMA: production settings, plain HTTP on loopback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRIMA_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "prima.settings",
            "PRIMA_VAR_DIR": str(var_dir),
            "PRIMA_STATIC_ROOT": str(var_dir / "static"),
            "PRIMA_DEBUG": "false",
            "PRIMA_SECRET_KEY": "benchmark-only-secret-key-on-loopback-0123456789-abcdef",
            "PRIMA_AUDIT_KEY": "benchmark-only-audit-key-on-loopback-0123456789-abcdef",
            "PRIMA_LOOPBACK_PLAIN_HTTP": "true",
            "PRIMA_ALLOWED_HOSTS": f"{HOST},localhost",
            "PRIMA_LOG_LEVEL": "WARNING",
            # As docs/operations.md configures a server: connections kept between requests.
            "PRIMA_DB_CONN_MAX_AGE": "60",
            # The benchmark's log-ins come from one address: no lock-out in the way.
            "PRIMA_LOGIN_MAX_FAILURES": "1000",
            "PRIMA_PORTAL_API_REQUESTS_PER_MINUTE": "0",
            **EXTRA_SETTINGS,
        }
    )
    return env


def _manage(var_dir: Path, *args: str, debug: bool = False) -> None:
    env = server_env(var_dir)
    if debug:  # demo data is refused with DEBUG off (its passwords are public)
        env["PRIMA_DEBUG"] = "true"
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(var_dir: Path, reuse: bool) -> None:
    """The demo database and collected static files in ``var_dir``."""
    database = var_dir / "prima.sqlite3"
    if not (reuse and database.exists()):
        if var_dir.exists():
            shutil.rmtree(var_dir)
        var_dir.mkdir(parents=True)
        started = time.perf_counter()
        _manage(var_dir, "migrate", "--no-input")
        _manage(var_dir, "demo", debug=True)
        print(f"Demo database ready in {time.perf_counter() - started:.0f} s")
    else:
        _manage(var_dir, "migrate", "--no-input")  # a kept database follows the code
    # Two-step verification as PRIMA ships it (a database made by an earlier version of
    # this script had it switched off): the simulated heads of office and supervisors type
    # their authenticator code (locustfile.py).
    _manage(var_dir, "shell", "-c", DEFAULT_SECOND_STEP)
    _manage(var_dir, "collectstatic", "--no-input")


DEFAULT_SECOND_STEP = (
    "from prima.organizations import twofactor\n"
    "from prima.organizations.models import TWOFACTOR_REQUIRED_BY_DEFAULT, Role\n"
    "required = twofactor.required_roles()\n"
    "for role in Role:\n"
    "    if (role in required) != (role in TWOFACTOR_REQUIRED_BY_DEFAULT):\n"
    "        twofactor.set_requirement(None, role, role in TWOFACTOR_REQUIRED_BY_DEFAULT)\n"
)


# --pin: the server side on core 0 and locust on core 1 (off by default: see the docstring).
PIN = False


def _taskset(cores: str) -> list[str]:
    if not PIN or not shutil.which("taskset") or (os.cpu_count() or 1) < 2:
        return []
    return ["taskset", "-c", cores]


def _wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz")


class Stack:
    """gunicorn, the task worker and the running import, started and stopped together."""

    def __init__(self, var_dir: Path, port: int, workers: int, threads: int) -> None:
        self.var_dir, self.port = var_dir, port
        self.env = server_env(var_dir)
        self.gunicorn = subprocess.Popen(  # noqa: S603 - our own gunicorn
            [
                *_taskset("0"), str(BIN / "gunicorn"), "prima.wsgi:application",
                "--bind", f"{HOST}:{port}", "--workers", str(workers),
                "--threads", str(threads), "--worker-class", "gthread",
                "--backlog", "2048", "--keep-alive", "30", "--log-level", "warning",
            ],
            cwd=ROOT, env={**WEB_SETTINGS, **self.env},
        )  # fmt: skip
        self.worker_log = var_dir / "worker.log"
        self.worker_exits: list[int] = []
        self.worker = self._start_worker()
        self.imports_done = 0
        self._import_lock = threading.Lock()
        self.importer: subprocess.Popen[bytes] | None = None
        _wait_for(port)
        self.keep_importing()
        self._stopping = threading.Event()
        self._keeper = threading.Thread(target=self._keep_importing_loop, daemon=True)
        self._keeper.start()

    def _start_worker(self) -> subprocess.Popen[bytes]:
        """The task worker (its output appended to ``var_dir/worker.log``)."""
        with self.worker_log.open("ab") as log:
            return subprocess.Popen(  # noqa: S603
                [
                    *_taskset("0"), *NICE, sys.executable, str(ROOT / "manage.py"),
                    "db_worker", "--worker-id", "load-benchmark",
                ],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def _keep_importing_loop(self) -> None:
        while not self._stopping.wait(5):
            self.keep_importing()
            self.keep_worker()

    def keep_worker(self) -> None:
        """Start the task worker again if it died, as the worker unit of
        docs/operations.md does (Restart=always, after 5 s); each exit is counted and
        reported (its output is in worker.log)."""
        code = self.worker.poll()
        if code is not None and not self._stopping.is_set():
            self.worker_exits.append(code)
            self.worker = self._start_worker()

    def keep_importing(self) -> None:
        """Start an import of fresh posts unless one is running (checked every five
        seconds: an import runs throughout)."""
        with self._import_lock:
            self._start_import_if_idle()

    def _start_import_if_idle(self) -> None:
        if self.importer is not None and self.importer.poll() is None:
            return
        if self.importer is not None:
            self.imports_done += 1
        path = self.var_dir / "import.csv"
        write_posts(path, 3000, f"load{time.time_ns()}")
        self.importer = subprocess.Popen(  # noqa: S603
            [
                *_taskset("0"), *NICE, sys.executable, str(ROOT / "manage.py"), "ingest", str(path),
                "--office", "kanim-soekarno-hatta", "--user", "humas", "--quiet",
            ],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def processes(self) -> dict[str, int]:
        """Name → pid of every server-side process."""
        import psutil

        found = {"gunicorn master": self.gunicorn.pid, "task worker": self.worker.pid}
        children = psutil.Process(self.gunicorn.pid).children()
        for i, child in enumerate(sorted(children, key=lambda c: c.pid), 1):
            found[f"gunicorn worker {i}"] = child.pid
        if self.importer is not None and self.importer.poll() is None:
            found["import"] = self.importer.pid
        return found

    def web_cpu_seconds(self) -> float:
        """CPU time (user and system) used so far by gunicorn's worker processes."""
        import psutil

        total = 0.0
        for child in psutil.Process(self.gunicorn.pid).children():
            times = child.cpu_times()
            total += times.user + times.system
        return total

    def stop(self) -> None:
        self._stopping.set()
        self._keeper.join(timeout=30)
        for process in (self.importer, self.worker, self.gunicorn):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (self.importer, self.worker, self.gunicorn):
            if process is not None:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


WORDS = (
    "antrean paspor bandara soekarno hatta imigrasi autogate petugas pelayanan cepat lama "
    "calo pungli visa kedatangan keberangkatan turis wna wni terminal ramah ribet mantap"
).split()


def write_posts(path: Path, n: int, prefix: str) -> None:
    """A social-media export of ``n`` new posts (CSV, headers PRIMA recognises)."""
    rng = random.Random(prefix)
    start = datetime.now(UTC) - timedelta(hours=6)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "akun", "tanggal", "platform", "likes"])
        for i in range(n):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18)))
            writer.writerow([
                f"{prefix}-{i}", text, f"user{rng.randint(1, 5000)}",
                (start + timedelta(seconds=7 * i)).isoformat(), "twitter", rng.randint(0, 300),
            ])  # fmt: skip


def public_paths(var_dir: Path) -> list[str]:
    """Portal pages of the demo office: home, newsroom, each published service."""
    os.environ.update(server_env(var_dir))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from prima.catalogue import services as catalogue
    from prima.organizations.models import Office

    office = Office.objects.get(code="kanim-soekarno-hatta")
    paths = ["/public/", f"/public/{office.code}/", f"/public/{office.code}/news/"]
    paths += [
        f"/public/{office.code}/services/{v.service.code}/"
        for v in catalogue.published_services(office)
    ]
    return paths


def run_step(
    port: int, users: int, seconds: float, out_dir: Path, paths: list[str]
) -> dict[str, Any]:
    """One locust run; returns its per-page statistics."""
    prefix = out_dir / f"step{users}"
    env = {
        **os.environ,
        "LOAD_PUBLIC_PATHS": ",".join(paths),
        # At most one request a second per user on average (think time 1–3 s) plus slack.
        "LOAD_MAX_REQUESTS": str(int(seconds) + 20),
        # The authenticator steps used so far (PRIMA accepts each once per person).
        "LOAD_TOTP_STATE": str(out_dir / "totp-steps.json"),
    }
    command = [
        *_taskset("1"), str(BIN / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py"),
        "--headless", "--host", f"http://{HOST}:{port}", "-u", str(users),
        "-r", str(max(1, users // 10)), "-t", f"{int(seconds)}s", "--stop-timeout", "10",
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    machine_before = _machine_cpu_seconds()
    started = time.monotonic()
    with open(f"{prefix}.log", "w", encoding="utf-8") as log:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603
        # wait4: the CPU time locust used (user + system), reported with its exit.
        _pid, status, usage = os.wait4(locust.pid, 0)
        locust.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    cpu = {
        "wall_seconds": round(wall, 1),
        "locust_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "machine_cpu_seconds": round(_machine_cpu_seconds() - machine_before, 1),
        "cores": os.cpu_count() or 1,
    }
    rows: dict[str, Any] = {"cpu": cpu}
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = "total" if row["Name"] == "Aggregated" else row["Name"]
            rows[name] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
                "rps": round(float(row["Requests/s"]), 1),
            }
    return rows


def _machine_cpu_seconds() -> float:
    """CPU time the whole machine spent busy so far (every process, all cores)."""
    import psutil

    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


def print_step(users: int, seconds: float, rows: dict[str, Any]) -> None:
    total = rows.get("total", {})
    print(
        f"\n{users} users, {seconds:.0f} s: {total.get('requests', 0)} requests, "
        f"{total.get('rps', 0)} requests/s, {total.get('errors', 0)} errors; gunicorn workers' "
        f"CPU {total.get('server_cpu_ms_per_request', 0):.1f} ms a request"
    )
    print(f"{'page':<24} {'requests':>8} {'errors':>6} {'p50':>6} {'p95':>6} {'p99':>6}")
    for name in (*STAFF_PAGES, *OTHER_ROWS, BASELINE):
        row = rows.get(name)
        if row:
            print(
                f"{name:<24} {row['requests']:>8} {row['errors']:>6} "
                f"{row['p50']:>6.0f} {row['p95']:>6.0f} {row['p99']:>6.0f}"
            )
    print("(latency in ms)")
    cpu = rows.get("cpu")
    if cpu:
        capacity = cpu["wall_seconds"] * cpu["cores"]
        server = total.get("server_cpu_seconds")
        print(
            f"CPU of the {cpu['cores']} cores during the step: locust "
            f"{cpu['locust_cpu_seconds'] / capacity:.0%} ("
            f"{cpu['locust_cpu_seconds'] * 1000 / max(1, total.get('requests', 0)):.1f} ms a "
            "request, its start included)"
            + (f", gunicorn workers {server / capacity:.0%}" if server is not None else "")
            + f", whole machine {cpu['machine_cpu_seconds'] / capacity:.0%} (everything "
            "else: the task worker, the import, other users of the machine)"
        )


def process_table(pids: dict[str, int]) -> dict[str, dict[str, float]]:
    import psutil

    table = {}
    for name, pid in pids.items():
        try:
            process = psutil.Process(pid)
            if process.status() == psutil.STATUS_ZOMBIE:
                continue  # ended, not yet reaped
            table[name] = {
                "pid": pid,
                "rss_mib": round(process.memory_info().rss / 2**20, 1),
                "open_files": process.num_fds(),
            }
        except psutil.Error:
            continue
    return table


def soak(stack: Stack, args: argparse.Namespace, out_dir: Path, paths: list[str]) -> dict:
    """``--minutes``: one long run in slices; memory and open files of every process
    sampled every ``SAMPLE_SECONDS``, with the baseline after the first slice (caches
    partly filled, the worker's models loaded) and the bound checked at the end."""
    run_step(args.port, min(args.users, 20), 20, out_dir, paths)  # warm-up
    total = args.minutes * 60
    # Slices of at most five minutes (the import is restarted between them, so that one
    # runs throughout), at least three, so the first can serve as the warm baseline.
    length = min(300.0, total / 3)
    slices: list[dict[str, Any]] = []
    start: dict[str, dict[str, float]] = {}
    corrected_at: datetime | None = None
    started = time.monotonic()
    samples: list[dict[str, Any]] = []
    stop = threading.Event()

    def sample() -> None:
        while True:
            samples.append({"seconds": round(time.monotonic() - started),
                            "processes": process_table(stack.processes())})  # fmt: skip
            if stop.wait(SAMPLE_SECONDS):
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    elapsed = 0.0
    baseline_at = 0.0
    while elapsed < total - 1:
        stack.keep_importing()
        slices.append(run_step(args.port, args.users, min(length, total - elapsed), out_dir, paths))
        elapsed += length
        if len(slices) == 1:
            start = process_table(stack.processes())
            baseline_at = time.monotonic() - started
            corrected_at = correct_one_sentiment()
    end = process_table(stack.processes())
    stop.set()
    sampler.join()
    retrainings = retrainings_since(corrected_at)
    # The middle of the measured window (from the baseline to the end).
    middle_at = (baseline_at + time.monotonic() - started) / 2
    middle = min(samples, key=lambda row: abs(row["seconds"] - middle_at))["processes"]
    print(f"\nSoak: {args.users} users for {(time.monotonic() - started) / 60:.1f} min "
          f"({stack.imports_done} imports of 3,000 posts completed); memory and open files "
          f"after the first {length / 60:.1f} min (start), halfway through the rest and at the "
          "end")  # fmt: skip
    print(f"{'process':<20} {'RSS start':>9} {'middle':>7} {'end':>7} {'ceiling':>7} "
          f"{'files start':>11} {'end':>4}")  # fmt: skip
    over = []
    for name in start:
        if name not in end:
            print(f"{name:<20} {start[name]['rss_mib']:>8.1f}M   ENDED")
            if name != "import":
                over.append(f"{name} (ended)")
            continue
        a, b = start[name], end[name]
        m = middle.get(name, a)
        ceiling = rss_ceiling(name)
        restarted = a["pid"] != b["pid"]
        print(f"{name:<20} {a['rss_mib']:>8.1f}M {m['rss_mib']:>6.1f}M {b['rss_mib']:>6.1f}M "
              + (f"{ceiling:>6.0f}M" if ceiling else f"{'—':>7}")
              + f" {a['open_files']:>11} {b['open_files']:>4}"
              + ("  (another process: restarted)" if restarted else ""))  # fmt: skip
        if name == "import":
            continue  # a new process after each restart: not a long-lived one
        if restarted:
            over.append(f"{name} (restarted)")
            continue
        if ceiling is not None and b["rss_mib"] > ceiling:
            over.append(f"{name} (above its ceiling)")
        if b["open_files"] > a["open_files"] + SOAK_BOUND["open_files_growth"]:
            over.append(f"{name} (open files)")
    print(
        f"Sentiment retrainings in the measured window (a staff correction was made after "
        f"the baseline): {retrainings}"
    )
    print(
        f'Bound (docs/operations.md, "Memory"): each long-lived process under its RSS '
        f"ceiling, open files growth < {SOAK_BOUND['open_files_growth']}: "
        + (f"EXCEEDED by {', '.join(over)}" if over else "held")
    )
    for part in slices:
        print_step(args.users, length, part)
    return {"processes_start": start, "processes_middle": middle, "processes_end": end,
            "bound": {**SOAK_BOUND, "rss_ceiling_mib": RSS_CEILING_MIB},
            "bound_exceeded": over, "retrainings": retrainings, "slices": slices,
            "samples": samples}  # fmt: skip


def rss_ceiling(name: str) -> float | None:
    """The documented RSS ceiling of a process of the stack (None for the import)."""
    for kind, ceiling in RSS_CEILING_MIB.items():
        if name.startswith(kind):
            return ceiling
    return None


def correct_one_sentiment() -> datetime:
    """A PR officer corrects one mention's sentiment (as staff do all day): the task
    worker's next tick starts a sentiment retraining, so that the soak's measured window
    holds one (the soak serves PRIMA with PRIMA_MONITORING_SENTIMENT_RETRAIN_MINUTES=0).
    Runs in this process against the benchmark database (Django set up by
    :func:`public_paths`)."""
    from django.utils import timezone

    from prima.monitoring import services
    from prima.monitoring.models import Mention
    from prima.organizations.models import User

    at = timezone.now()
    person = User.objects.get(username="humas")
    mention = Mention.objects.filter(office=person.office).order_by("-pk").first()
    if mention is not None:
        label = "neutral" if mention.sentiment == "negative" else "negative"
        services.correct_sentiments(person, [mention], label)
    return at


def retrainings_since(moment: datetime | None) -> int:
    from prima.monitoring.models import SentimentModelVersion

    if moment is None:
        return 0
    return SentimentModelVersion.objects.filter(created_at__gte=moment).count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, action="append", help="users per step (repeat)")
    parser.add_argument("--seconds", type=float, default=60, help="length of each step")
    parser.add_argument("--minutes", type=float, help="soak: one step of this many minutes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--port", type=int, default=8198)
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench" / "load"))
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--no-save", action="store_true", help="do not write the results file")
    parser.add_argument(
        "--fresh-login", type=float, default=0.1,
        help="share of staff users who log in through the form as they start (a burst)",
    )  # fmt: skip
    parser.add_argument(
        "--setting", action="append", default=[], metavar="PRIMA_NAME=VALUE",
        help="a setting of the served PRIMA (repeat), e.g. PRIMA_LOGIN_HASH_NICENESS=0",
    )  # fmt: skip
    parser.add_argument(
        "--pin", action="store_true", help="server side on core 0, locust on core 1 (taskset)"
    )
    parser.add_argument(
        "--client", choices=("fast", "requests"), default="fast",
        help="locust's HTTP client: FastHttpUser (default) or HttpUser",
    )  # fmt: skip
    args = parser.parse_args()
    global PIN
    PIN = args.pin
    os.environ["LOAD_CLIENT"] = args.client
    if args.minutes:  # a retraining inside the soak's window (see correct_one_sentiment)
        EXTRA_SETTINGS["PRIMA_MONITORING_SENTIMENT_RETRAIN_MINUTES"] = "0"
    os.environ["LOAD_FRESH_LOGIN"] = str(args.fresh_login)
    for setting in args.setting:
        name, _sep, value = setting.partition("=")
        if not name.startswith("PRIMA_") or not _sep:
            parser.error(f"--setting {setting!r}: expected PRIMA_NAME=VALUE")
        EXTRA_SETTINGS[name] = value
    var_dir = Path(args.var_dir)
    prepare(var_dir, args.reuse)
    paths = public_paths(var_dir)
    out_dir = var_dir / "locust"
    out_dir.mkdir(exist_ok=True)
    pinned = "gunicorn, worker and import on core 0, locust on core 1" if _taskset("0") else (
        "not pinned: gunicorn, worker, import and locust share the cores")  # fmt: skip
    result: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at start",
        "server": f"gunicorn {args.workers}×{args.threads} gthread, SQLite, production "
        f"settings, PRIMA_LOOPBACK_PLAIN_HTTP; {pinned}; locust {args.client} client"
        + "".join(
            f"; gunicorn only: {name}={value}"
            for name, value in WEB_SETTINGS.items()
            if name not in EXTRA_SETTINGS
        )  # fmt: skip
        + "".join(f"; {name}={value}" for name, value in EXTRA_SETTINGS.items()),
        "mix": f"4/5 staff ({args.fresh_login:.0%} log in through the form as they start, "
        "the others reuse a session of the same person; home 3, conference list 2, detail 2, "
        "dashboard 2, mention stream 2, API 2, healthz 1), 1/5 public (portal 6, healthz 1); "
        "think 1–3 s",
        "steps": {},
    }
    stack = Stack(var_dir, args.port, args.workers, args.threads)
    try:
        if args.minutes:
            args.users = (args.users or [100])[0]
            result["soak"] = soak(stack, args, out_dir, paths)
            result["soak"]["minutes"] = args.minutes
            result["soak"]["users"] = args.users
        else:
            run_step(args.port, 10, 10, out_dir, paths)  # warm-up: caches, connections
            for users in args.users or [50, 100, 200]:
                stack.keep_importing()
                cpu = stack.web_cpu_seconds()
                rows = run_step(args.port, users, args.seconds, out_dir, paths)
                server_cpu = stack.web_cpu_seconds() - cpu
                rows["total"]["server_cpu_seconds"] = round(server_cpu, 1)
                rows["total"]["server_cpu_ms_per_request"] = round(
                    server_cpu * 1000 / max(1, rows["total"]["requests"]), 1
                )
                result["steps"][str(users)] = rows
                print_step(users, args.seconds, rows)
    finally:
        stack.stop()
    print(f"\n{result['server']}; imports completed during the run: {stack.imports_done}")
    result["task_worker_exits"] = stack.worker_exits
    if stack.worker_exits:
        print(
            f"THE TASK WORKER ENDED {len(stack.worker_exits)} time(s) (exit codes "
            f"{stack.worker_exits}) and was started again; see {stack.worker_log}"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    if not args.no_save:
        target = SOAK_RESULTS if args.minutes else RESULTS
        target.parent.mkdir(exist_ok=True)
        target.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
        print(f"Written to {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

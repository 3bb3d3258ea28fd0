"""The simulated users of ``benchmarks/load.py`` (locust; loaded by the ``locust`` command
that load.py starts, never imported by PRIMA).

Staff users browse the staff mix with a think time of 1–3 s: home, conference list and
detail, the monitoring dashboard, the mention stream and the JSON API. One in
``LOAD_FRESH_LOGIN`` of them (default 10 %) logs in through the form when it starts —
people arriving during the storm, a log-in burst while the step ramps up; the others take
over the session of an earlier log-in of the same person (they were logged in before the
storm: in an office each person logs in once a day, and the deliberately slow password
hash — about 0.2 s of a core — would otherwise turn the benchmark into a hash benchmark).
Public visitors browse the portal under /public/ without a log-in. Both
open /healthz now and then: the baseline of the same run.

A log-in answered "try again in a few seconds" (503, when every password-hash slot of a
server process is taken) is counted as ``login (busy, retried)`` and retried after the
``Retry-After`` delay, as a person would.

Each simulated user stops after ``LOAD_MAX_REQUESTS`` requests (load.py sets it from the
run's length): the run is bounded in time and in request count.
"""

from __future__ import annotations

import os
import random
import re
import time

import gevent
from locust import HttpUser, between, task
from locust.exception import StopUser

STAFF = os.environ.get("LOAD_STAFF", "humas,humas2,kasihumas,jubir,kakanim,kanwil").split(",")
PASSWORD = os.environ.get("LOAD_PASSWORD", "Demo#Prima2026")
PUBLIC_PATHS = [p for p in os.environ.get("LOAD_PUBLIC_PATHS", "/public/").split(",") if p]
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "1000"))
FRESH_LOGIN = float(os.environ.get("LOAD_FRESH_LOGIN", "0.1"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_next_staff = 0
_sessions: dict[str, dict[str, str]] = {}  # user name → cookies of a logged-in session
_logging_in: set[str] = set()


class _Bounded(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.requests_made = 0

    def get(self, path: str, name: str) -> None:
        self.requests_made += 1
        if self.requests_made > MAX_REQUESTS:
            raise StopUser
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif "/accounts/login/" in response.url and name != "login":
                response.failure("sent to the log-in page")


class StaffUser(_Bounded):
    """A PR officer or supervisor with a browser session."""

    weight = 4

    def on_start(self) -> None:
        global _next_staff
        super().on_start()
        self.username = STAFF[_next_staff % len(STAFF)]
        _next_staff += 1
        self.conference_ids: list[int] = []
        fresh = random.random() < FRESH_LOGIN
        while not fresh and self.username not in _sessions and self.username in _logging_in:
            gevent.sleep(0.5)  # the same person's first log-in is under way
        shared = _sessions.get(self.username)
        if shared is not None and not fresh:
            self.client.cookies.update(shared)
        else:
            _logging_in.add(self.username)
            self.log_in()
            _sessions[self.username] = {k: v or "" for k, v in self.client.cookies.items()}
        answer = self.client.get("/api/v1/conferences?limit=20", name="api conferences")
        if answer.status_code == 200:
            body = answer.json()
            items = body.get("items", body) if isinstance(body, dict) else body
            self.conference_ids = [item["id"] for item in items]

    def log_in(self) -> None:
        for _attempt in range(30):
            page = self.client.get("/accounts/login/", name="login form")
            match = CSRF.search(page.text)
            token = match.group(1) if match else ""
            with self.client.post(
                "/accounts/login/",
                data={"username": self.username, "password": PASSWORD,
                      "csrfmiddlewaretoken": token},
                name="login",
                allow_redirects=False,
                catch_response=True,
            ) as response:  # fmt: skip
                if response.status_code == 302:
                    response.success()
                    return
                if response.status_code == 503:
                    # Every hash slot taken: not an error, the answer says "try again".
                    response.request_meta["name"] = "login (busy, retried)"
                    response.success()
                    time.sleep(float(response.headers.get("Retry-After", "2")))
                    continue
                response.failure(f"log-in answered {response.status_code}")
                raise StopUser
        raise StopUser

    @task(3)
    def home(self) -> None:
        self.get("/", "home")

    @task(2)
    def conference_list(self) -> None:
        self.get("/conferences/", "conference list")

    @task(2)
    def conference_detail(self) -> None:
        if self.conference_ids:
            self.get(f"/conferences/{random.choice(self.conference_ids)}/", "conference detail")

    @task(2)
    def dashboard(self) -> None:
        self.get("/monitoring/", "monitoring dashboard")

    @task(2)
    def mention_stream(self) -> None:
        self.get("/monitoring/mentions/", "mention stream")

    @task(1)
    def api_conferences(self) -> None:
        self.get("/api/v1/conferences", "api conferences")

    @task(1)
    def api_mentions(self) -> None:
        self.get("/api/v1/monitoring/mentions", "api mentions")

    @task(1)
    def healthz(self) -> None:
        self.get("/healthz", "healthz (baseline)")


class PublicVisitor(_Bounded):
    """Someone from the public reading the portal (no log-in)."""

    weight = 1

    @task(6)
    def portal(self) -> None:
        self.get(random.choice(PUBLIC_PATHS), "public portal")

    @task(1)
    def healthz(self) -> None:
        self.get("/healthz", "healthz (baseline)")

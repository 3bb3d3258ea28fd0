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

Personas whose role requires two-step verification (the demo's ``kakanim`` and
``kanwil``, enrolled with the public demo key ``LOAD_TOTP_SECRET``, see README) type the
code of their authenticator app after the password, as a person does: the code of the
current 30-second step, or the previous one (PRIMA accepts each step once per person: a
second log-in of the same person within the same step waits for the next code, as a
person would; that wait is not a request).

A log-in answered "try again in a few seconds" (503, when every password-hash slot of a
server process is taken) is counted as ``login (busy, retried)`` and retried after the
``Retry-After`` delay, as a person would.

Pages are requested without following redirects: a page that sends the person to the
log-in page (or anywhere else) is an error.

``LOAD_CLIENT=fast`` (the default) uses locust's ``FastHttpUser`` (geventhttpclient),
``requests`` its ``HttpUser``: the fast client costs the load generator about half the CPU
per request (see load.py), which on a 2-core machine is CPU taken from the server.

Each simulated user stops after ``LOAD_MAX_REQUESTS`` requests (load.py sets it from the
run's length): the run is bounded in time and in request count.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from http.cookiejar import Cookie, CookieJar
from pathlib import Path
from typing import Any

import gevent
import pyotp
from locust import HttpUser, between, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

STAFF = os.environ.get("LOAD_STAFF", "humas,humas2,kasihumas,jubir,kakanim,kanwil").split(",")
PASSWORD = os.environ.get("LOAD_PASSWORD", "Demo#Prima2026")
# The demo personas' authenticator key (prima.organizations.demo.DEMO_TOTP_SECRET).
TOTP_SECRET = os.environ.get("LOAD_TOTP_SECRET", "PRIMADEMOKODEDUALANGKAHJANGANDIP")
STEP_SECONDS = 30
PUBLIC_PATHS = [p for p in os.environ.get("LOAD_PUBLIC_PATHS", "/public/").split(",") if p]
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "1000"))
FRESH_LOGIN = float(os.environ.get("LOAD_FRESH_LOGIN", "0.1"))
CLIENT = os.environ.get("LOAD_CLIENT", "fast")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_next_staff = 0
_sessions: dict[str, list[Cookie]] = {}  # user name → cookies of a logged-in session
_logging_in: set[str] = set()
# User name → the last TOTP step used to sign in, kept in LOAD_TOTP_STATE between the
# locust runs of one benchmark (the server refuses a step used by an earlier run).
TOTP_STATE = Path(os.environ["LOAD_TOTP_STATE"]) if os.environ.get("LOAD_TOTP_STATE") else None
_last_step: dict[str, int] = (
    json.loads(TOTP_STATE.read_text()) if TOTP_STATE is not None and TOTP_STATE.exists() else {}
)

Base: Any = FastHttpUser if CLIENT == "fast" else HttpUser


def _jar(user: Any) -> CookieJar:
    """The cookie jar of a simulated user's client (either kind of client)."""
    client = user.client
    return client.cookiejar if hasattr(client, "cookiejar") else client.cookies


def next_code(username: str) -> str:
    """The authenticator code to type now: the current step's, or the previous step's if
    that one is still unused; waits for the next step when both were used (PRIMA takes
    each step once per person)."""
    while True:
        now = int(time.time() // STEP_SECONDS)
        last = _last_step.get(username, -1)
        for step in (now - 1, now):
            if step > last:
                _last_step[username] = step  # reserved before any request: greenlets
                if TOTP_STATE is not None:
                    TOTP_STATE.write_text(json.dumps(_last_step))
                return pyotp.TOTP(TOTP_SECRET).at(step * STEP_SECONDS)
        gevent.sleep((now + 1) * STEP_SECONDS - time.time() + 0.5)


class _Bounded(Base):
    abstract = True
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.requests_made = 0

    def get(self, path: str, name: str) -> None:
        self.requests_made += 1
        if self.requests_made > MAX_REQUESTS:
            raise StopUser
        with self.client.get(
            path, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code in (301, 302, 303):
                response.failure(f"redirected to {response.headers.get('Location')}")
            elif response.status_code != 200:
                response.failure(f"status {response.status_code}")


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
        jar = _jar(self)
        if shared is not None and not fresh:
            for cookie in shared:
                jar.set_cookie(cookie)
        else:
            _logging_in.add(self.username)
            self.log_in()
            _sessions[self.username] = list(jar)
        with self.client.get(
            "/api/v1/conferences?limit=20", name="api conferences", catch_response=True
        ) as answer:
            if answer.status_code == 200:
                body = answer.json()
                items = body.get("items", body) if isinstance(body, dict) else body
                self.conference_ids = [item["id"] for item in items]
            else:
                answer.failure(f"status {answer.status_code}")

    def _post_form(self, path: str, name: str, data: dict[str, str]) -> Any:
        """Open the form at ``path`` and post ``data`` with its CSRF token (no redirects
        followed); returns the context manager of the post, for the caller to judge."""
        page = self.client.get(path, name=f"{name} form")
        match = CSRF.search(page.text or "")
        data = {**data, "csrfmiddlewaretoken": match.group(1) if match else ""}
        return self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        )

    def log_in(self) -> None:
        for _attempt in range(30):
            with self._post_form(
                "/accounts/login/", "login", {"username": self.username, "password": PASSWORD}
            ) as response:
                location = response.headers.get("Location") or ""
                if response.status_code == 302 and "/accounts/login/code/" in location:
                    response.success()
                    self.second_step()
                    return
                if response.status_code == 302 and "/accounts/login/" not in location:
                    response.success()
                    return
                if response.status_code == 503:
                    # Every hash slot taken: not an error, the answer says "try again".
                    response.request_meta["name"] = "login (busy, retried)"
                    response.success()
                    gevent.sleep(float(response.headers.get("Retry-After", "2")))
                    continue
                response.failure(f"log-in answered {response.status_code} {location}")
                raise StopUser
        raise StopUser

    def second_step(self) -> None:
        """Type the authenticator app's code (two-step verification)."""
        with self._post_form(
            "/accounts/login/code/", "login code", {"code": next_code(self.username)}
        ) as response:
            location = response.headers.get("Location") or ""
            if response.status_code == 302 and "/accounts/login/" not in location:
                response.success()
                return
            response.failure(f"code answered {response.status_code} {location}")
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

"""Killing and restarting delivery workers loses nothing and sends nothing twice.

Real worker processes (``prima crisis-tick --loop``) deliver escalation e-mails through a
slow mail backend that writes one file per delivery. The first worker is killed
(SIGKILL) in the middle of sending a message; two fresh workers then run side by side.
Every message must arrive exactly once: the one being sent when its worker died is sent
again by another worker once the lease has passed, and the two new workers never send
the same message (each claim is a conditional UPDATE).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from prima.crisis import assessment, cases
from prima.crisis.models import Channel, Notification
from prima.crisis.tests.test_escalation import TINGGI

pytestmark = pytest.mark.django_db(transaction=True)
CASES = 8
DEADLINE = 120


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}{port}/{db['NAME']}"


def _worker(mail_dir: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=_database_url(),
        PRIMA_EMAIL_BACKEND="prima.crisis.tests.slow_mail.SlowFileBackend",
        CRISIS_TEST_MAIL_DIR=str(mail_dir),
        PRIMA_CRISIS_DELIVERY_LEASE_SECONDS="3",
        PRIMA_LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(  # noqa: S603 - our own manage.py with the test's interpreter
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "crisis_tick", "--loop",
         "--interval", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait(condition, what: str) -> None:
    stop = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > stop:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_killed_workers_lose_nothing_and_send_nothing_twice(
    soetta, pr_staff, pr_lead, head, tmp_path, settings
):
    # Only the worker processes deliver (no task runs in this process).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    for person in (pr_lead, head):
        person.email = f"{person.username}@imigrasi.example.go.id"
        person.save()
    now = timezone.now()
    for n in range(CASES):
        case = cases.open_case(pr_staff, soetta, title=f"Kasus {n}", now=now)
        assessment.record(pr_staff, case, now=now, **TINGGI)
    keys = set(Notification.objects.filter(channel=Channel.EMAIL).values_list("key", flat=True))
    assert len(keys) == 2 * CASES

    def sent() -> Counter:
        return Counter(p.name[5:-9] for p in tmp_path.glob("sent-*"))

    def sending_unfinished() -> bool:
        started = {p.name[8:] for p in tmp_path.glob("sending-*")}
        return bool(started - set(sent())) and len(sent()) >= 3

    first = _worker(tmp_path)
    try:
        _wait(sending_unfinished, "the first worker to be in the middle of a message")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed_midway = {p.name[8:] for p in tmp_path.glob("sending-*")} - set(sent())
        assert killed_midway  # it died holding a claim on a message it had not sent
        second, third = _worker(tmp_path), _worker(tmp_path)
        try:
            _wait(lambda: set(sent()) >= keys, "every message to be delivered")
            time.sleep(2)  # give any duplicate the time to show
        finally:
            for worker in (second, third):
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    delivered = sent()
    assert set(delivered) == keys
    assert [k for k, n in delivered.items() if n > 1] == []
    rows = Notification.objects.filter(channel=Channel.EMAIL)
    assert all(n.sent_at is not None for n in rows)
    assert {n.key for n in rows if n.attempts == 2} >= killed_midway

"""A worker process killed in every kind of task: never lost, never twice (issue 14).

Real ``prima db_worker`` processes: the first one claims the task and dies (``os._exit``:
no clean-up, like SIGKILL) at the worst moments — as it starts the task, in its middle,
or after the work but before recording success. A second worker started with the same
``--worker-id`` (what systemd does) queues the abandoned task again and runs it; the
effect must be there exactly once. Covered here: imports, feed polls, watch-list
re-tagging, both scheduler ticks, the crisis tasks and invitation e-mails; a retraining run again
stores no second version (prima/monitoring/tests/test_retraining.py). Delivery workers
killed in the middle of a message and import workers killed in a chunk have their own
tests (prima/crisis/tests/test_worker_restart.py, prima/monitoring/tests/test_jobs.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from prima.conferences import checklists, workflow
from prima.conferences.models import Channel as InvitationChannel
from prima.conferences.models import ConferenceType, EmailStatus, Invitation, MediaContact
from prima.conferences.workflow import mail as invitation_mail
from prima.conftest import make_person
from prima.crisis import assessment, cases, delivery
from prima.crisis import tasks as crisis_tasks
from prima.crisis.models import Channel, Notification
from prima.crisis.tests.test_escalation import TINGGI
from prima.monitoring import services as monitoring
from prima.monitoring import tasks as monitoring_tasks
from prima.monitoring.ingest import jobs
from prima.monitoring.models import (
    IngestJob,
    JobStatus,
    Mention,
    SchedulerState,
    Source,
    SourceKind,
    WatchList,
    WatchListMatch,
)
from prima.organizations.models import Role
from prima.portal import tasks as portal_tasks

pytestmark = pytest.mark.django_db(transaction=True)

DOOMED_WORKER = textwrap.dedent("""
    import importlib, os, sys
    import django
    django.setup()
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    def die(*args, **kwargs):
        os._exit(137)

    point = sys.argv[1]
    if point == "none":  # the replacement
        pass
    elif point == "start":
        from django_tasks.signals import task_started
        task_started.connect(die, weak=False)
    elif point == "end":
        DBTaskResult.set_successful = die  # the work is done, its success not recorded
    else:
        module, name = point.split(":")
        setattr(importlib.import_module(module), name, die)
    call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "w-1")
""")


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}{port}/{db['NAME']}"


def _worker(script: str, *args: str, mail: Path) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        DATABASE_URL=_database_url(),
        PRIMA_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PRIMA_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        PRIMA_EMAIL_FILE_PATH=str(mail),
        PRIMA_CRISIS_WEBHOOK_URL="",
        PRIMA_FETCH_ALLOWED_PRIVATE_NETWORKS="127.0.0.1/32",
        PRIMA_SITE_URL="https://prima.example.go.id",
        PRIMA_LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="prima.settings",
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _kill_then_replace(point: str, mail: Path) -> None:
    doomed = _worker(DOOMED_WORKER, point, mail=mail)
    assert doomed.returncode == 137, doomed.stderr[-2000:]
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 1
    replacement = _worker(DOOMED_WORKER, "none", mail=mail)
    assert replacement.returncode == 0, replacement.stderr[-2000:]
    assert "died" in replacement.stderr  # it says what it recovered
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()


def _results(task) -> list[str]:
    return list(
        DBTaskResult.objects.filter(task_path=task.module_path)
        .order_by("enqueued_at")
        .values_list("status", flat=True)
    )


def quiet_chains() -> None:
    """No task queued but both scheduler chains alive, with a tick far in the future (not
    run by --batch)."""
    DBTaskResult.objects.all().delete()
    later = timezone.now() + timedelta(days=1)
    for tick in (monitoring_tasks.monitoring_tick, portal_tasks.portal_tick):
        tick.using(run_after=later).enqueue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _import_job(offices, pr_staff, rows: int) -> IngestJob:
    source = Source.objects.create(
        office=offices["soetta"], name="Ekspor", kind=SourceKind.SOCIAL_IMPORT
    )
    lines = ["text"] + [f"Antrean panjang di terminal {n} pagi ini, nomor {n}" for n in range(rows)]
    return monitoring.start_file_import(
        pr_staff,
        source,
        ContentFile(("\n".join(lines) + "\n").encode(), name="ekspor.csv"),
        mapping={"fields": {"text": ["text"]}},
        enqueue=False,
    )


@pytest.mark.parametrize("point", ["start"])
def test_an_import_task_is_run_again_and_stores_every_row_once(
    media, tmp_path, offices, pr_staff, point
):
    job = _import_job(offices, pr_staff, 5)
    quiet_chains()
    monitoring_tasks.run_ingest_job.enqueue(job.pk)
    _kill_then_replace(point, tmp_path / "mail")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Mention.objects.count() == 5
    assert _results(monitoring_tasks.run_ingest_job) == ["FAILED", "SUCCESSFUL"]


def test_a_watch_list_retag_is_run_again_without_doubling_its_matches(
    media, tmp_path, offices, pr_staff
):
    job = _import_job(offices, pr_staff, 4)
    jobs.process_job(job.pk)
    watchlist = WatchList.objects.create(office=offices["soetta"], name="Antrean", query="antrean")
    WatchListMatch.objects.filter(watchlist=watchlist).delete()
    quiet_chains()
    monitoring_tasks.retag_watchlist.enqueue(watchlist.pk)
    _kill_then_replace("end", tmp_path / "mail")
    assert WatchListMatch.objects.filter(watchlist=watchlist).count() == 4
    assert _results(monitoring_tasks.retag_watchlist) == ["FAILED", "SUCCESSFUL"]


FEED = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Warta</title>'
    + "".join(
        f"<item><title>Berita imigrasi {n}</title><link>https://warta.example.id/{n}</link>"
        f"<guid>https://warta.example.id/{n}</guid><description>Antrean paspor di kantor "
        f"imigrasi nomor {n} mengular sejak pagi</description></item>"
        for n in range(3)
    )
    + "</channel></rss>"
).encode()


class FeedHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_feed_poll_is_run_again_without_storing_any_item_twice(media, tmp_path, offices):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        source = Source.objects.create(
            office=offices["soetta"],
            name="Warta",
            kind=SourceKind.RSS,
            url=f"http://127.0.0.1:{server.server_address[1]}/feed.xml",
        )
        quiet_chains()
        monitoring_tasks.poll_source.enqueue(source.pk)
        _kill_then_replace("end", tmp_path / "mail")
    finally:
        server.shutdown()
    assert Mention.objects.filter(source=source).count() == 3
    assert _results(monitoring_tasks.poll_source) == ["FAILED", "SUCCESSFUL"]


@pytest.mark.parametrize(
    ("tick", "point"),
    [
        (monitoring_tasks.monitoring_tick, "prima.monitoring.tasks:run_tick"),
        (monitoring_tasks.monitoring_tick, "end"),
        (portal_tasks.portal_tick, "prima.portal.services:run_tick"),
    ],
    ids=["monitoring-middle", "monitoring-end", "portal-middle"],
)
def test_a_scheduler_tick_killed_leaves_exactly_one_chain(media, tmp_path, tick, point):
    other = (
        portal_tasks.portal_tick
        if tick is monitoring_tasks.monitoring_tick
        else monitoring_tasks.monitoring_tick
    )
    other.using(run_after=timezone.now() + timedelta(days=1)).enqueue()
    tick.enqueue()
    _kill_then_replace(point, tmp_path / "mail")
    statuses = _results(tick)
    # The killed tick, the one run in its place if it died before scheduling the next, and
    # one (only one) next tick: the chain goes on, once.
    replaced = ["SUCCESSFUL"] if point != "end" else []
    assert statuses == ["FAILED", *replaced, "READY"], statuses
    if tick is monitoring_tasks.monitoring_tick:
        assert SchedulerState.objects.get().last_tick_at is not None


def _sent(mail: Path) -> list[str]:
    return [
        line
        for path in mail.glob("*.log")
        for line in path.read_text().splitlines()
        if line.startswith("Subject: ")
    ]


@pytest.mark.parametrize(
    ("task", "point"),
    [
        (delivery.deliver_notifications, "end"),
        (crisis_tasks.crisis_tick, "end"),
        (crisis_tasks.advance_office_task, "end"),
    ],
    ids=["deliver-end", "crisis-tick-end", "advance-office-end"],
)
def test_crisis_notifications_are_sent_once_whatever_task_died(
    media, tmp_path, offices, pr_staff, task, point, settings
):
    settings.CRISIS_WEBHOOK_URL = ""
    for username, role in (("andi", Role.PR_LEAD), ("budi", Role.HEAD)):
        person = make_person(username, offices["soetta"], role)
        person.email = f"{username}@imigrasi.example.go.id"
        person.save()
    now = timezone.now()
    case = cases.open_case(pr_staff, offices["soetta"], title="Antrean mengular", now=now)
    assessment.record(pr_staff, case, now=now, **TINGGI)
    expected = Notification.objects.filter(channel=Channel.EMAIL).count()
    assert expected == 2
    quiet_chains()
    if task is crisis_tasks.advance_office_task:
        task.enqueue(offices["soetta"].pk)
    else:
        task.enqueue()
    _kill_then_replace(point, tmp_path / "mail")
    assert len(_sent(tmp_path / "mail")) == expected  # each message once
    assert all(n.sent_at for n in Notification.objects.filter(channel=Channel.EMAIL))
    assert _results(task) == ["FAILED", "SUCCESSFUL"]


def test_invitation_e_mails_are_sent_once_when_the_task_is_run_again(
    media, tmp_path, offices, pr_staff
):
    checklists.ensure_templates()
    conference = workflow.create_conference(
        pr_staff, office=offices["soetta"], type=ConferenceType.REGULAR, title="Rilis bulanan"
    )
    conference = workflow.update_conference(
        pr_staff,
        conference,
        expected_version=conference.version,
        scheduled_at=timezone.now() + timedelta(days=5),
        venue="Ruang Konferensi Pers, Terminal 3",
    )
    for n in range(2):
        contact = MediaContact.objects.create(
            office=offices["soetta"],
            outlet=f"Harian {n}",
            journalist=f"Wartawan {n}",
            email=f"wartawan{n}@redaksi.example.id",
        )
        workflow.invite(pr_staff, conference, contact, channel=InvitationChannel.EMAIL)
    quiet_chains()
    invitation_mail.send_invitation_emails.enqueue()
    _kill_then_replace("end", tmp_path / "mail")
    assert len(_sent(tmp_path / "mail")) == 2
    assert set(Invitation.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}
    assert _results(invitation_mail.send_invitation_emails) == ["FAILED", "SUCCESSFUL"]

"""The database busy or gone (issue 14): no 500, a clear answer, nothing half-written.

- SQLite, several writers at once (web requests, an import, a worker) in real threads:
  every write waits for the others (IMMEDIATE transactions, busy timeout) and succeeds.
  A writer that holds the database beyond the busy timeout gets a 503 page that says
  what happened, and nothing of the refused request is stored.
- PostgreSQL, connections killed under PRIMA (``pg_terminate_backend``, what a server
  restart does to them): the request answers 503 with a clear message, the next one
  works again, and an import killed in the middle is resumed by the next worker from
  its checkpoint with every row stored exactly once.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections
from django.urls import reverse

from prima.conferences import checklists
from prima.conferences.models import Conference
from prima.conftest import client_for
from prima.monitoring import services as monitoring
from prima.monitoring.ingest import jobs
from prima.monitoring.models import IngestJob, JobStatus, Mention, Source, SourceKind

pytestmark = pytest.mark.django_db(transaction=True)
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'")
postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'")

FORM = {
    "type": "regular",
    "title": "Rilis Kinerja Pelayanan",
    "summary": "Capaian layanan paspor.",
    "topic": "performance",
    "level": "1",
    "scheduled_at": "2030-12-04T10:00",
    "venue": "Ruang Rapat Utama",
}
UNAVAILABLE = "PRIMA tidak dapat menjangkau basis datanya"


def _csv(rows: int, tag: str) -> ContentFile:
    lines = ["text,likes"] + [
        f"Antrean panjang di terminal {n} bandara {tag} pagi ini nomor {n},{n}" for n in range(rows)
    ]
    return ContentFile(("\n".join(lines) + "\n").encode(), name=f"ekspor-{tag}.csv")


@pytest.fixture
def source(offices) -> Source:
    return Source.objects.create(
        office=offices["soetta"], name="Ekspor", kind=SourceKind.SOCIAL_IMPORT
    )


def _in_threads(*targets: Any) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(target: Any) -> None:
        try:
            target()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@sqlite_only
def test_sqlite_web_import_and_worker_writing_at_once_all_succeed(
    settings, tmp_path, offices, pr_staff, source
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MONITORING_CHUNK_SIZE = 2
    checklists.ensure_templates()
    statuses: list[int] = []
    started: list[int] = []

    def web() -> None:
        client = client_for(pr_staff)
        for n in range(6):
            response = client.post(reverse("conferences:create"), {**FORM, "title": f"R {n}"})
            statuses.append(response.status_code)

    def importer() -> None:
        for n in range(3):
            job = monitoring.start_file_import(
                pr_staff,
                source,
                _csv(4, f"i{n}"),
                mapping={"fields": {"text": ["text"]}},
                enqueue=False,
            )
            started.append(job.pk)

    def worker() -> None:
        done: set[int] = set()
        while len(done) < 3:
            for pk in IngestJob.objects.filter(status=JobStatus.QUEUED).values_list(
                "pk", flat=True
            ):
                if jobs.process_job(pk) is not None:
                    done.add(pk)

    assert _in_threads(web, importer, worker) == []
    assert statuses == [302] * 6
    assert Conference.objects.count() == 6
    assert list(IngestJob.objects.values_list("status", "errors")) == [(JobStatus.DONE, [])] * 3
    assert Mention.objects.count() == 12


@sqlite_only
def test_sqlite_locked_beyond_the_busy_timeout_answers_503_and_stores_nothing(offices, pr_staff):
    checklists.ensure_templates()
    client = client_for(pr_staff)
    assert client.get(reverse("conferences:create")).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 200")
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=1)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        response = client.post(reverse("conferences:create"), FORM)
        assert response.status_code == 503
        assert response["Retry-After"]
        assert UNAVAILABLE in response.content.decode()
        # Reads go on meanwhile (WAL): only writers wait for the lock.
        assert client.get("/api/v1/me").status_code == 200
    finally:
        other.rollback()
        other.close()
    assert not Conference.objects.exists()
    assert client.post(reverse("conferences:create"), FORM).status_code == 302
    assert Conference.objects.count() == 1


def _terminate(pid: int) -> None:
    import psycopg

    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


@postgresql_only
def test_postgresql_connection_killed_under_a_request_answers_503_then_recovers(offices, pr_staff):
    checklists.ensure_templates()
    client = client_for(pr_staff)
    assert client.get(reverse("conferences:create")).status_code == 200
    _terminate(_backend_pid())
    response = client.post(reverse("conferences:create"), FORM)
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()
    assert not Conference.objects.exists()  # a new connection: nothing half-written
    assert client.post(reverse("conferences:create"), FORM).status_code == 302
    _terminate(_backend_pid())
    api = client.get("/api/v1/me")
    assert api.status_code == 503 and UNAVAILABLE in api.json()["detail"]
    assert client.get("/api/v1/me").status_code == 200


@postgresql_only
def test_postgresql_import_killed_midway_is_resumed_with_every_row_once(
    settings, tmp_path, pr_staff, source
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MONITORING_CHUNK_SIZE = 2
    settings.MONITORING_JOB_LEASE_SECONDS = 0
    job = monitoring.start_file_import(
        pr_staff, source, _csv(8, "x"), mapping={"fields": {"text": ["text"]}}, enqueue=False
    )
    killed: list[int] = []

    def kill_after_first_chunk(current: IngestJob) -> None:
        if not killed:
            killed.append(current.position)
            _terminate(_backend_pid())

    with pytest.raises(Exception) as died:
        jobs.process_job(job.pk, progress=kill_after_first_chunk)
    assert "connection" in str(died.value).lower() or "terminat" in str(died.value).lower()
    connection.close()  # what a worker does between tasks
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and 0 < job.position < 8
    assert Mention.objects.count() == job.position  # whole chunks only
    done = jobs.process_job(job.pk)
    assert done is not None and done.status == JobStatus.DONE
    assert Mention.objects.count() == 8
    assert done.attempts == 2


def test_a_session_that_cannot_be_saved_for_the_database_is_a_503_not_a_400(db):
    from django.contrib.sessions.exceptions import SessionInterrupted
    from django.db import OperationalError
    from django.test import RequestFactory

    from prima.front.views import bad_request

    try:
        try:
            raise OperationalError("database is locked")
        except OperationalError:
            raise SessionInterrupted("The request's session was deleted") from None
    except SessionInterrupted as exc:
        interrupted = exc
    # `from None` hides the cause from tracebacks but keeps it as the context.
    response = bad_request(RequestFactory().post("/conferences/new/"), interrupted)
    assert response.status_code == 503 and UNAVAILABLE in response.content.decode()
    other = bad_request(RequestFactory().get("/"), SessionInterrupted("gone"))
    assert other.status_code == 400


def test_a_schema_out_of_step_with_the_code_is_not_a_busy_database():
    # A missed migration must fail loudly (500, logged), not ask people to try again.
    from django.db import InterfaceError, OperationalError

    from prima.front.middleware import is_database_unavailable

    assert is_database_unavailable(OperationalError("database is locked"))
    assert is_database_unavailable(OperationalError("server closed the connection"))
    assert is_database_unavailable(InterfaceError("connection already closed"))
    assert not is_database_unavailable(OperationalError("no such table: crisis_case"))
    assert not is_database_unavailable(OperationalError("no such column: x.level"))
    assert not is_database_unavailable(ValueError("database is locked"))

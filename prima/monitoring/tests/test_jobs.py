"""Import jobs: checkpoints, crashes and restarts, claiming by several workers."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from prima.monitoring import services
from prima.monitoring.ingest import claim_job, process_job
from prima.monitoring.models import IngestJob, JobKind, JobStatus, Mention

ROWS = 120


def csv_bytes(rows: int = ROWS, *, bad_every: int = 0) -> bytes:
    lines = ["id;posted_at;username;text;likes"]
    for n in range(1, rows + 1):
        text = "" if bad_every and n % bad_every == 0 else (
            f"Pelayanan paspor nomor {n} di Soekarno-Hatta {['cepat', 'lambat', 'ramah'][n % 3]}"
            f" sekali, antrean ke-{n * 7}"
        )  # fmt: skip
        lines.append(f"x{n};2025-11-{1 + n % 28:02d} 10:{n % 60:02d};akun{n};{text};{n}")
    return ("\n".join(lines) + "\n").encode()


def file_job(source, data: bytes, name: str = "ekspor.csv") -> IngestJob:
    job = IngestJob(office=source.office, source=source, kind=JobKind.FILE, filename=name,
                    format="csv", file_size=len(data))  # fmt: skip
    job.file.save(name, ContentFile(data), save=False)
    job.save()
    return job


@pytest.mark.django_db
def test_a_failure_keeps_the_checkpoint_and_a_retry_resumes_exactly_once(
    social_source,
    pr_staff,
    settings,
    django_capture_on_commit_callbacks,
    crash_after_chunks,
    monkeypatch,
):
    settings.MONITORING_CHUNK_SIZE = 20
    job = file_job(social_source, csv_bytes())
    crash_after_chunks(3)
    job = process_job(job.pk, worker="w1")  # type: ignore[assignment]
    monkeypatch.undo()
    assert job.status == JobStatus.FAILED
    assert job.position == 60 and job.accepted == 60
    assert "Stopped after 60 entries" in job.errors[0]
    assert Mention.objects.count() == 60

    with django_capture_on_commit_callbacks(execute=True):
        job = services.retry_job(pr_staff, job)  # immediate task backend: runs on commit
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.position, job.accepted, job.duplicates) == (ROWS, ROWS, 0)
    assert Mention.objects.count() == ROWS
    assert Mention.objects.values("external_id").distinct().count() == ROWS


@pytest.mark.django_db
def test_running_a_finished_import_again_adds_nothing(social_source):
    first = process_job(file_job(social_source, csv_bytes()).pk, worker="w1")
    assert first.accepted == ROWS
    again = process_job(file_job(social_source, csv_bytes(), "lagi.csv").pk, worker="w2")
    assert (again.status, again.accepted, again.duplicates) == (JobStatus.DONE, 0, ROWS)
    assert Mention.objects.count() == ROWS


@pytest.mark.django_db
def test_a_file_with_bad_rows_keeps_the_good_ones_and_reports_the_rows(social_source):
    job = process_job(file_job(social_source, csv_bytes(30, bad_every=10)).pk, worker="w1")
    assert (job.accepted, job.rejected) == (27, 3)
    rows = sorted(job.rejections.values_list("position", flat=True))
    assert rows == [11, 21, 31]  # spreadsheet rows: the header is row 1
    assert all("empty" in r for r in job.rejections.values_list("reason", flat=True))


@pytest.mark.django_db
def test_an_unreadable_file_fails_with_the_reason(social_source):
    job = process_job(file_job(social_source, b"\x00\x01\x02 not a table", "x.csv").pk,
                      worker="w1")  # fmt: skip
    assert job.status == JobStatus.FAILED
    assert job.errors
    assert Mention.objects.count() == 0


@pytest.mark.django_db
def test_a_running_job_is_claimed_once_and_again_only_after_its_lease(social_source, settings):
    job = file_job(social_source, csv_bytes(5))
    assert claim_job(job.pk, "w1")
    assert not claim_job(job.pk, "w2")  # w1 holds a fresh lease
    settings.MONITORING_JOB_LEASE_SECONDS = 0
    assert claim_job(job.pk, "w2")  # w1 stopped reporting: taken over
    job.refresh_from_db()
    assert (job.claimed_by, job.attempts) == ("w2", 2)


@pytest.mark.django_db
def test_a_worker_that_lost_its_claim_writes_nothing(social_source, settings):
    settings.MONITORING_CHUNK_SIZE = 10
    job = file_job(social_source, csv_bytes(30))
    assert claim_job(job.pk, "old-worker")
    IngestJob.objects.filter(pk=job.pk).update(claimed_by="new-worker")
    from prima.monitoring.ingest import LostClaim, Pipeline, open_job_entries

    job.refresh_from_db()
    pipeline = Pipeline(job.source, job=job, worker="old-worker")
    with pytest.raises(LostClaim):
        pipeline.run(open_job_entries(job))
    assert Mention.objects.count() == 0


@pytest.mark.django_db
def test_cancelling_stops_a_queued_job(social_source, pr_staff):
    job = file_job(social_source, csv_bytes(5))
    services.cancel_job(pr_staff, job)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert process_job(job.pk, worker="w1") is None
    assert Mention.objects.count() == 0


# --- a real crash: the worker process dies in the middle of a chunk ------------------------

CRASHING_WORKER = textwrap.dedent("""
    import os, sys
    import django
    django.setup()
    from prima.monitoring import ingest
    from prima.monitoring.ingest.checkpoint import Checkpoint
    from prima.monitoring.ingest.store import Store

    committed = {"chunks": 0}
    save = Checkpoint.save
    side_tables = Store.write_side_tables

    def counting_save(self, *args, **kwargs):
        save(self, *args, **kwargs)
        committed["chunks"] += 1

    def dying_side_tables(self, *args, **kwargs):
        side_tables(self, *args, **kwargs)
        if committed["chunks"] == 3:
            os._exit(137)  # like SIGKILL: no cleanup, the open transaction is lost

    Checkpoint.save = counting_save
    Store.write_side_tables = dying_side_tables
    ingest.process_job(int(sys.argv[1]), worker="doomed")
""")


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_import_and_restarting_stores_every_row_once(
    social_source, settings, tmp_path
):
    settings.MONITORING_CHUNK_SIZE = 20
    job = file_job(social_source, csv_bytes())
    env = {
        **os.environ, "DATABASE_URL": _database_url(), "PRIMA_MONITORING_CHUNK_SIZE": "20",
        "PRIMA_MEDIA_ROOT": str(settings.MEDIA_ROOT), "DJANGO_SETTINGS_MODULE": "prima.settings",
        "PRIMA_LOG_LEVEL": "ERROR",
    }  # fmt: skip
    crashed = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", CRASHING_WORKER, str(job.pk)],
        env=env,
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crashed.returncode == 137, crashed.stderr[-2000:]
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # nobody marked it: the worker just vanished
    assert job.position == 60
    assert Mention.objects.count() == 60  # the fourth chunk was rolled back whole

    settings.MONITORING_JOB_LEASE_SECONDS = 0  # the dead worker's lease has run out
    done = process_job(job.pk, worker="replacement")
    assert done is not None and done.status == JobStatus.DONE
    assert (done.position, done.accepted, done.duplicates, done.rejected) == (ROWS, ROWS, 0, 0)
    assert Mention.objects.count() == ROWS
    assert Mention.objects.values("external_id").distinct().count() == ROWS


# --- several workers on PostgreSQL -----------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_job_process_it_once(social_source, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent writers)")
    settings.MONITORING_CHUNK_SIZE = 20
    job = file_job(social_source, csv_bytes())
    barrier = threading.Barrier(2)
    outcomes: list[object] = []
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes.append(process_job(job.pk, worker=name))
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(o is None for o in outcomes) == [False, True]  # one claimed, one stepped back
    job.refresh_from_db()
    assert (job.status, job.accepted, job.attempts) == (JobStatus.DONE, ROWS, 1)
    assert Mention.objects.count() == ROWS


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_rows_at_once_store_each_row_once(social_source, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent writers)")
    settings.MONITORING_CHUNK_SIZE = 15
    jobs = [file_job(social_source, csv_bytes(), f"copy{i}.csv") for i in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(job_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            process_job(job_id, worker=f"w{job_id}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(j.pk,)) for j in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert Mention.objects.count() == ROWS
    accepted = sum(IngestJob.objects.filter(pk__in=[j.pk for j in jobs])
                   .values_list("accepted", flat=True))  # fmt: skip
    assert accepted == ROWS
    from django.db.models import Sum

    from prima.monitoring.models import HourlyVolume

    assert HourlyVolume.objects.aggregate(n=Sum("mentions"))["n"] == ROWS

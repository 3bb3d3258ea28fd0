"""``prima ingest``, ``prima poll-feeds``: the console side of imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from prima.monitoring import fetch
from prima.monitoring.models import IngestJob, JobStatus, Mention, Source
from prima.organizations.models import AuditEntry

from .test_jobs import csv_bytes
from .test_tasks import FakeWeb, ok

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def export(tmp_path) -> Path:
    path = tmp_path / "ekspor.csv"
    path.write_bytes(csv_bytes(50, bad_every=25))
    return path


def test_ingest_imports_a_file_and_prints_the_report(soetta, export, capsys, pr_staff):
    call_command("ingest", str(export), "--office", "soetta", "--user", "rina", "--quiet")
    out = capsys.readouterr().out
    assert "Done" in out or "Selesai" in out
    assert "accepted          48" in out and "rejected           2" in out
    assert "row 26: the post text is empty" in out
    job = IngestJob.objects.get()
    assert (job.status, job.accepted, job.created_by) == (JobStatus.DONE, 48, pr_staff)
    assert job.source.name == "Impor berkas (CLI)"
    assert AuditEntry.objects.filter(action="import.start").count() == 1


def test_ingest_twice_adds_nothing(soetta, export, capsys, pr_staff):
    call_command("ingest", str(export), "--office", "soetta", "--user", "rina", "--quiet")
    call_command("ingest", str(export), "--office", "soetta", "--user", "rina", "--quiet")
    assert "duplicates        48" in capsys.readouterr().out
    assert Mention.objects.count() == 48


def test_ingest_shows_a_progress_bar(soetta, export, capsys, settings, pr_staff):
    settings.MONITORING_CHUNK_SIZE = 10
    call_command("ingest", str(export), "--office", "soetta", "--user", "rina")
    err = capsys.readouterr().err
    assert "entry" in err and "100%" in err


def test_ingest_refuses_oversized_files_with_the_limit(soetta, export, settings, pr_staff):
    settings.MONITORING_MAX_UPLOAD_BYTES = 100
    with pytest.raises(CommandError, match="files up to|paling besar"):
        call_command("ingest", str(export), "--office", "soetta", "--user", "rina", "--quiet")
    assert not IngestJob.objects.exists()


def test_ingest_needs_a_user_who_may_import_there(soetta, export, pr_staff, outsider):
    with pytest.raises(CommandError, match="--user"):
        call_command("ingest", str(export), "--office", "soetta", "--quiet")
    with pytest.raises(CommandError, match="no access"):
        call_command("ingest", str(export), "--office", "soetta", "--user", outsider.username,
                     "--quiet")  # fmt: skip
    assert not IngestJob.objects.exists()
    assert not AuditEntry.objects.filter(action="import.start").exists()


def test_ingest_with_a_named_source_and_preset(soetta, tmp_path, capsys, pr_staff):
    Source.objects.create(office=soetta, name="Ekspor X", kind="social_import")
    path = tmp_path / "x.json"
    path.write_bytes((FIXTURES / "twitter_v2.json").read_bytes())
    call_command("ingest", str(path), "--office", "soetta", "--source", "Ekspor X",
                 "--preset", "twitter_v2_json", "--user", "rina", "--quiet")  # fmt: skip
    job = IngestJob.objects.get()
    assert job.source.name == "Ekspor X" and job.accepted >= 1
    assert Mention.objects.filter(platform="twitter").exists()


def test_ingest_fetches_a_feed_url_once(soetta, monkeypatch, capsys, pr_staff):
    web = FakeWeb(monkeypatch)
    web.responses.append(ok())
    call_command("ingest", "https://berita.example.id/rss", "--kind", "feed", "--office",
                 "soetta", "--user", "rina", "--quiet")  # fmt: skip
    assert Mention.objects.count() == 3
    job = IngestJob.objects.get()
    assert (job.kind, job.created_by, job.source.is_active) == ("feed", pr_staff, False)
    assert list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)) == [
        "source.create",
        "import.start",
    ]


def test_ingest_fetches_article_pages(soetta, monkeypatch, capsys, pr_staff):
    web = FakeWeb(monkeypatch)
    page = (FIXTURES / "article_latin1.html").read_bytes()
    web.responses += [
        fetch.FetchResult(url="u", final_url="https://berita.example.id/a", status=200,
                          headers={"content-type": "text/html; charset=iso-8859-1"}, body=page),
    ]  # fmt: skip
    call_command("ingest", "https://berita.example.id/a", "--office", "soetta", "--user", "rina",
                 "--quiet")  # fmt: skip
    mention = Mention.objects.get()
    assert mention.kind == "article" and mention.text


def test_ingest_resumes_a_failed_job_through_the_audited_retry(
    social_source, settings, capsys, crash_after_chunks, monkeypatch, pr_staff
):
    from prima.monitoring.ingest import process_job

    from .test_jobs import file_job

    settings.MONITORING_CHUNK_SIZE = 20
    job = file_job(social_source, csv_bytes())
    crash_after_chunks(2)
    assert process_job(job.pk, worker="w").status == JobStatus.FAILED
    monkeypatch.undo()
    call_command("ingest", "--resume", str(job.pk), "--user", "rina", "--quiet")
    job.refresh_from_db()
    assert (job.status, job.accepted) == (JobStatus.DONE, 120)
    retry = AuditEntry.objects.get(action="import.retry")
    assert retry.actor == pr_staff
    assert retry.before["status"] == "failed" and retry.before["finished_at"] is not None
    assert retry.after["status"] == "queued" and retry.after["finished_at"] is None
    with pytest.raises(CommandError, match="nothing to resume"):
        call_command("ingest", "--resume", str(job.pk), "--user", "rina", "--quiet")


def test_command_and_page_make_the_same_job_and_audit_entries(
    social_source, pr_staff, tmp_path, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from prima.conftest import client_for
    from prima.monitoring.models import Mention

    data = csv_bytes(12, bad_every=5)
    client = client_for(pr_staff)
    upload = SimpleUploadedFile("ekspor.csv", data, content_type="text/csv")
    mapping_url = client.post(reverse("monitoring:import-list"),
                              {"file": upload, "source": social_source.pk})["Location"]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(mapping_url, {"preset": "generic_csv"})
    by_page = IngestJob.objects.get()
    Mention.objects.all().delete()  # the command imports the same rows again
    path = tmp_path / "ekspor.csv"
    path.write_bytes(data)
    call_command("ingest", str(path), "--source", str(social_source.pk), "--preset",
                 "generic_csv", "--user", "rina", "--quiet")  # fmt: skip
    by_command = IngestJob.objects.exclude(pk=by_page.pk).get()

    fields = ("office_id", "source_id", "kind", "filename", "file_size", "format", "mapping",
              "preset", "created_by_id", "status", "total", "accepted", "duplicates", "rejected",
              "errors", "warnings")  # fmt: skip
    assert [getattr(by_command, f) for f in fields] == [getattr(by_page, f) for f in fields]
    assert by_page.accepted == 10

    def entries(job):
        rows = AuditEntry.objects.filter(object_id=str(job.pk), object_type="monitoring.ingestjob")
        return [(e.action, e.actor_id, e.office_id,
                 {k: v for k, v in e.after.items() if k not in ("id", "file", "created_at")})
                for e in rows.order_by("seq")]  # fmt: skip

    assert entries(by_command) == entries(by_page)
    assert [e[0] for e in entries(by_page)] == ["import.start"]


def test_poll_feeds_polls_due_feeds_and_reports(feed_source, monkeypatch, capsys, settings):
    settings.MONITORING_RETENTION_DAYS = 100_000  # the fixture's items are from 2025
    web = FakeWeb(monkeypatch)
    web.responses.append(ok())
    call_command("poll_feeds")
    out = capsys.readouterr().out
    assert "Berita Bandara: ok" in out and "1 feed(s) polled" in out
    assert Mention.objects.count() == 3
    call_command("poll_feeds")  # not due again
    assert "0 feed(s) polled" in capsys.readouterr().out

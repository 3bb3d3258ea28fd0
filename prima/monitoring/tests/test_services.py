"""Staff actions: policy, validation and exactly one audit entry per change."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.http import Http404

from prima.monitoring import services
from prima.monitoring.ingest import ingest_items
from prima.monitoring.models import (
    HourlyVolume,
    IngestJob,
    JobStatus,
    Mention,
    SentimentCorrection,
    Source,
    SourceKind,
    WatchList,
)
from prima.organizations.models import AuditEntry

from .conftest import post

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


def test_correcting_a_sentiment_keeps_the_correction_and_moves_the_counts(push_source, pr_staff):
    ingest_items(push_source, [post(1)])
    mention = Mention.objects.get()
    assert mention.sentiment == "negative"
    correction = services.correct_sentiment(pr_staff, mention, "neutral")
    mention.refresh_from_db()
    assert (mention.sentiment, mention.sentiment_corrected) == ("neutral", True)
    assert (correction.previous, correction.label, correction.corrected_by) == (
        "negative",
        "neutral",
        pr_staff,
    )
    rolled = dict(HourlyVolume.objects.values_list("sentiment").annotate(n=Sum("mentions")))
    assert rolled == {"negative": 0, "neutral": 1}
    assert mention.issue is None or mention.issue.volumes.get().neutral == 1
    assert actions() == ["mention.correct_sentiment"]
    assert services.correct_sentiment(pr_staff, mention, "neutral") is None  # unchanged
    assert actions() == ["mention.correct_sentiment"]


def test_corrections_feed_the_next_training(push_source, pr_staff):
    corrections = pytest.importorskip("prima.monitoring.nlp.sentiment.corrections")
    load_corrections = corrections.load_corrections
    ingest_items(push_source, [post(1), post(2, "Great officers, thank you")])
    first, second = Mention.objects.order_by("external_id")
    services.correct_sentiment(pr_staff, first, "positive")
    services.correct_sentiment(pr_staff, second, "negative")
    rows = load_corrections()
    assert len(rows) == 2
    texts = {row[0] for row in rows}
    assert any("Antrean panjang" in t for t in texts)
    assert {(row[1], row[2]) for row in rows} == {("positive", "id"), ("negative", "en")}
    Mention.objects.all().delete()  # the retention purge: corrections survive
    assert len(load_corrections()) == 2


def test_correction_needs_the_right_and_outsiders_see_nothing(push_source, head, outsider):
    ingest_items(push_source, [post(1)])
    mention = Mention.objects.get()
    with pytest.raises(PermissionDenied):
        services.correct_sentiment(head, mention, "positive")
    with pytest.raises(Http404):
        services.correct_sentiment(outsider, mention, "positive")
    assert not SentimentCorrection.objects.exists() and not AuditEntry.objects.exists()


def test_watchlist_crud_is_audited_and_queries_are_validated(soetta, pr_staff):
    watchlist = services.create_watchlist(pr_staff, soetta, "Calo", "paspor AND calo")
    services.update_watchlist(pr_staff, watchlist, query="paspor AND (calo OR pungli)")
    with pytest.raises(ValidationError) as info:
        services.update_watchlist(pr_staff, watchlist, query="paspor AND (calo")
    message = info.value.messages[0]
    assert ("position" in message or "posisi" in message) and "^" in message
    with pytest.raises(ValidationError):
        services.create_watchlist(pr_staff, soetta, "Calo", "visa")  # same name
    services.delete_watchlist(pr_staff, watchlist)
    assert not WatchList.objects.exists()
    assert actions() == ["watchlist.create", "watchlist.update", "watchlist.delete"]


def test_creating_a_watchlist_tags_stored_mentions(
    push_source, pr_staff, django_capture_on_commit_callbacks
):
    ingest_items(push_source, [post(1, "Ada calo paspor di bandara"), post(2)])
    with django_capture_on_commit_callbacks(execute=True):
        watchlist = services.create_watchlist(pr_staff, push_source.office, "Calo", "calo")
    assert list(watchlist.mentions.values_list("external_id", flat=True)) == ["p1"]
    watchlist.refresh_from_db()
    assert watchlist.retagged_at is not None


def test_source_crud_is_audited(soetta, pr_staff, pr_lead):
    source = services.create_source(pr_staff, soetta, kind=SourceKind.RSS, name="Warta",
                                    url="https://warta.example.id/rss")  # fmt: skip
    services.update_source(pr_lead, source, poll_interval_minutes=60)
    with pytest.raises(ValidationError):
        services.create_source(pr_staff, soetta, kind=SourceKind.RSS, name="Tanpa alamat")
    services.delete_source(pr_staff, source)
    assert not Source.objects.filter(pk=source.pk).exists()
    assert actions() == ["source.create", "source.update", "source.delete"]


def test_an_import_source_is_found_by_name_or_created_once(soetta, pr_staff, social_source):
    assert services.source_for_import(pr_staff, soetta, " Ekspor X ") == social_source
    created = services.source_for_import(pr_staff, soetta, "Ekspor TikTok")
    assert created.kind == SourceKind.SOCIAL_IMPORT and created.created_by == pr_staff
    assert services.source_for_import(pr_staff, soetta, "Ekspor TikTok") == created
    assert actions() == ["source.create"]


def test_an_import_source_name_of_another_kind_is_refused(soetta, pr_staff, push_source):
    with pytest.raises(ValidationError, match="Push"):
        services.source_for_import(pr_staff, soetta, "Push")
    with pytest.raises(ValidationError):
        services.source_for_import(pr_staff, soetta, "  ")
    assert list(Source.objects.filter(name="Push")) == [push_source]


def test_only_import_roles_find_or_create_import_sources(soetta, head, outsider):
    with pytest.raises(PermissionDenied):
        services.source_for_import(head, soetta, "Ekspor baru")
    with pytest.raises(Http404):
        services.source_for_import(outsider, soetta, "Ekspor baru")
    assert not Source.objects.filter(name="Ekspor baru").exists()


def test_a_source_with_mentions_cannot_be_deleted(push_source, pr_staff):
    ingest_items(push_source, [post(1)])
    with pytest.raises(ValidationError):
        services.delete_source(pr_staff, push_source)


def test_clippings_are_stored_through_the_pipeline_and_audited(soetta, pr_staff):
    mention = services.add_clipping(
        pr_staff, soetta, outlet="Kompas (cetak)", platform="print",
        published_at=date(2025, 11, 19), title="Imigrasi Soetta tambah autogate",
        summary="Berita halaman 5 tentang penambahan autogate.", programme="Halaman 5",
    )  # fmt: skip
    assert (mention.kind, mention.platform, mention.programme) == ("manual", "print", "Halaman 5")
    assert mention.summary.startswith("Berita halaman 5")
    assert mention.published_at.date() == date(2025, 11, 19)
    with pytest.raises(ValidationError):  # the same clipping twice
        services.add_clipping(pr_staff, soetta, outlet="Kompas (cetak)", platform="print",
                              published_at=date(2025, 11, 19),
                              title="Imigrasi Soetta tambah autogate",
                              summary="Berita halaman 5 tentang penambahan autogate.",
                              programme="Halaman 5")  # fmt: skip
    assert actions() == ["mention.create_clipping"]


def test_a_file_import_is_stored_audited_and_run(
    social_source, pr_staff, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "ekspor.csv", b"id;text\n1;Antrean imigrasi panjang\n2;Paspor jadi\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_file_import(pr_staff, social_source, upload)
    job.refresh_from_db()
    assert (job.status, job.accepted, job.format, job.created_by) == (
        JobStatus.DONE,
        2,
        "csv",
        pr_staff,
    )
    assert job.file.name.endswith(".csv")
    assert actions() == ["import.start"]


def test_an_oversized_upload_is_refused_with_the_limit(social_source, pr_staff, settings):
    settings.MONITORING_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("big.csv", b"id;text\n" + b"1;x\n" * 500)
    with pytest.raises(ValidationError) as info:
        services.start_file_import(pr_staff, social_source, upload)
    assert info.value.code == "too_large"
    assert "1000" in info.value.messages[0] or "KB" in info.value.messages[0]
    assert not IngestJob.objects.exists() and not AuditEntry.objects.exists()


def test_a_file_that_is_no_table_is_refused(social_source, pr_staff):
    with pytest.raises(ValidationError):
        services.start_file_import(pr_staff, social_source,
                                   SimpleUploadedFile("x.csv", b""))  # fmt: skip


def test_presets_are_saved_per_office_and_used_by_imports(soetta, pr_staff, social_source):
    preset = services.save_preset(
        pr_staff, soetta, "Ekspor Brand24", {"fields": {"text": ["Isi"], "external_id": ["No"]}}
    )
    assert services.resolve_mapping(soetta, "Ekspor Brand24")["fields"]["text"] == ["Isi"]
    assert ("Ekspor Brand24", "Ekspor Brand24") in services.available_presets(soetta)
    with pytest.raises(ValidationError):
        services.save_preset(pr_staff, soetta, "tanpa teks", {"fields": {"title": ["Judul"]}})
    services.delete_preset(pr_staff, preset)
    assert actions() == ["import.save_preset", "import.delete_preset"]


def test_url_imports_are_queued_with_their_urls(soetta, pr_staff, monkeypatch):
    source = Source.objects.create(office=soetta, name="Artikel", kind=SourceKind.ARTICLE)
    monkeypatch.setattr("prima.monitoring.services._enqueue", lambda job, enqueue=True: None)
    job = services.start_url_import(pr_staff, source, "https://a.example/1\n\nhttps://a.example/1\n"
                                    "https://a.example/2")  # fmt: skip
    assert job.urls.splitlines() == ["https://a.example/1", "https://a.example/2"]
    assert job.total == 2
    with pytest.raises(ValidationError):
        services.start_url_import(pr_staff, source, "")


def test_only_import_roles_start_imports(social_source, head, outsider):
    upload = SimpleUploadedFile("e.csv", b"id;text\n1;x\n")
    with pytest.raises(PermissionDenied):
        services.start_file_import(head, social_source, upload)
    with pytest.raises(Http404):
        services.start_file_import(outsider, social_source, upload)

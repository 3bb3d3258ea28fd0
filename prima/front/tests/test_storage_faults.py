"""A full or read-only media folder, and changes refused after their file was stored:
a clear answer, no orphan rows, no orphan files (issue 14).

The storage seam is Django's default storage: the tests swap in a FileSystemStorage that
fails like a full disk (it writes part of the file, then ENOSPC) or a read-only mount
(EROFS). Running as root, a chmod would not stop writes, so the failure is simulated
at the storage, where PRIMA meets it.
"""

from __future__ import annotations

import errno
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prima.conferences import checklists, workflow
from prima.conferences.models import ChecklistItem, ConferenceType, EvidenceKind
from prima.conferences.workflow import parts
from prima.conftest import client_for
from prima.monitoring import services as monitoring
from prima.monitoring.models import IngestJob, Source, SourceKind
from prima.monitoring.views import PENDING_KEY
from prima.organizations import files
from prima.organizations.models import AuditEntry


class FullStorage(FileSystemStorage):
    """Writes the first bytes of a file, then the disk is full."""

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(content.read(4))
        raise OSError(errno.ENOSPC, "No space left on device")


class ReadOnlyStorage(FileSystemStorage):
    def _save(self, name, content):
        raise OSError(errno.EROFS, "Read-only file system")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _use(settings, storage: type) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.{storage.__name__}"},
    }


def _stored(media) -> list[str]:
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def _folders(media) -> list[str]:
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_dir())


@pytest.fixture
def item(offices, pr_staff) -> ChecklistItem:
    checklists.ensure_templates()
    conference = workflow.create_conference(
        pr_staff, office=offices["soetta"], type=ConferenceType.REGULAR, title="Rilis bulanan"
    )
    return conference.checklist_items.filter(evidence_kind=EvidenceKind.FILE).order_by("pk")[0]


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("Daftar hadir.pdf", b"%PDF-1.4\n% bukti kehadiran\n")


@pytest.mark.parametrize(
    ("storage", "words"),
    [(FullStorage, "penyimpanan berkas penuh"), (ReadOnlyStorage, "hanya dapat dibaca")],
)
def test_evidence_on_a_full_or_read_only_storage_is_refused_cleanly(
    settings, media, pr_staff, item, storage, words
):
    _use(settings, storage)
    entries = AuditEntry.objects.count()
    with pytest.raises(workflow.EvidenceError) as refused:
        workflow.complete_item(pr_staff, item, file=_pdf())
    assert words in refused.value.message and "Tidak ada yang diubah" in refused.value.message
    assert refused.value.field == "file"
    item.refresh_from_db()
    assert not item.is_done and not item.evidence_file
    assert AuditEntry.objects.count() == entries
    assert _stored(media) == []  # the partly written file is gone too


def test_the_page_answers_a_full_storage_with_the_form_and_its_message(
    settings, media, pr_staff, item
):
    _use(settings, FullStorage)
    url = reverse("conferences:checklist-complete", args=[item.conference_id, item.pk])
    response = client_for(pr_staff).post(
        url, {"file": _pdf(), "version": item.version}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code < 500
    assert "tempat penyimpanan berkas penuh" in response.content.decode()
    item.refresh_from_db()
    assert not item.is_done
    assert _stored(media) == []


def test_evidence_of_a_change_refused_after_storing_it_is_deleted(
    monkeypatch, media, pr_staff, item
):
    def conflict(*args, **kwargs):
        raise workflow.ConflictError()

    monkeypatch.setattr(parts, "_save_versioned", conflict)
    with pytest.raises(workflow.ConflictError):
        workflow.complete_item(pr_staff, item, file=_pdf())
    item.refresh_from_db()
    assert not item.is_done and not item.evidence_file
    assert _stored(media) == []
    # Not even the file's random folder (conferences/evidence/yyyy/mm/<token>) remains.
    assert not [f for f in _folders(media) if f.count("/") == 4]


def test_evidence_of_a_committed_change_stays(media, pr_staff, item):
    done = workflow.complete_item(pr_staff, item, file=_pdf())
    assert _stored(media) == [done.evidence_file.name]


def test_an_import_on_a_read_only_storage_is_refused_without_a_job(
    settings, media, offices, pr_staff
):
    source = Source.objects.create(
        office=offices["soetta"], name="Ekspor", kind=SourceKind.SOCIAL_IMPORT
    )
    _use(settings, ReadOnlyStorage)
    with pytest.raises(ValidationError, match="hanya dapat dibaca"):
        monitoring.start_file_import(
            pr_staff,
            source,
            ContentFile(b"text\nAntrean panjang\n", name="ekspor.csv"),
            mapping={"fields": {"text": ["text"]}},
            enqueue=False,
        )
    assert not IngestJob.objects.exists()
    assert _stored(media) == []


def test_an_import_whose_queueing_fails_leaves_no_file(monkeypatch, media, offices, pr_staff):
    source = Source.objects.create(
        office=offices["soetta"], name="Ekspor", kind=SourceKind.SOCIAL_IMPORT
    )

    def broken(*args, **kwargs):
        raise RuntimeError("queue unavailable")

    monkeypatch.setattr(monitoring, "_enqueue", broken)
    with pytest.raises(RuntimeError):
        monitoring.start_file_import(
            pr_staff,
            source,
            ContentFile(b"text\nAntrean panjang\n", name="ekspor.csv"),
            mapping={"fields": {"text": ["text"]}},
        )
    assert not IngestJob.objects.exists()
    assert _stored(media) == []


def test_an_upload_on_a_full_storage_gets_the_form_back_with_the_reason(
    settings, media, offices, pr_staff
):
    _use(settings, FullStorage)
    client = client_for(pr_staff)
    response = client.post(
        reverse("monitoring:import-list"),
        {
            "office": offices["soetta"].pk,
            "new_source": "Ekspor X",
            "file": SimpleUploadedFile("ekspor.csv", b"isi,suka\nAntrean panjang,3\n"),
        },
    )
    assert response.status_code == 200
    assert "tempat penyimpanan berkas penuh" in response.content.decode()
    assert not client.session.get(PENDING_KEY)
    assert _stored(media) == []


def test_files_are_stored_only_inside_the_transaction_of_the_change(media):
    with pytest.raises(RuntimeError, match="files.atomic"):
        files.save("x/a.txt", b"a")


def test_a_nested_block_hands_its_files_to_the_outer_one(db, media):
    with pytest.raises(ZeroDivisionError), files.atomic():
        with files.atomic():
            name = files.save(files.private_name("t", "a.txt"), b"isi")
        assert default_storage.exists(name)
        1 / 0
    assert _stored(media) == []


def test_a_feed_poll_on_a_full_storage_is_a_failed_poll_retried_later(
    settings, monkeypatch, media, offices
):
    from prima.monitoring import tasks as monitoring_tasks
    from prima.monitoring.sources.rss import transport as rss

    source = Source.objects.create(
        office=offices["soetta"], name="Warta", kind=SourceKind.RSS, url="https://warta.example.id/"
    )
    monkeypatch.setattr(rss, "fetch", lambda *a, **k: rss.FeedFetch(body=b"<rss/>" * 100))
    _use(settings, FullStorage)
    assert monitoring_tasks.poll_feed_now(source) is None
    source.refresh_from_db()
    assert "penuh" in source.last_error and source.failure_count == 1
    assert source.next_poll_at is not None  # polled again later
    assert not IngestJob.objects.exists()
    assert _stored(media) == []

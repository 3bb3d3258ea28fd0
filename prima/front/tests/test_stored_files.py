"""Stored files are private (probe, issue 7: without logging in, /media/conferences/
evidence/…, /media/monitoring/imports/… and /media/monitoring/pending/… answered 200 with
PRIMA_DEBUG on).

Every file under MEDIA_ROOT is stored under an unguessable name and downloaded only
through a view that applies the policy, with DEBUG on or off.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client, override_settings
from django.urls import get_resolver, reverse
from django.views.static import serve as static_serve

from prima.conferences import checklists, workflow
from prima.conferences.models import ConferenceType, EvidenceKind
from prima.conftest import client_for
from prima.monitoring.models import IngestJob, JobKind, JobStatus, Source, SourceKind
from prima.monitoring.views import PENDING_KEY
from prima.organizations import files

PRIVATE = re.compile(r"^[a-z/]+/\d{4}/\d{2}/[A-Za-z0-9_-]{20,}/[^/]+$")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def test_every_file_field_of_every_app_stores_under_an_unguessable_name():
    found = list(_file_fields())
    assert found, "no FileField found: the walker is broken"
    wrong = [
        f"{model._meta.label}.{field.name}"
        for model, field in found
        if not isinstance(field.upload_to, files.PrivateUploadTo)
    ]
    assert not wrong, f"use prima.organizations.files.PrivateUploadTo for: {wrong}"


def test_private_names_keep_the_original_name_behind_a_random_folder():
    one = files.private_name("conferences/evidence", "../../etc/Daftar hadir.pdf")
    two = files.private_name("conferences/evidence", "../../etc/Daftar hadir.pdf")
    assert one != two and PRIVATE.match(one), one
    assert one.endswith("/Daftar_hadir.pdf") and ".." not in one
    assert files.is_private_name(one, "conferences/evidence")
    assert not files.is_private_name("conferences/evidence/2025/11/x.pdf", "conferences/evidence")
    assert len(files.private_name("x", "a" * 300 + ".pdf").rsplit("/", 1)[1]) <= 100


def test_no_url_serves_the_media_folder():
    def views(patterns):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                yield from views(entry.url_patterns)
            else:
                yield entry.callback

    assert static_serve not in set(views(get_resolver().url_patterns))


@pytest.mark.parametrize("debug", [True, False])
def test_anonymous_visitors_get_no_stored_file(db, media, debug):
    names = [
        "conferences/evidence/2026/11/bukti.pdf",
        "monitoring/imports/2026/11/ekspor-medsos.csv",
        "monitoring/pending/0123456789abcdef0123456789abcdef.csv",
        files.private_name("conferences/evidence", "bukti.pdf"),
    ]
    for name in names:
        default_storage.save(name, ContentFile(b"%PDF-1.4 rahasia"))
    with override_settings(DEBUG=debug):
        for name in names:
            response = Client().get(f"/media/{name}")
            assert response.status_code == 404, name
            assert b"rahasia" not in response.content


@pytest.fixture
def evidence(offices, pr_staff):
    checklists.ensure_templates()
    conference = workflow.create_conference(
        pr_staff, office=offices["soetta"], type=ConferenceType.REGULAR, title="Rilis bulanan"
    )
    item = conference.checklist_items.filter(evidence_kind=EvidenceKind.FILE).first()
    upload = SimpleUploadedFile("Daftar hadir.pdf", b"%PDF-1.4\n% bukti\n")
    return workflow.complete_item(pr_staff, item, file=upload)  # type: ignore[arg-type]


def test_evidence_is_stored_privately_and_downloaded_through_the_policy(personas, evidence):
    assert PRIVATE.match(evidence.evidence_file.name), evidence.evidence_file.name
    url = reverse("conferences:checklist-evidence", args=[evidence.conference_id, evidence.pk])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))  # type: ignore[attr-defined]
    assert client_for(personas["outsider"]).get(url).status_code == 404
    for persona in ("pr_staff", "spokesperson", "head", "regional_supervisor"):
        response = client_for(personas[persona]).get(url)
        assert response.status_code == 200, persona
        assert response["Content-Disposition"] == 'attachment; filename="Daftar_hadir.pdf"'
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")  # type: ignore[attr-defined]
    # The old public address of the file answers nothing.
    assert Client().get(f"/media/{evidence.evidence_file.name}").status_code == 404


def test_import_files_are_stored_privately(offices, pr_staff):
    source = Source.objects.create(
        office=offices["soetta"], name="Ekspor", kind=SourceKind.SOCIAL_IMPORT
    )
    job = IngestJob(
        office=offices["soetta"], source=source, kind=JobKind.FILE, status=JobStatus.DONE
    )
    job.file.save("ekspor medsos.csv", ContentFile(b"isi\n"), save=True)
    assert PRIVATE.match(job.file.name), job.file.name
    response = client_for(pr_staff).get(reverse("monitoring:import-file", args=[job.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="ekspor_medsos.csv"'


def test_pending_uploads_are_stored_privately(offices, pr_staff):
    client = client_for(pr_staff)
    upload = SimpleUploadedFile("ekspor.csv", b"isi,suka\nAntrean panjang,3\n")
    response = client.post(
        reverse("monitoring:import-list"),
        {"office": offices["soetta"].pk, "new_source": "Ekspor X", "file": upload},
    )
    assert response.status_code == 302, response.content[:500]
    (pending,) = client.session[PENDING_KEY].values()
    assert PRIVATE.match(pending["path"]), pending["path"]


def test_html_and_svg_are_never_served_as_such(db, media):
    item = ContentFile(b"<script>alert(1)</script>", name="x")
    name = default_storage.save(files.private_name("t", "halaman.html"), item)
    field = models.FileField().attr_class(None, models.FileField(name="f"), name)  # type: ignore[attr-defined]
    field.storage = default_storage
    response = files.serve(field)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")

"""A small public world for the portal tests: what must be public and what must not.

Soekarno-Hatta publishes one service (a draft-only one stays hidden), one release from an
approved statement (published), a prepared release that is not published, a withdrawn
statement, a published release of an exercise (forced into the database, to prove the
public query refuses it), a published story and a draft story, and announces one real and
one exercise conference. Its crisis team published one hoax clarification (with an English
version); another one waits for approval, one is a draft, one was withdrawn and one comes
from an exercise case: only the first is public.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from prima.catalogue import services as catalogue
from prima.catalogue.tests.helpers import content, fees, published_service
from prima.conferences.models import (
    Conference,
    ConferenceType,
    Material,
    MaterialKind,
    MaterialState,
    MaterialVersion,
)
from prima.crisis import cases, clarifications
from prima.documents.models import GeneratedDocument, GenerationStatus
from prima.organizations import files
from prima.portal import services
from prima.portal.models import Announcement, Publication, PublicationState


def _conference(office, title, *, exercise=False, scheduled=None, author=None, approver=None):
    conference = Conference.objects.create(
        office=office, type=ConferenceType.REGULAR, title=title, is_exercise=exercise,
        scheduled_at=scheduled, venue="Ruang Konferensi Pers Terminal 3",
    )  # fmt: skip
    material = Material.objects.create(
        conference=conference, kind=MaterialKind.STATEMENT, state=MaterialState.APPROVED
    )
    version = MaterialVersion.objects.create(
        material=material, number=1, title="Siaran Pers", author=author,
        body=f"{title}.\n\nKantor Imigrasi menyampaikan keterangan resmi.",
        approved_by=approver, approved_at=timezone.now(),
    )  # fmt: skip
    material.current = version
    material.save()
    return conference, version


def generated(
    version: MaterialVersion,
    *,
    fmt: str = "pdf",
    language: str = "id",
    status: str = GenerationStatus.DONE,
    number: int | None = None,
    kind: str = "press_release",
    made: dict[str, Any] | None = None,
) -> GeneratedDocument:
    """A stored generated document of ``version``'s conference (made from ``number``,
    default the version's own), without rendering anything."""
    conference = version.material.conference
    data = f"%PDF-1.7 {conference.title} v{version.number} {fmt} {language}".encode()
    made = made if made is not None else {version.material.kind: number or version.number}
    doc = GeneratedDocument(
        office=conference.office, kind=kind, conference=conference, format=fmt,
        language=language, source_versions=made, status=status, title=conference.title,
    )  # fmt: skip
    if status == GenerationStatus.DONE:
        with files.atomic():
            files.store(doc.file, f"siaran.{fmt}", data)
            doc.sha256, doc.size = hashlib.sha256(data).hexdigest(), len(data)
            doc.finished_at = timezone.now()
            doc.save()
    else:
        doc.save()
    return doc


def _claim(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "claim": "Mulai bulan depan setiap penumpang membayar Rp500.000 di pemeriksaan imigrasi.",
        "facts": "Pemeriksaan keimigrasian di bandara tidak dipungut biaya.\n\n"
        "Laporkan pungutan di luar ketentuan.",
    }


def _clarification(case, writer, publisher, title, **english):
    item = clarifications.create(writer, case, **_claim(title), **english)
    clarifications.submit(writer, item)
    return clarifications.publish(
        publisher, item, channels=[{"channel": "website", "url": "https://example.org/k/1"},
                                   {"channel": "whatsapp"}],
    )  # fmt: skip


@pytest.fixture
def world(personas, offices, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    office = offices["soetta"]
    staff, lead, head = personas["pr_staff"], personas["pr_lead"], personas["head"]
    service = published_service(staff, lead, office, effective_from=date(2019, 5, 3),
                                amounts=(300_000,), change_note="Tarif lama")  # fmt: skip
    draft = catalogue.start_draft(staff, service.service)
    values, _fees = catalogue.version_content(draft)
    values.update(effective_from=date(2024, 12, 17), change_note="Tarif baru")
    draft = catalogue.update_draft(staff, draft, content=values, fees=fees(350_000, 650_000))
    catalogue.submit(staff, draft)
    current = catalogue.publish(lead, draft)
    hidden_service = catalogue.create_service(
        staff, office, code="izin-rahasia", category="other",
        content=content(name="Layanan Draf Rahasia"), fees=fees(1),
    )  # fmt: skip
    soon = timezone.now() + timedelta(days=3)
    real, real_version = _conference(office, "Rilis Kinerja Oktober", scheduled=soon,
                                     author=staff, approver=head)  # fmt: skip
    _other, prepared_version = _conference(office, "Deportasi WNA Rahasia", author=staff,
                                           approver=head)  # fmt: skip
    _w, withdrawn_version = _conference(office, "Keterangan Ditarik", author=staff, approver=head)
    drill, drill_version = _conference(office, "Simulasi Krisis Latihan", exercise=True,
                                       scheduled=soon, author=staff, approver=head)  # fmt: skip
    release = services.publish(lead, services.prepare_release(staff, real_version))
    release_pdf = generated(real_version)
    # Files of publications that are not public: never served.
    hidden_pdfs = {
        "prepared": generated(prepared_version),
        "withdrawn": generated(withdrawn_version),
        "exercise": generated(drill_version),
    }
    prepared = services.prepare_release(staff, prepared_version)
    withdrawn = services.publish(lead, services.prepare_release(staff, withdrawn_version))
    services.withdraw(lead, withdrawn, "Data keliru")
    # An exercise never gets through prepare_release; put one straight into the database.
    exercise = Publication.objects.create(
        office=office, kind="release", slug="latihan", title="Siaran Latihan Krisis",
        material_version=drill_version, state=PublicationState.PUBLISHED,
        published_at=timezone.now(), created_by=staff,
    )  # fmt: skip
    story = services.publish(head, services.prepare_story(
        staff, office, title="Paspor lansia ditemukan", lead="Kabar baik.",
        body="Petugas menemukan paspor yang tertinggal dalam dua puluh menit.",
    ))  # fmt: skip
    draft_story = services.prepare_story(
        staff, office, title="Draf cerita internal", lead="",
        body="Cerita yang belum boleh terbit di portal publik.",
    )  # fmt: skip
    announced = services.announce(staff, real, title="Konferensi pers kinerja Oktober")
    drill_announcement = Announcement.objects.create(
        office=office, conference=drill, title="Latihan rahasia", created_by=staff
    )
    hoax = cases.open_case(staff, office, title="Hoaks biaya pemeriksaan")
    clarification = _clarification(
        hoax, staff, lead, "Tidak ada biaya pemeriksaan imigrasi",
        title_en="No fee at the immigration check",
        claim_en="From next month every passenger pays Rp500,000 at the immigration check.",
        facts_en="The immigration check at the airport is free of charge.",
    )  # fmt: skip
    waiting = clarifications.create(staff, hoax, **_claim("Klarifikasi menunggu persetujuan"))
    clarifications.submit(staff, waiting)
    draft_clarification = clarifications.create(staff, hoax, **_claim("Klarifikasi draf rahasia"))
    withdrawn_clarification = _clarification(hoax, staff, lead, "Klarifikasi ditarik")
    clarifications.withdraw(lead, withdrawn_clarification, reason="Data keliru")
    drill_case = cases.open_case(staff, office, title="Latihan hoaks", is_exercise=True)
    drill_clarification = _clarification(drill_case, staff, lead, "Klarifikasi latihan")
    return {
        "office": office,
        "clarification": clarification,
        "waiting_clarification": waiting,
        "draft_clarification": draft_clarification,
        "withdrawn_clarification": withdrawn_clarification,
        "drill_clarification": drill_clarification,
        "service": service.service,
        "current": current,
        "hidden_service": hidden_service.service,
        "release": release,
        "release_pdf": release_pdf,
        "hidden_pdfs": hidden_pdfs,
        "prepared": prepared,
        "withdrawn": withdrawn,
        "exercise": exercise,
        "story": story,
        "draft_story": draft_story,
        "announced": announced,
        "drill_announcement": drill_announcement,
    }


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Rendered pages kept by an earlier test must not answer for this one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

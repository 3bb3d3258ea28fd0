"""A small public world for the portal tests: what must be public and what must not.

Soekarno-Hatta publishes one service (a draft-only one stays hidden), one release from an
approved statement (published), a prepared release that is not published, a withdrawn
statement, a published release of an exercise (forced into the database, to prove the
public query refuses it), a published story and a draft story, and announces one real and
one exercise conference.
"""

from __future__ import annotations

from datetime import date, timedelta

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


@pytest.fixture
def world(personas, offices):
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
    return {
        "office": office,
        "service": service.service,
        "current": current,
        "hidden_service": hidden_service.service,
        "release": release,
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

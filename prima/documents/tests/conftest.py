"""Fixtures for documents tests: a conference of Soekarno-Hatta on Wednesday 19 November
2025, 10.00 WIB, with Sri appointed, and the office's published passport catalogue."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import translation

from prima.catalogue import services as catalogue
from prima.catalogue.tests.helpers import content
from prima.conferences import checklists, workflow
from prima.conferences.models import Appointment, ConferenceType, Topic
from prima.conferences.tests.helpers import NOW, registry_entry


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def passports(offices, pr_staff, pr_lead):
    """Paspor biasa: Rp 350.000 (5 years) / Rp 650.000 (10 years), 4 working days."""
    version = catalogue.create_service(
        pr_staff,
        offices["soetta"],
        code="paspor-biasa",
        category="passport",
        content=content(),
        fees=[
            {"code": "biasa-5", "label": "Paspor biasa, masa berlaku 5 tahun", "amount": 350_000},
            {"code": "biasa-10", "label": "Paspor biasa, masa berlaku 10 tahun", "amount": 650_000},
        ],
    )
    catalogue.submit(pr_staff, version)
    return catalogue.publish(pr_lead, version)


@pytest.fixture
def conference(db, offices, pr_staff, passports):
    checklists.ensure_templates()
    conference = workflow.create_conference(
        pr_staff,
        office=offices["soetta"],
        type=ConferenceType.REGULAR,
        title="Layanan paspor menjelang libur akhir tahun",
        topic=Topic.SERVICES,
        scheduled_at=datetime(2025, 11, 19, 3, 0, tzinfo=UTC),
        now=NOW,
    )
    return conference


@pytest.fixture
def sri(offices, spokesperson, conference):
    entry = registry_entry(offices["soetta"], spokesperson)
    entry.position = "Kepala Bidang Lalu Lintas Keimigrasian"
    entry.save()
    Appointment.objects.create(conference=conference, spokesperson=entry, appointed_by=spokesperson)
    return entry

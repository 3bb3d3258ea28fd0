"""The catalogue in the admin site, and its demo data."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from prima.catalogue import services
from prima.catalogue.models import Service, ServiceVersion, VersionState
from prima.conftest import client_for

from .helpers import new_version, published_service

pytestmark = pytest.mark.django_db


def test_administrators_see_the_catalogue_read_only(personas, offices):
    v1 = published_service(personas["pr_staff"], personas["pr_lead"], offices["soetta"])
    admin = client_for(personas["administrator"])
    assert admin.get(reverse("admin:catalogue_service_changelist")).status_code == 200
    page = admin.get(reverse("admin:catalogue_serviceversion_change", args=[v1.pk]))
    assert page.status_code == 200 and "Rp" not in page.content.decode()[:0]
    assert admin.get(reverse("admin:catalogue_serviceversion_add")).status_code == 403


def test_the_admin_action_publishes_through_the_same_rules(personas, offices):
    v1 = published_service(personas["pr_staff"], personas["pr_lead"], offices["soetta"],
                           effective_from=date(2020, 1, 1))  # fmt: skip
    draft = new_version(personas["pr_staff"], None, v1)
    # The administrator holds no service.approve: refused, nothing published.
    response = client_for(personas["administrator"]).post(
        reverse("admin:catalogue_serviceversion_changelist"),
        {"action": "publish_versions", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.state == VersionState.SUBMITTED


def test_the_demo_catalogue_shows_every_state(db):
    from prima.catalogue.demo import load_catalogue
    from prima.organizations.demo import load_organizations

    load_organizations(lambda _m: None)
    load_catalogue(lambda _m: None)
    load_catalogue(lambda _m: None)  # a second run adds nothing
    states = set(ServiceVersion.objects.values_list("state", flat=True))
    assert states == {"published", "submitted", "returned"}
    assert Service.objects.count() == 6
    assert all(ServiceVersion.objects.values_list("is_example", flat=True))
    office = Service.objects.first().office
    facts = {f.code: f for f in services.facts_for(office, date(2025, 6, 1))}
    assert facts["paspor-biasa"].fee("biasa-10-tahun").text == "Rp 650.000"
    assert facts["paspor-biasa"].duration.text() == "4 (empat) hari kerja"
    old = {f.code: f for f in services.facts_for(office, date(2024, 6, 1))}
    assert old["paspor-biasa"].fee("biasa-10-tahun") is None
    older = {f.code: f for f in services.facts_for(office, date(2021, 6, 1))}
    assert older["perpanjangan-izin-tinggal-kunjungan"].fee("itk-60-hari").text == "Rp 2.000.000"

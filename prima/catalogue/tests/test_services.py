"""Versioning and four-eyes publishing of the service catalogue (both databases)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from prima.catalogue import services
from prima.catalogue.models import ServiceVersion, VersionState
from prima.organizations.models import AuditEntry

from .helpers import content, fees, new_version, published_service

pytestmark = pytest.mark.django_db


def test_a_new_service_starts_as_a_draft_that_the_public_does_not_see(pr_staff, offices):
    version = services.create_service(
        pr_staff, offices["soetta"], code="Paspor Biasa", category="passport",
        content=content(), fees=fees(),
    )  # fmt: skip
    assert version.state == VersionState.DRAFT
    assert version.service.code == "paspor-biasa"
    assert services.published_services(offices["soetta"], date(2025, 1, 1)) == []
    assert services.facts_for(offices["soetta"], date(2025, 1, 1)) == []


def test_it_refuses_self_approval(pr_lead, offices):
    version = services.create_service(
        pr_lead, offices["soetta"], code="x", category="visa", content=content(), fees=fees()
    )
    services.submit(pr_lead, version)
    with pytest.raises(services.FourEyesError):
        services.publish(pr_lead, version)
    version.refresh_from_db()
    assert version.state == VersionState.SUBMITTED


def test_anyone_who_edited_a_draft_cannot_approve_it(pr_staff, pr_lead, head, offices):
    version = services.create_service(
        pr_staff, offices["soetta"], code="x", category="visa", content=content(), fees=fees()
    )
    services.update_draft(pr_lead, version, content=content(name="Diubah"), fees=fees())
    services.submit(pr_staff, version)
    with pytest.raises(services.FourEyesError):
        services.publish(pr_lead, version)
    published = services.publish(head, version)
    assert published.state == VersionState.PUBLISHED
    assert published.published_by == head


def test_only_approvers_publish_and_outsiders_get_404(pr_staff, pr_staff2, outsider, offices):
    version = services.create_service(
        pr_staff, offices["soetta"], code="x", category="visa", content=content(), fees=fees()
    )
    services.submit(pr_staff, version)
    with pytest.raises(PermissionDenied):
        services.publish(pr_staff2, version)
    with pytest.raises(Http404):
        services.publish(outsider, version)
    with pytest.raises(Http404):
        services.create_service(
            outsider, offices["soetta"], code="y", category="visa", content=content(),
            fees=fees(),
        )  # fmt: skip


def test_only_a_submitted_version_can_be_published(pr_staff, pr_lead, offices):
    version = services.create_service(
        pr_staff, offices["soetta"], code="x", category="visa", content=content(), fees=fees()
    )
    with pytest.raises(services.InvalidState):
        services.publish(pr_lead, version)


def test_the_version_in_force_follows_the_effective_dates(pr_staff, pr_lead, offices):
    v1 = published_service(pr_staff, pr_lead, offices["soetta"], effective_from=date(2019, 5, 3),
                           amounts=(350_000,))  # fmt: skip
    v2 = new_version(pr_staff, pr_lead, v1, effective_from=date(2024, 12, 17),
                     amounts=(350_000, 650_000))  # fmt: skip
    service = v1.service
    assert services.version_in_force(service, date(2019, 5, 2)) is None
    assert services.version_in_force(service, date(2019, 5, 3)) == v1
    assert services.version_in_force(service, date(2024, 12, 16)) == v1
    assert services.version_in_force(service, date(2024, 12, 17)) == v2
    old = services.facts_for(offices["soetta"], date(2020, 1, 1))
    new = services.facts_for(offices["soetta"], date(2025, 1, 1))
    assert [f.amount for f in old[0].fees] == [Decimal(350_000)]
    assert old[0].effective_until == date(2024, 12, 16)
    assert [f.text for f in new[0].fees] == ["Rp 350.000", "Rp 650.000"]
    assert new[0].effective_until is None


def test_a_published_version_is_never_edited(pr_staff, pr_lead, offices):
    v1 = published_service(pr_staff, pr_lead, offices["soetta"])
    with pytest.raises(services.InvalidState):
        services.update_draft(pr_staff, v1, content=content(name="Baru"), fees=fees())
    v1.refresh_from_db()
    assert v1.name == "Paspor Biasa"


def test_one_open_version_per_service(pr_staff, pr_staff2, pr_lead, offices):
    v1 = published_service(pr_staff, pr_lead, offices["soetta"])
    services.start_draft(pr_staff, v1.service)
    with pytest.raises(services.InvalidState):
        services.start_draft(pr_staff2, v1.service)


def test_two_published_versions_never_start_on_the_same_day(pr_staff, pr_lead, offices):
    v1 = published_service(pr_staff, pr_lead, offices["soetta"])
    draft = new_version(pr_staff, None, v1, effective_from=v1.effective_from)
    with pytest.raises(services.CatalogueError) as refused:
        services.publish(pr_lead, draft)
    assert refused.value.field == "effective_from"


def test_a_stale_revision_is_refused(pr_staff, pr_staff2, offices):
    version = services.create_service(
        pr_staff, offices["soetta"], code="x", category="visa", content=content(), fees=fees()
    )
    stale = version.revision
    services.update_draft(pr_staff2, version, content=content(name="A"), fees=fees())
    with pytest.raises(services.ConflictError):
        services.update_draft(pr_staff, version, content=content(name="B"), fees=fees(),
                              revision=stale)  # fmt: skip


def test_returning_needs_a_reason_and_reopens_the_draft(pr_staff, pr_lead, offices):
    version = services.create_service(
        pr_staff, offices["soetta"], code="x", category="visa", content=content(), fees=fees()
    )
    services.submit(pr_staff, version)
    with pytest.raises(services.CatalogueError):
        services.return_version(pr_lead, version, "  ")
    returned = services.return_version(pr_lead, version, "Cek dasar hukum")
    assert returned.state == VersionState.RETURNED
    edited = services.update_draft(pr_staff, returned, content=content(), fees=fees())
    assert edited.state == VersionState.DRAFT


def test_every_change_is_audited(pr_staff, pr_lead, offices):
    v1 = published_service(pr_staff, pr_lead, offices["soetta"])
    actions = list(
        AuditEntry.objects.filter(object_type="catalogue.serviceversion", object_id=str(v1.pk))
        .order_by("seq")
        .values_list("action", "actor__username")
    )
    assert actions == [
        ("service_version.create", "rina"),
        ("service_version.submit", "rina"),
        ("service_version.publish", "andi"),
    ]
    created = AuditEntry.objects.get(action="service_version.create", object_id=str(v1.pk))
    assert created.after["fees"][0]["amount"] == "350000.00"
    assert AuditEntry.objects.filter(action="service.create").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"requirements": []}, "requirements"),
        ({"procedure": "  \n "}, "procedure"),
        ({"duration_value": 0}, "duration_value"),
        ({"duration_unit": "weeks"}, "duration_unit"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"effective_from": "kemarin"}, "effective_from"),
        ({"complaint_channels": []}, "complaint_channels"),
    ],
)
def test_incomplete_content_is_refused_and_nothing_is_stored(pr_staff, offices, overrides, field):
    with pytest.raises(services.CatalogueError) as refused:
        services.create_service(
            pr_staff, offices["soetta"], code="x", category="visa",
            content=content(**overrides), fees=fees(),
        )  # fmt: skip
    assert refused.value.field == field
    assert not ServiceVersion.objects.exists()


@pytest.mark.parametrize(
    "fee",
    [
        {"label": "", "amount": 1},
        {"label": "A", "amount": "banyak"},
        {"label": "A", "amount": -5},
        {"label": "A", "amount": "350.000,50"},
        {"label": "A", "amount": 1, "currency": "rupiah"},
        {"label": "A", "amount": 1, "unit": "per-kilo"},
    ],
)
def test_bad_fees_are_refused(pr_staff, offices, fee):
    with pytest.raises(services.CatalogueError) as refused:
        services.create_service(
            pr_staff, offices["soetta"], code="x", category="visa", content=content(),
            fees=[fee],
        )  # fmt: skip
    assert refused.value.field == "fees"


@pytest.mark.parametrize(
    ("text", "amount"),
    [("350000", 350_000), ("350.000", 350_000), ("Rp 1.500.000", 1_500_000), ("35.5", "35.5"),
     ("1.500.000,50", "1500000.50")],
)  # fmt: skip
def test_amounts_are_read_as_people_type_them(text, amount):
    assert services.parse_amount(text) == Decimal(str(amount))


def test_a_free_service_and_a_foreign_currency_are_structured(pr_staff, pr_lead, offices):
    version = services.create_service(
        pr_staff, offices["soetta"], code="x", category="visa", content=content(),
        fees=[{"label": "Gratis", "amount": 0}, {"label": "VoA", "amount": "35", "currency": "usd",
                                                   "unit": "person"}],
    )  # fmt: skip
    services.submit(pr_staff, version)
    services.publish(pr_lead, version)
    facts = services.facts_for(offices["soetta"], date(2025, 1, 1))[0]
    assert [(f.text, f.currency, f.unit) for f in facts.fees] == [
        ("Rp 0", "IDR", "document"),
        ("USD 35", "USD", "person"),
    ]
    assert facts.duration.text("id") == "4 (empat) hari kerja"
    assert facts.duration.text("en") == "4 (four) working days"
    assert facts.fee("fee-1") is None and facts.fee("gratis") is not None


def test_history_marks_current_and_upcoming_versions(pr_staff, pr_lead, offices):
    v1 = published_service(pr_staff, pr_lead, offices["soetta"], effective_from=date(2020, 1, 1))
    today = services.office_today(offices["soetta"])
    v2 = new_version(pr_staff, pr_lead, v1, effective_from=today + timedelta(days=10))
    rows = services.history(v1.service)
    assert [(r.version, r.is_current, r.is_future) for r in rows] == [
        (v2, False, True),
        (v1, True, False),
    ]
    assert rows[1].effective_until == today + timedelta(days=9)
    assert services.version_in_force(v1.service) == v1


def test_fee_changes_between_versions(pr_staff, pr_lead, offices):
    v1 = published_service(pr_staff, pr_lead, offices["soetta"], amounts=(350_000, 650_000),
                           effective_from=date(2020, 1, 1))  # fmt: skip
    v2 = new_version(pr_staff, pr_lead, v1, amounts=(350_000, 700_000, 100_000))
    rows = services.fee_changes(v1, v2)
    assert [(r["code"], r["old"], r["new"]) for r in rows] == [
        ("fee-2", "Rp 650.000", "Rp 700.000"),
        ("fee-3", "", "Rp 100.000"),
    ]


def test_facts_are_per_office(pr_staff, pr_lead, outsider, offices):
    published_service(pr_staff, pr_lead, offices["soetta"])
    assert services.facts_for(offices["jakpus"], date(2025, 1, 1)) == []
    facts = services.facts_for(offices["soetta"], date(2025, 1, 1))
    assert facts[0].office_code == "soetta" and facts[0].name == "Paspor Biasa"


def test_discarding_keeps_the_version_out_of_the_public_facts(pr_staff, pr_lead, offices):
    v1 = published_service(pr_staff, pr_lead, offices["soetta"], effective_from=date(2020, 1, 1))
    draft = new_version(pr_staff, None, v1, amounts=(1,), effective_from=date(2021, 1, 1))
    services.discard(pr_staff, draft)
    facts = services.facts_for(offices["soetta"], date(2025, 1, 1))
    assert facts[0].version_id == v1.pk
    assert services.start_draft(pr_staff, v1.service).number == 3

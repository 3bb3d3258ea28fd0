"""Retention of media contacts (UU No. 27/2022): a journalist's phone and e-mail go when
nobody has used them for ``PDP_MEDIA_CONTACT_DAYS``; past invitations keep the name and
outlet they need."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from prima.conferences.models import Invitation, MediaContact
from prima.conferences.retention import apply_media_contacts
from prima.organizations import audit
from prima.organizations.models import AuditEntry
from prima.organizations.privacy.retention import run_retention

pytestmark = pytest.mark.django_db


def _contact(office, name: str, *, last_contact_days: int | None, **extra) -> MediaContact:
    contact = MediaContact.objects.create(
        office=office,
        outlet="Kompas",
        journalist=name,
        phone="0812-1000-2002",
        email=f"{name.split()[0].lower()}@redaksi.example.id",
        notes="Lebih suka dihubungi lewat WhatsApp",
        **extra,
    )
    if last_contact_days is not None:
        MediaContact.objects.filter(pk=contact.pk).update(
            last_contact_on=(timezone.now() - timedelta(days=last_contact_days)).date()
        )
    return contact


@pytest.fixture
def contacts(offices, conference, pr_staff, settings):
    settings.PDP_MEDIA_CONTACT_DAYS = 730
    office = offices["soetta"]
    old = _contact(office, "Dewi Lestari", last_contact_days=800)
    old_invited = _contact(office, "Agus Salim", last_contact_days=800)
    recent = _contact(office, "Rudi Hartono", last_contact_days=10)
    never = _contact(office, "Sari Utami", last_contact_days=None)
    MediaContact.objects.filter(pk=never.pk).update(updated_at=timezone.now() - timedelta(days=900))
    Invitation.objects.create(
        conference=conference,
        contact=old_invited,
        invited_by=pr_staff,
        invited_at=timezone.now() - timedelta(days=800),
    )
    return {"old": old, "old_invited": old_invited, "recent": recent, "never": never}


def test_unused_contacts_are_deleted_or_reduced_to_name_and_outlet(contacts):
    assert apply_media_contacts(timezone.now() - timedelta(days=730)) == 3
    remaining = {c.journalist: c for c in MediaContact.objects.all()}
    assert set(remaining) == {"Agus Salim", "Rudi Hartono"}
    agus = remaining["Agus Salim"]
    assert (agus.phone, agus.email, agus.notes, agus.is_active) == ("", "", "", False)
    assert agus.outlet == "Kompas"
    assert Invitation.objects.filter(contact=agus).exists()  # the conference record stays
    assert remaining["Rudi Hartono"].phone == "0812-1000-2002"


def test_a_recent_invitation_counts_as_use(contacts, conference, pr_staff):
    Invitation.objects.filter(contact=contacts["old_invited"]).update(invited_at=timezone.now())
    apply_media_contacts(timezone.now() - timedelta(days=730))
    assert MediaContact.objects.get(pk=contacts["old_invited"].pk).phone == "0812-1000-2002"


def test_a_dry_run_only_counts(contacts):
    assert apply_media_contacts(timezone.now() - timedelta(days=730), dry_run=True) == 3
    assert MediaContact.objects.count() == 4


def test_each_removal_is_audited_without_the_removed_values(contacts):
    apply_media_contacts(timezone.now() - timedelta(days=730))
    actions = sorted(
        AuditEntry.objects.filter(action__startswith="mediacontact.retention").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "mediacontact.retention_delete",
        "mediacontact.retention_delete",
        "mediacontact.retention_erase",
    ]
    for entry in AuditEntry.objects.filter(action__startswith="mediacontact.retention"):
        assert "0812" not in str(entry.after) and "redaksi" not in str(entry.after)
    assert audit.verify() == []


def test_a_second_run_removes_nothing_more(contacts):
    limit = timezone.now() - timedelta(days=730)
    apply_media_contacts(limit)
    assert apply_media_contacts(limit) == 0


def test_the_retention_run_applies_the_declared_period(contacts, settings):
    settings.PDP_MEDIA_CONTACT_DAYS = 5
    report = run_retention()
    outcome = next(o for o in report.outcomes if o.label == "conferences.MediaContact")
    assert outcome.days == 5 and outcome.removed == 4

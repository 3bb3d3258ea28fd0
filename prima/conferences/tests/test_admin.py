"""The conference admin: policy-scoped, saving through the workflow (same rules, same
audit entries), checklist templates in use read-only."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from prima.conferences.models import ChecklistTemplate, Delegation, Spokesperson
from prima.conftest import client_for, make_person
from prima.organizations.models import AuditEntry, Role

from .helpers import A_YEAR_ON


@pytest.fixture
def regional_admin(offices):
    return make_person("admin.kanwil", offices["kanwil"], Role.ADMIN, full_name="Admin Kanwil")


def spokesperson_form(office, user, **changes):
    data = {
        "office": office.pk,
        "user": user.pk,
        "name": "",
        "position": "Kabid Lantaskim",
        "decree_number": "SK-77",
        "decree_date": "",
        "valid_from": "2025-01-01",
        "valid_until": A_YEAR_ON.isoformat(),
        "topics": ["general", "services"],
        "levels": ["1"],
        "last_media_training_on": "",
        "is_active": "on",
        "notes": "",
    }
    return data | changes


def test_the_registry_is_saved_through_the_workflow(administrator, offices, spokesperson):
    client = client_for(administrator)
    response = client.post(
        reverse("admin:conferences_spokesperson_add"),
        spokesperson_form(offices["soetta"], spokesperson),
    )
    assert response.status_code == 302, response.content
    entry = Spokesperson.objects.get()
    assert (entry.topics, entry.levels, entry.version) == (["general", "services"], [1], 1)
    assert AuditEntry.objects.filter(action="spokesperson.create").count() == 1
    response = client.post(
        reverse("admin:conferences_spokesperson_change", args=[entry.pk]),
        spokesperson_form(offices["soetta"], spokesperson, valid_until="2025-12-31"),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.valid_until, entry.version) == (date(2025, 12, 31), 2)
    assert AuditEntry.objects.get(action="spokesperson.update").after == {
        "valid_until": "2025-12-31",
        "version": 2,
    }


def test_the_registry_form_shows_workflow_refusals(administrator, offices, spokesperson):
    response = client_for(administrator).post(
        reverse("admin:conferences_spokesperson_add"),
        spokesperson_form(offices["soetta"], spokesperson, valid_until="2024-01-01"),
    )
    assert response.status_code == 200
    with translation.override("id"):
        assert _("The end of validity is before its start.") in response.content.decode()
    assert not Spokesperson.objects.exists()


def test_a_template_in_use_is_read_only(administrator, conference):
    template = conference.checklist_template
    client = client_for(administrator)
    url = reverse("admin:conferences_checklisttemplate_change", args=[template.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    response = client.post(
        reverse("admin:conferences_checklisttemplate_changelist"),
        {"action": "make_new_version", "_selected_action": [template.pk]},
    )
    assert response.status_code == 302
    copy = ChecklistTemplate.objects.get(
        version=template.version + 1, conference_type=template.conference_type
    )
    assert not copy.is_active and copy.items.count() == template.items.count()
    assert (
        b'name="_save"'
        in client.get(reverse("admin:conferences_checklisttemplate_change", args=[copy.pk])).content
    )


def test_national_templates_are_for_administrators_of_the_top_office(regional_admin, templates):
    client = client_for(regional_admin)
    page = client.get(reverse("admin:conferences_checklisttemplate_changelist"))
    assert page.status_code == 200
    national = ChecklistTemplate.objects.filter(office__isnull=True).first()
    assert national.name.encode() not in page.content


def test_delegations_are_granted_through_the_workflow(administrator, offices, pr_lead):
    client = client_for(administrator)
    response = client.post(
        reverse("admin:conferences_delegation_add"),
        {
            "office": offices["soetta"].pk,
            "delegate": pr_lead.pk,
            "right": "material.approve",
            "valid_from_0": "2025-11-19",
            "valid_from_1": "08:00",
            "valid_until_0": "2025-11-21",
            "valid_until_1": "17:00",
            "reason": "Dinas luar",
        },
    )
    assert response.status_code == 302, response.content
    delegation = Delegation.objects.get()
    assert delegation.granted_by == administrator
    assert AuditEntry.objects.filter(action="delegation.create").count() == 1
    response = client.post(
        reverse("admin:conferences_delegation_changelist"),
        {"action": "revoke", "_selected_action": [delegation.pk]},
    )
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


def test_the_admin_scope_follows_the_policy(regional_admin, offices, outsider):
    from prima.conferences import workflow

    bali = make_person("wayan", offices["kanwil_bali"], Role.PR_STAFF)
    bali_contact = workflow.save_media_contact(
        bali, office=offices["kanwil_bali"], outlet="Bali Post", journalist="Made"
    )
    jakpus_contact = workflow.save_media_contact(
        outsider, office=offices["jakpus"], outlet="Kompas", journalist="Dewi"
    )
    client = client_for(regional_admin)
    page = client.get(reverse("admin:conferences_mediacontact_changelist"))
    assert b"Dewi" in page.content and b"Bali Post" not in page.content
    assert (
        client.get(
            reverse("admin:conferences_mediacontact_change", args=[bali_contact.pk])
        ).status_code
        == 302
    )
    assert jakpus_contact.pk
    assert (
        client_for(outsider).get(reverse("admin:conferences_mediacontact_changelist")).status_code
        == 302
    )

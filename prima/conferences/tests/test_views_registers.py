"""Media relations pages: media contacts, the spokesperson registry and delegations, for
the people whose job they are (policy-scoped, audited through the workflow)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from prima.conferences.models import Delegation, MediaContact, Spokesperson
from prima.conftest import client_for, make_person
from prima.organizations.models import AuditEntry

from .helpers import registry_entry

PERSONAS = [
    "pr_staff",
    "pr_lead",
    "spokesperson",
    "head",
    "regional_supervisor",
    "outsider",
    "anonymous",
]


@pytest.fixture
def rows(personas, offices):
    contact = MediaContact.objects.create(
        office=offices["soetta"], outlet="Antara", journalist="Ahmad Fauzi", phone="0812"
    )
    entry = registry_entry(offices["soetta"], personas["spokesperson"])
    now = timezone.now()
    delegation = Delegation.objects.create(
        office=offices["soetta"],
        delegate=personas["pr_lead"],
        valid_from=now,
        valid_until=now + timedelta(days=3),
        granted_by=personas["head"],
    )
    return {"contact": contact.pk, "entry": entry.pk, "delegation": delegation.pk}


# name → (method, kwargs (row keys), {persona: expected status}, POST data)
OK = (200, 302, 400)
CASES: dict[str, tuple[str, dict, dict[str, tuple[int, ...]], dict]] = {
    "media-relations": (
        "get",
        {},
        {p: (302,) for p in PERSONAS if p != "anonymous"},
        {},
    ),
    "contact-list": (
        "get",
        {},
        {
            "pr_staff": OK,
            "pr_lead": OK,
            "head": OK,
            "regional_supervisor": OK,
            "outsider": OK,  # the contacts of their own office
            "spokesperson": (403,),
        },
        {},
    ),
    "contact-create": (
        "get",
        {},
        {
            "pr_staff": OK,
            "pr_lead": OK,
            "outsider": OK,
            "head": (403,),
            "regional_supervisor": (403,),
            "spokesperson": (403,),
        },
        {},
    ),
    "contact-edit": (
        "post",
        {"pk": "contact"},
        {
            "pr_staff": OK,
            "pr_lead": OK,
            "head": (403,),
            "regional_supervisor": (403,),
            "spokesperson": (404,),
            "outsider": (404,),
        },
        {"journalist": "Ahmad Fauzi", "outlet": "Antara", "media_type": "online"},
    ),
    "spokesperson-list": (
        "get",
        {},
        {p: OK for p in PERSONAS if p != "anonymous"},
        {},
    ),
    "spokesperson-create": (
        "get",
        {},
        {
            "pr_lead": OK,
            "head": OK,
            "pr_staff": (403,),
            "spokesperson": (403,),
            "regional_supervisor": (403,),
            "outsider": (403,),
        },
        {},
    ),
    "spokesperson-edit": (
        "post",
        {"pk": "entry"},
        {
            "pr_lead": OK,
            "head": OK,
            "pr_staff": (403,),
            "spokesperson": (403,),
            "regional_supervisor": (403,),
            "outsider": (404,),
        },
        {"decree_number": "SK-1", "valid_from": "01/01/2025", "topics": "general"},
    ),
    "delegation-list": (
        "get",
        {},
        {
            "pr_lead": OK,
            "head": OK,
            "regional_supervisor": OK,
            "pr_staff": (403,),
            "spokesperson": (403,),
            "outsider": (403,),
        },
        {},
    ),
    "delegation-revoke": (
        "post",
        {"pk": "delegation"},
        {
            "head": (302,),
            "pr_lead": (403,),
            "regional_supervisor": (403,),
            "pr_staff": (404,),
            "spokesperson": (404,),
            "outsider": (404,),
        },
        {},
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_register_page_access(name, personas, rows):
    method, kwargs, expected, data = CASES[name]
    url = reverse(f"conferences:{name}", kwargs={k: rows[v] for k, v in kwargs.items()})
    for persona in PERSONAS:
        client = client_for(personas.get(persona))
        with transaction.atomic():
            response = client.post(url, data) if method == "post" else client.get(url)
            transaction.set_rollback(True)
        if persona == "anonymous":
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("login")), name
        else:
            assert response.status_code in expected[persona], (name, persona, response.status_code)


def test_the_object_pages_can_be_read_by_those_who_may_not_change_them(personas, rows):
    contact_url = reverse("conferences:contact-edit", args=[rows["contact"]])
    for persona, status in [("head", 200), ("regional_supervisor", 200), ("outsider", 404)]:
        assert client_for(personas[persona]).get(contact_url).status_code == status, persona
    page = client_for(personas["head"]).get(contact_url).content.decode()
    assert 'data-testid="contact-form"' not in page and "Ahmad Fauzi" in page
    entry_url = reverse("conferences:spokesperson-edit", args=[rows["entry"]])
    assert client_for(personas["spokesperson"]).get(entry_url).status_code == 200
    assert client_for(personas["outsider"]).get(entry_url).status_code == 404


def test_pr_staff_add_and_change_a_journalist_audited(personas, offices):
    client = client_for(personas["pr_staff"])
    response = client.post(
        reverse("conferences:contact-create"),
        {
            "office": offices["soetta"].pk,
            "journalist": "Dewi Lestari",
            "outlet": "Kompas",
            "media_type": "print",
            "phone": "0812-1000-2002",
            "email": "dewi@redaksi.example.id",
            "last_contact_on": "05/12/2025",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    contact = MediaContact.objects.get(journalist="Dewi Lestari")
    assert contact.last_contact_on == date(2025, 12, 5)
    assert AuditEntry.objects.filter(action="mediacontact.create", object_id=contact.pk).exists()
    url = reverse("conferences:contact-edit", args=[contact.pk])
    form = client.get(url).content.decode()
    assert 'value="05/12/2025"' in form
    stale = client.post(
        url,
        {
            "version": contact.version + 5,
            "journalist": "Dewi L.",
            "outlet": "Kompas",
            "media_type": "print",
        },
    )
    assert stale.status_code == 409  # someone else changed it meanwhile
    response = client.post(
        url,
        {
            "version": contact.version,
            "journalist": "Dewi Lestari",
            "outlet": "Kompas",
            "media_type": "print",
            "beat": "transportasi dan bandara",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.beat == "transportasi dan bandara"
    assert AuditEntry.objects.filter(action="mediacontact.update", object_id=contact.pk).exists()


def test_the_registry_shows_validity_and_the_lead_adds_a_spokesperson(personas, offices):
    registry_entry(
        offices["soetta"],
        None,
        name="Rudi Hartono",
        valid_from=date(2020, 1, 1),
        valid_until=date(2021, 1, 1),
    )
    page = client_for(personas["pr_staff"]).get(reverse("conferences:spokesperson-list"))
    assert "kedaluwarsa" in page.content.decode()
    response = client_for(personas["pr_lead"]).post(
        reverse("conferences:spokesperson-create"),
        {
            "office": offices["soetta"].pk,
            "user": personas["head"].pk,
            "decree_number": "W.9.IMI.IMI.2-UM.01.01-0126",
            "valid_from": "01/01/2025",
            "topics": ["general", "services"],
            "levels": ["1", "2"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Spokesperson.objects.get(decree_number="W.9.IMI.IMI.2-UM.01.01-0126")
    assert person.topics == ["general", "services"] and person.valid_from == date(2025, 1, 1)
    assert AuditEntry.objects.filter(action="spokesperson.create", object_id=person.pk).exists()
    refused = client_for(personas["pr_lead"]).post(
        reverse("conferences:spokesperson-create"),
        {"office": offices["soetta"].pk, "name": "X", "decree_number": "1", "valid_from": ""},
    )
    assert refused.status_code == 400


def test_the_head_delegates_and_revokes_in_a_page(personas, offices):
    head, lead = personas["head"], personas["pr_lead"]
    client = client_for(head)
    page = client.get(reverse("conferences:delegation-list")).content.decode()
    assert 'data-testid="delegation-form"' in page
    response = client.post(
        reverse("conferences:delegation-list"),
        {
            "office": offices["soetta"].pk,
            "delegate": lead.pk,
            "right": "material.approve",
            "valid_from": "01/12/2025 08.00",
            "valid_until": "05/12/2025 17.00",
            "reason": "Kepala kantor dinas luar ke Bali",
        },
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get(delegate=lead)
    assert delegation.valid_from.isoformat() == "2025-12-01T01:00:00+00:00"  # 08.00 WIB
    assert delegation.granted_by == head
    assert AuditEntry.objects.filter(action="delegation.create").exists()
    response = client.post(reverse("conferences:delegation-revoke", args=[delegation.pk]))
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    assert AuditEntry.objects.filter(action="delegation.revoke").exists()
    # Nobody delegates to themselves: the workflow's rule, shown at the field.
    self_grant = client.post(
        reverse("conferences:delegation-list"),
        {
            "office": offices["soetta"].pk,
            "delegate": head.pk,
            "right": "material.approve",
            "valid_from": "01/12/2025 08.00",
            "valid_until": "05/12/2025 17.00",
        },
    )
    assert self_grant.status_code == 400


def test_a_person_without_roles_is_refused(offices):
    nobody = make_person("tamu", offices["soetta"])
    for name in ("media-relations", "contact-list", "spokesperson-list", "delegation-list"):
        assert client_for(nobody).get(reverse(f"conferences:{name}")).status_code == 403, name


def test_the_menu_leads_to_media_relations(personas):
    page = client_for(personas["pr_staff"]).get("/").content.decode()
    assert reverse("conferences:media-relations") in page and "Hubungan media" in page

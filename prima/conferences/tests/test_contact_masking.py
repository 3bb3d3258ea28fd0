"""Journalists' phone numbers and e-mails are masked in lists; a contact's page shows them
in full only to roles with ``personal_data.view`` in the contact's office."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.conferences.models import MediaContact
from prima.conftest import client_for

PHONE, EMAIL = "081234565678", "rahmat@tempo.co"


@pytest.fixture
def contact(offices) -> MediaContact:
    return MediaContact.objects.create(
        office=offices["soetta"],
        outlet="Tempo",
        journalist="Rahmat Hidayat",
        phone=PHONE,
        email=EMAIL,
    )


def test_the_contact_list_masks_phones_and_emails(personas, contact):
    html = (
        client_for(personas["pr_staff"]).get(reverse("conferences:contact-list")).content.decode()
    )
    assert "Rahmat Hidayat" in html
    assert "0812****5678" in html and "ra***@tempo.co" in html
    assert PHONE not in html and EMAIL not in html


def test_the_contact_page_shows_full_values_only_to_roles_that_need_them(personas, contact):
    url = reverse("conferences:contact-edit", kwargs={"pk": contact.pk})
    head = client_for(personas["head"]).get(url).content.decode()
    assert PHONE in head and EMAIL in head
    supervisor = client_for(personas["regional_supervisor"]).get(url)
    assert supervisor.status_code == 200
    html = supervisor.content.decode()
    assert PHONE not in html and EMAIL not in html
    assert "0812****5678" in html and "ra***@tempo.co" in html

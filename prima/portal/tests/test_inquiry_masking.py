"""The list of public reports masks phone numbers and e-mails typed into the message; the
report's own page shows the text as sent (to the office's staff)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.conftest import client_for
from prima.portal import services

pytestmark = pytest.mark.django_db
MESSAGE = "Calo di loket 3 minta Rp 1.500.000, hubungi WA 0813-2222-9876 atau calo.cepat@mail.com"


def test_the_inquiry_list_masks_contacts_in_messages(world, personas):
    inquiry = services.submit_inquiry(
        world["office"], kind="broker", message=MESSAGE, address="203.0.113.9"
    )
    html = client_for(personas["pr_staff"]).get(reverse("portal_staff:inquiries")).content.decode()
    assert "0813****9876" in html and "ca***@mail.com" in html
    assert "2222" not in html and "calo.cepat@" not in html
    page = client_for(personas["pr_staff"]).get(
        reverse("portal_staff:inquiry", kwargs={"pk": inquiry.pk})
    )
    assert "0813-2222-9876" in page.content.decode()

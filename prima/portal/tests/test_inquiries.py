"""Public questions and reports: the form, its abuse guards, the hand-over to media
monitoring, answers by reference and the erasure of personal data (UU PDP)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prima.monitoring.models import Mention, SourceKind
from prima.organizations.models import AuditEntry
from prima.portal import services
from prima.portal.models import Inquiry, InquiryStatus

pytestmark = pytest.mark.django_db
SH = "soetta"
MESSAGE = "Ada calo di parkiran menawarkan paspor jadi sehari dengan bayar dua juta rupiah."


def _token(age: float = 10) -> str:
    return signing.dumps({"t": int(time.time() - age)}, salt="prima.portal.ask")


def _post(client=None, address="203.0.113.5", **overrides):
    data = {"kind": "broker", "message": MESSAGE, "token": _token(), "website": ""}
    data.update(overrides)
    return (client or Client()).post(reverse("portal:ask", args=[SH]), data, REMOTE_ADDR=address)


def test_a_message_gets_a_reference_and_its_answer_is_read_by_it(offices, pr_staff):
    response = _post(name="Wulan", phone="0812-7777-1234")
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.reference in response["Location"]
    assert inquiry.client_hash and "203.0.113.5" not in inquiry.client_hash
    page = Client().get(response["Location"]).content.decode()
    assert inquiry.reference in page and 'data-testid="waiting"' in page
    services.answer_inquiry(pr_staff, inquiry, "Itu bukan layanan resmi; terima kasih.")
    typed = inquiry.reference.lower().replace("-", " ")
    page = Client().get(reverse("portal:track") + f"?ref={typed}").content.decode()
    assert "Itu bukan layanan resmi" in page
    assert "Wulan" not in page and "0812" not in page  # personal data is never public


def test_the_honeypot_and_a_too_fast_form_store_nothing(offices):
    assert _post(website="http://spam.example").status_code == 200
    assert _post(token=_token(age=0)).status_code == 200
    assert _post(token="forged").status_code == 200
    assert not Inquiry.objects.exists()


def test_bad_input_is_refused_with_the_form_and_nothing_is_stored(offices):
    assert _post(message="hai").status_code == 400
    assert _post(kind="other").status_code == 400
    assert _post(email="bukan-email").status_code == 400
    assert _post(phone="telepon saya").status_code == 400
    assert _post(message="x" * 5000).status_code == 400
    assert not Inquiry.objects.exists()


@override_settings(PORTAL_INQUIRIES_PER_HOUR=3, PORTAL_INQUIRIES_PER_DAY=5)
def test_rate_limits_per_address(offices):
    for _i in range(3):
        assert _post().status_code == 302
    refused = _post()
    assert refused.status_code == 429
    assert 'data-testid="form-error"' in refused.content.decode()
    assert _post(address="198.51.100.7").status_code == 302  # another address is served
    assert Inquiry.objects.count() == 4
    # The day limit counts across hours.
    later = timezone.now() - timedelta(hours=2)
    Inquiry.objects.update(submitted_at=later)
    assert _post().status_code == 302 and _post().status_code == 302
    assert _post().status_code == 429  # 5 from this address within a day


def test_a_flood_loses_nothing_and_costs_each_request_only_a_few_queries(offices):
    with CaptureQueriesContext(connection) as queries:
        assert _post(address="10.0.0.1").status_code == 302
    # Office, services for the form, two rate counts, the insert, the scheduler check:
    # no monitoring analysis in the request.
    assert len(queries) <= 10, [q["sql"][:80] for q in queries.captured_queries]
    for i in range(2, 121):
        assert _post(address=f"10.0.{i // 250}.{i % 250}").status_code == 302
    assert Inquiry.objects.count() == 120
    assert len(set(Inquiry.objects.values_list("reference", flat=True))) == 120
    assert services.forward_pending(batch=50) == 120
    assert Mention.objects.filter(kind=SourceKind.PUBLIC_FORM).count() == 120
    assert not Inquiry.objects.filter(mention_id__isnull=True).exists()


def test_handing_over_twice_stores_each_message_once(offices):
    _post()
    assert services.forward_pending() == 1
    Inquiry.objects.update(forwarded_at=None)  # as if a worker died after storing
    assert services.forward_pending() == 1
    assert Mention.objects.filter(kind=SourceKind.PUBLIC_FORM).count() == 1
    mention = Mention.objects.get(kind=SourceKind.PUBLIC_FORM)
    inquiry = Inquiry.objects.get()
    assert inquiry.mention_id == mention.pk and mention.author == inquiry.reference
    assert "Wulan" not in mention.text


@override_settings(PORTAL_PERSONAL_DATA_DAYS=30)
def test_personal_data_is_erased_after_the_retention_period(offices):
    _post(name="Wulan", phone="0812-7777-1234", email="wulan@example.com")
    _post(address="198.51.100.9", name="Baru")
    old, new = Inquiry.objects.order_by("pk")
    Inquiry.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=31))
    # The portal's tick erases the address hashes; the retention run names and contacts.
    call_command("portal_maintain", stdout=open("/dev/null", "w"))
    old.refresh_from_db()
    assert old.client_hash == "" and old.name == "Wulan"
    call_command("apply_retention", stdout=open("/dev/null", "w"))
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.name, old.phone, old.email, old.client_hash) == ("", "", "", "")
    assert old.personal_erased_at is not None and old.message == MESSAGE
    assert new.name == "Baru" and new.client_hash  # within the period: kept
    entry = AuditEntry.objects.get(action="inquiry.erase_personal_data")
    assert entry.object_id == str(old.pk)
    assert "Wulan" not in str(entry.after) and "0812" not in str(entry.after)
    assert sorted(entry.after["erased"]) == ["email", "name", "phone"]
    assert not any("Wulan" in str(e.after) for e in AuditEntry.objects.all())
    # Running again erases nothing more.
    assert services.erase_expired_personal_data() == 0


def test_answers_and_closing_are_audited_without_personal_data(offices, pr_staff):
    _post(name="Wulan")
    inquiry = Inquiry.objects.get()
    services.answer_inquiry(pr_staff, inquiry, "Terima kasih, sudah kami tindak lanjuti.")
    services.close_inquiry(pr_staff, inquiry)
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED
    actions = list(AuditEntry.objects.filter(object_type="portal.inquiry").values_list(
        "action", flat=True).order_by("seq"))  # fmt: skip
    assert actions == ["inquiry.answer", "inquiry.close"]
    assert not any("Wulan" in str(e.before) + str(e.after) for e in AuditEntry.objects.all())


def test_the_periodic_task_runs_the_same_work(offices):
    from prima.portal.tasks import ensure_chain, portal_tick

    _post()
    result = portal_tick.call()
    assert result["ran"] is True and result["forwarded"] == 1
    assert portal_tick.call() == {"ran": False}  # the next tick belongs to the chain
    assert ensure_chain() is False


def test_a_service_of_another_office_is_refused(offices, pr_staff, pr_lead):
    from prima.catalogue.tests.helpers import published_service
    from prima.conftest import make_person
    from prima.organizations.models import Role

    writer = make_person("w", offices["jakpus"], Role.PR_STAFF)
    lead = make_person("l", offices["jakpus"], Role.PR_LEAD)
    other = published_service(writer, lead, offices["jakpus"])
    with pytest.raises(services.PortalError):
        services.submit_inquiry(offices["soetta"], kind="question", message=MESSAGE,
                                service=other.service)  # fmt: skip

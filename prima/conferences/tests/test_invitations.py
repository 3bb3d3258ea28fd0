"""Invitations in the flow: by e-mail with a personal RSVP link that records the answer
without a log-in, a WhatsApp-ready text, and attendance from the confirmed list."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from prima.conferences import workflow
from prima.conferences.models import (
    Attendance,
    Channel,
    EmailStatus,
    Invitation,
    MediaContact,
    ReplyVia,
    Stage,
)
from prima.conftest import client_for
from prima.organizations.models import AuditEntry

from .helpers import later_the_same_day, walk_to


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "https://prima.example.id"


@pytest.fixture
def planned(conference, pr_staff):
    return workflow.update_conference(
        pr_staff,
        conference,
        expected_version=conference.version,
        scheduled_at=timezone.now() + timedelta(days=5),
        venue="Ruang Konferensi Pers, Terminal 3",
    )


@pytest.fixture
def dewi(offices):
    return MediaContact.objects.create(
        office=offices["soetta"],
        outlet="Kompas",
        journalist="Dewi Lestari",
        phone="0812-1000-2002",
        email="dewi@redaksi.example.id",
    )


def invite(planned, pr_staff, dewi, capture, channel=Channel.EMAIL):
    with capture(execute=True):
        return workflow.invite(pr_staff, planned, dewi, channel=channel)


def test_an_email_invitation_goes_out_with_a_personal_link(
    planned, pr_staff, dewi, django_capture_on_commit_callbacks
):
    invitation = invite(planned, pr_staff, dewi, django_capture_on_commit_callbacks)
    invitation.refresh_from_db()
    assert invitation.email_status == EmailStatus.SENT and invitation.emailed_at
    (message,) = mail.outbox
    assert message.to == ["dewi@redaksi.example.id"]
    assert message.subject == f"Undangan peliputan: {planned.title}"
    assert "Yth. Dewi Lestari (Kompas)" in message.body
    assert "Ruang Konferensi Pers, Terminal 3" in message.body
    assert "WIB" in message.body
    token = re.search(r"https://prima\.example\.id/rsvp/([^/\s]+)/", str(message.body)).group(1)
    assert workflow.invitation_for_token(token) == invitation
    assert AuditEntry.objects.filter(action="conference.invitation.emailed").exists()


def test_a_contact_without_an_address_cannot_be_invited_by_email(planned, pr_staff, offices):
    nomail = MediaContact.objects.create(office=offices["soetta"], outlet="RRI", journalist="A")
    with pytest.raises(workflow.InvalidInput):
        workflow.invite(pr_staff, planned, nomail, channel=Channel.EMAIL)


def test_a_failed_email_is_recorded_and_can_be_sent_again(
    planned, pr_staff, dewi, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "prima.conferences.tests.test_invitations.BrokenBackend"
    invitation = invite(planned, pr_staff, dewi, django_capture_on_commit_callbacks)
    invitation.refresh_from_db()
    assert invitation.email_status == EmailStatus.FAILED
    assert "relay refused" in invitation.email_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.resend_invitation_email(pr_staff, invitation)
    invitation.refresh_from_db()
    assert invitation.email_status == EmailStatus.SENT and len(mail.outbox) == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("relay refused")


def test_a_pending_email_is_claimed_once(planned, pr_staff, dewi):
    invitation = workflow.invite(pr_staff, planned, dewi, channel=Channel.EMAIL)  # not committed
    assert Invitation.objects.get(pk=invitation.pk).email_status == EmailStatus.PENDING
    assert workflow.send_pending_invitation_emails() == 1
    assert workflow.send_pending_invitation_emails() == 0  # nothing sent twice
    assert len(mail.outbox) == 1


def test_the_journalist_answers_through_the_link_without_logging_in(
    planned, pr_staff, dewi, django_capture_on_commit_callbacks
):
    invitation = invite(planned, pr_staff, dewi, django_capture_on_commit_callbacks)
    url = reverse("rsvp", args=[workflow.rsvp_token(invitation)])
    client = client_for(None)
    page = client.get(url)
    assert page.status_code == 200 and planned.title in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    assert "Saya akan hadir" in page.content.decode()
    response = client.post(url, {"answer": "yes"})
    assert response.status_code == 200
    assert "kehadiran Anda sudah kami catat" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.confirmed_at and invitation.replied_via == ReplyVia.LINK
    entry = AuditEntry.objects.filter(action="conference.invitation.rsvp").get()
    assert entry.actor is None and entry.object_id == str(planned.pk)
    client.post(url, {"answer": "no"})  # changed their mind
    invitation.refresh_from_db()
    assert invitation.declined_at and invitation.confirmed_at is None
    staff_page = client_for(pr_staff).get(planned.get_absolute_url()).content.decode()
    assert "dijawab melalui tautan" in staff_page


def test_a_forged_reused_or_expired_link_is_refused(
    planned, pr_staff, dewi, settings, django_capture_on_commit_callbacks
):
    invitation = invite(planned, pr_staff, dewi, django_capture_on_commit_callbacks)
    token = workflow.rsvp_token(invitation)
    client = client_for(None)
    assert client.get(reverse("rsvp", args=[token[:-2] + "xx"])).status_code == 404
    other_purpose = signing.dumps({"i": invitation.pk, "k": invitation.rsvp_key}, salt="other")
    assert client.get(reverse("rsvp", args=[other_purpose])).status_code == 404
    Invitation.objects.filter(pk=invitation.pk).update(rsvp_key="nieuw")  # voided
    assert client.get(reverse("rsvp", args=[token])).status_code == 404
    invitation.refresh_from_db()
    settings.CONFERENCE_RSVP_MAX_DAYS = 0
    old = workflow.rsvp_token(invitation)
    response = client.post(reverse("rsvp", args=[old]), {"answer": "yes"})
    assert response.status_code == 410
    invitation.refresh_from_db()
    assert invitation.confirmed_at is None


def test_answers_close_when_the_conference_starts(
    planned, personas, dewi, jubir, django_capture_on_commit_callbacks
):
    invitation = invite(planned, personas["pr_staff"], dewi, django_capture_on_commit_callbacks)
    token = workflow.rsvp_token(invitation)
    planned.scheduled_at = timezone.now() - timedelta(minutes=1)
    planned.save(update_fields=["scheduled_at"])
    response = client_for(None).post(reverse("rsvp", args=[token]), {"answer": "yes"})
    assert response.status_code == 400
    assert "sudah dimulai" in response.content.decode()


def test_the_whatsapp_text_is_ready_to_send(planned, pr_staff, dewi):
    invitation = workflow.invite(pr_staff, planned, dewi, channel=Channel.WHATSAPP)
    text = workflow.invitation_text(invitation)
    assert text.startswith("Yth. Dewi Lestari (Kompas),")
    assert f"*{planned.title}*" in text  # bold in WhatsApp
    assert "Hari, tanggal: " in text and "Pukul: " in text and "Tempat: " in text
    assert "https://prima.example.id/rsvp/" in text
    assert "Narahubung: Rina Wulandari" in text
    url = workflow.whatsapp_url(invitation)
    assert url.startswith("https://wa.me/6281210002002?text=Yth.%20Dewi")
    assert workflow.whatsapp_number("+62 812-1000-2002") == "6281210002002"
    assert workflow.whatsapp_number("12") == ""
    page = client_for(pr_staff).get(planned.get_absolute_url()).content.decode()
    assert 'data-testid="whatsapp-text"' in page and "Yth. Dewi Lestari" in page
    assert "https://wa.me/6281210002002" in page


def test_attendance_starts_from_the_confirmed_list(planned, personas, dewi, jubir, offices):
    staff = personas["pr_staff"]
    invitation = workflow.invite(staff, planned, dewi, channel=Channel.WHATSAPP)
    other = MediaContact.objects.create(office=offices["soetta"], outlet="RRI", journalist="Agus")
    workflow.invite(staff, planned, other, channel=Channel.WHATSAPP)  # no reply
    workflow.update_invitation(staff, invitation, confirmed=True)
    planned.scheduled_at = later_the_same_day(planned, timezone.now())  # held today
    planned.save(update_fields=["scheduled_at"])
    conf = walk_to(planned, Stage.EXECUTION, personas, spokesperson=jubir, now=timezone.now())
    page = client_for(staff).get(conf.get_absolute_url()).content.decode()
    box = page[page.index('data-testid="to-sign-in"') :]
    box = box[: box.index("</div>")]
    assert "Dewi Lestari" in box and "Agus" not in box
    url = reverse("conferences:attendance-sign-in", args=[conf.pk, invitation.pk])
    assert client_for(staff).post(url).status_code == 302
    (row,) = Attendance.objects.filter(conference=conf)
    assert (row.journalist, row.outlet, row.contact) == ("Dewi Lestari", "Kompas", dewi)
    again = client_for(staff).post(url)
    assert again.status_code == 400  # signed in once
    page = client_for(staff).get(conf.get_absolute_url()).content.decode()
    assert 'data-testid="to-sign-in"' not in page

"""Demo data-subject requests at Soekarno-Hatta: an access request of a journalist, an
erasure request of a social-media account (open, about to be due), an overdue
correction and a completed request of a portal submitter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from prima.organizations.demo import register
from prima.organizations.models import Office, User

from . import requests
from .request_models import DataSubjectRequest, RequestKind, RequestStatus
from .subjects import SubjectKind


@register(90, "data-subject requests")
def load_requests(say: Callable[[str], None]) -> None:
    office = Office.objects.filter(code="kanim-soekarno-hatta").first()
    lead = User.objects.filter(username="kasihumas").first()
    if office is None or lead is None or DataSubjectRequest.objects.filter(office=office).exists():
        return
    now = timezone.now()
    with transaction.atomic():
        requests.receive(
            lead,
            office,
            kind=RequestKind.ACCESS,
            subject_kind=SubjectKind.JOURNALIST,
            subject_query="Dewi Lestari",
            requester="Dewi Lestari",
            requester_contact="dewi@redaksi.example.id",
            identification="KTP ditunjukkan di loket humas; e-mail sama dengan register",
            details="Meminta salinan semua data dirinya yang disimpan kantor.",
            received_at=now - timedelta(hours=20),
        )
        requests.receive(
            lead,
            office,
            kind=RequestKind.ERASURE,
            subject_kind=SubjectKind.ACCOUNT,
            subject_query="@si_ucok",
            requester="Pemilik akun @si_ucok",
            requester_contact="DM X @si_ucok",
            identification="Pesan langsung dari akun yang bersangkutan",
            received_at=now - timedelta(hours=60),
        )
        requests.receive(
            lead,
            office,
            kind=RequestKind.CORRECTION,
            subject_kind=SubjectKind.JOURNALIST,
            subject_query="Ahmad Fauzi",
            requester="Ahmad Fauzi",
            requester_contact="0812-1000-2001",
            identification="Telepon dari nomor yang terdaftar, dikonfirmasi lewat e-mail",
            details="Nomor WhatsApp lama tidak aktif lagi.",
            received_at=now - timedelta(hours=80),
        )
        reference = _submitter_reference(office)
        if reference:
            done = requests.receive(
                lead,
                office,
                kind=RequestKind.ACCESS,
                subject_kind=SubjectKind.SUBMITTER,
                subject_query=reference,
                requester="Pelapor portal",
                identification="Nomor referensi dan e-mail yang sama",
                received_at=now - timedelta(days=6),
            )
            requests.close(
                done,
                lead,
                status=RequestStatus.COMPLETED,
                outcome="Salinan data dikirim lewat e-mail dalam 2 hari.",
            )
    say(f"  {DataSubjectRequest.objects.filter(office=office).count()} data-subject requests")


def _submitter_reference(office: Office) -> str:
    from django.apps import apps

    inquiry = apps.get_model("portal", "Inquiry")
    found = (
        inquiry.objects.filter(office=office).exclude(name="").order_by("pk").first()
        if apps.is_installed("prima.portal")
        else None
    )
    return str(found.reference) if found is not None else ""

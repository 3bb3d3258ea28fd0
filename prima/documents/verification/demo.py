"""Demo data for the automatic verification: a conference of Kantor Imigrasi Soekarno-Hatta
on passport fees whose draft release awaits the head's approval with errors to find (a fee
of the wrong validity, a weekday that does not match its date, a time without its zone,
the spokesperson's title), and an answer the head approved with a recorded waiver.

Runs after the catalogue's loader (its facts are what the draft is checked against), once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from prima.conferences import workflow
from prima.conferences.demo import Demo
from prima.conferences.models import (
    Conference,
    ConferenceType,
    MaterialKind,
    MediaContact,
    Spokesperson,
    Stage,
    Topic,
)
from prima.lib import dates
from prima.organizations.demo import register
from prima.organizations.models import Office

OFFICE = "kanim-soekarno-hatta"
TITLE = "Sosialisasi Tarif Resmi Paspor dan Layanan Percepatan"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def release(day: date, number: int) -> str:
    """A release for a conference on ``day`` with four mistakes a reviewer should catch."""
    wrong_weekday = dates.DAYS_ID[(day.weekday() + 6) % 7]
    return (
        "SIARAN PERS\n"
        f"Nomor: HM.01.02-{number}/IMI.5/{ROMAN[day.month - 1]}/{day.year}\n"
        "Paspor Elektronik Makin Mudah, Imigrasi Soekarno-Hatta Tegaskan Tarif Resmi\n\n"
        f"Tangerang, {dates.format_date(day)} – Kantor Imigrasi Kelas I Khusus TPI "
        f"Soekarno-Hatta menggelar konferensi pers pada {wrong_weekday}, "
        f"{dates.format_date(day, weekday=False)} pukul 10.00 di Terminal 3 untuk "
        "menyosialisasikan tarif resmi paspor sesuai PP No. 45 Tahun 2024 dan mengimbau "
        "masyarakat tidak menggunakan jasa calo.\n\n"
        "Sepanjang bulan lalu kantor menerbitkan 14.250 paspor, 62% di antaranya paspor "
        "elektronik. Tarif paspor elektronik masa berlaku 10 tahun Rp 650.000, sedangkan "
        "paspor biasa masa berlaku 5 tahun Rp 350.000. Paspor selesai dalam 4 (empat) hari "
        "kerja sejak wawancara, dan layanan percepatan selesai di hari yang sama dengan biaya "
        "tambahan Rp1.000.000.\n\n"
        "“Masyarakat cukup membayar tarif resmi melalui kanal PNBP, tanpa perantara,” kata "
        "Sri Handayani, Kepala Seksi Lalu Lintas Keimigrasian.\n\n"
        "Tentang Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta\n"
        "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta melayani pemeriksaan keimigrasian "
        "di bandara tersibuk di Indonesia serta penerbitan paspor dan izin tinggal.\n\n"
        "Narahubung: Andi Saputra (Kepala Seksi TIKIM), 0812-1000-3001\n"
        "***"
    )


@register(40, "automatic verification of drafts")
def load_verification(say: Callable[[str], None]) -> None:
    office = Office.objects.filter(code=OFFICE).first()
    if office is None or Conference.objects.filter(office=office, title=TITLE).exists():
        return
    demo = Demo(office)
    now = timezone.now().replace(second=0, microsecond=0)
    at = now - timedelta(days=3)
    conference = workflow.create_conference(
        demo.staff,
        office=office,
        type=ConferenceType.REGULAR,
        topic=Topic.SERVICES,
        title=TITLE,
        summary="Tarif resmi paspor menurut PP No. 45 Tahun 2024, layanan percepatan, "
        "imbauan tanpa calo.",
        now=at,
    )
    demo.information(
        conference,
        [
            (
                "Sepanjang bulan lalu Kantor Imigrasi Soekarno-Hatta menerbitkan 14.250 paspor, "
                "62% di antaranya paspor elektronik.",
                "Seksi Lalu Lintas Keimigrasian",
            ),
        ],
        at,
    )
    demo.tick(conference, Stage.INFORMATION, at + timedelta(hours=1))
    demo.advance(conference, at + timedelta(hours=1))
    scheduled = (now + timedelta(days=3)).replace(hour=3, minute=0)  # 10.00 WIB
    contacts = list(MediaContact.objects.filter(office=office).order_by("pk")[:5])
    conference = demo.planning(conference, scheduled, at + timedelta(hours=2), contacts)
    demo.tick(conference, Stage.PLANNING, at + timedelta(hours=3))
    demo.advance(conference, at + timedelta(hours=3))
    jubir = Spokesperson.objects.filter(office=office, user=demo.jubir).first()
    if jubir is not None:
        workflow.appoint_spokesperson(demo.lead, conference, jubir, now=at + timedelta(hours=4))
    written = at + timedelta(days=1)
    # Key messages: right, approved.
    demo.material(
        conference,
        {
            MaterialKind.KEY_MESSAGES: {
                "items": [
                    "Bayar tarif resmi paspor hanya melalui kanal PNBP, tanpa calo.",
                    "Paspor selesai dalam 4 (empat) hari kerja sejak wawancara.",
                    "Laporkan pungutan liar ke kanal pengaduan resmi.",
                ]
            }
        },
        written,
    )
    # Answers: one cites the old fee on purpose; the head approves it with a reason.
    qa = workflow.edit_material(
        demo.staff,
        conference,
        MaterialKind.QA,
        now=written,
        items=[
            {
                "question": "Berapa tarif izin tinggal kunjungan 60 hari sekarang?",
                "answer": "Sejak 2022 tarifnya Rp 1.000.000; tarif lama ITK 60 hari Rp 2.000.000 "
                "sudah tidak berlaku.",
            },
            {
                "question": "Berapa lama paspor selesai?",
                "answer": "Paspor selesai dalam 4 (empat) hari kerja sejak wawancara.",
            },
        ],
    )
    workflow.submit_material(demo.staff, qa, now=written + timedelta(minutes=5))
    workflow.approve_material(
        demo.head,
        qa,
        now=written + timedelta(minutes=40),
        waiver_reason="Tarif lama sengaja disebut sebagai pembanding agar publik tahu tarif "
        "Rp 2.000.000 tidak berlaku lagi; sudah dicek Kasi TIKIM.",
    )
    # The release: four mistakes, awaiting the head's approval.
    statement = workflow.edit_material(
        demo.staff,
        conference,
        MaterialKind.STATEMENT,
        now=written,
        title="Siaran Pers",
        body=release(timezone.localdate(scheduled), 118),
    )
    workflow.submit_material(demo.staff, statement, now=written + timedelta(minutes=10))
    say("  1 conference with a draft release to verify and an approval with a waiver")

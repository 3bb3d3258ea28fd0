"""Demo data: the public face of Kantor Imigrasi Soekarno-Hatta.

Its public page (introduction, press contact, where to report extortion), published
releases and statements taken from the demo conferences' approved material, a story of
good news, a draft that stays hidden, two press conferences on the public schedule, and
questions and reports from the public — some answered, one with contact details — handed
over to media monitoring. Everything goes through :mod:`prima.portal.services`, by the demo
people who would do it. Runs once (skipped when the office already has publications).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from prima.conferences.models import Conference
from prima.organizations.demo import register
from prima.organizations.models import Office, User

from . import services
from .models import InquiryKind, Publication, PublicationKind

OFFICE = "kanim-soekarno-hatta"

STORY = (
    "Petugas Kantor Imigrasi Soekarno-Hatta membantu seorang lansia asal Medan yang "
    "paspornya tertinggal di ruang tunggu Terminal 3. Paspor ditemukan dalam 20 menit "
    "dan diserahkan kembali sebelum jadwal keberangkatan umrahnya.\n\n"
    "Kepala Kantor mengingatkan masyarakat untuk selalu memeriksa dokumen perjalanan "
    "sebelum meninggalkan konter pemeriksaan, dan tidak ragu meminta bantuan petugas "
    "berseragam di area terminal."
)

MESSAGES = [
    (InquiryKind.QUESTION, "paspor-biasa",
     "Apakah paspor 10 tahun bisa diajukan untuk anak di bawah umur? Anak saya 12 tahun.",
     "", "", "", "Paspor masa berlaku 10 tahun hanya untuk pemohon dewasa; anak di bawah "
     "17 tahun mendapat paspor 5 tahun dengan tarif Rp 350.000 (paspor biasa)."),
    (InquiryKind.BROKER, "paspor-elektronik",
     "Ada orang di parkiran yang menawarkan jasa paspor elektronik jadi sehari dengan bayar "
     "Rp 2.500.000 tanpa antre. Apakah itu resmi?",
     "Wulan", "0812-7777-1234", "", "Itu bukan layanan resmi. Layanan percepatan resmi hanya "
     "Rp 1.000.000 di luar tarif paspor dan dibayar lewat kode billing PNBP. Terima kasih "
     "atas laporannya; petugas pengamanan sudah kami minta memeriksa area parkir."),
    (InquiryKind.FEEDBACK, "",
     "Pelayanan di Terminal 3 cepat dan petugasnya ramah, terima kasih.",
     "", "", "", ""),
    (InquiryKind.EXTORTION, "visa-on-arrival",
     "Teman saya diminta uang tambahan di konter VoA supaya cepat. Tolong ditindak.",
     "", "", "pelapor@example.com", ""),
]  # fmt: skip


@register(60, "public portal")
def load_portal(say: Callable[[str], None]) -> None:
    office = Office.objects.filter(code=OFFICE).first()
    if office is None or Publication.objects.filter(office=office).exists():
        return
    people = {u.username: u for u in User.objects.filter(
        username__in=["humas", "humas2", "kasihumas", "kakanim"])}  # fmt: skip
    staff, staff2, lead, head = (people[n] for n in ("humas", "humas2", "kasihumas", "kakanim"))
    services.update_profile(
        lead, office,
        introduction="Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta melayani paspor, visa "
        "dan izin tinggal, serta pemeriksaan keimigrasian di Bandara Internasional "
        "Soekarno-Hatta.",
        introduction_en="The immigration office at Soekarno-Hatta International Airport: "
        "passports, visas, stay permits and border control.",
        press_contact_name="Andi Saputra", press_contact_title="Kepala Seksi TIKIM",
        press_phone="021-5507-0000", press_whatsapp="0811-1000-2026",
        press_email="humas.soetta@demo.imigrasi.go.id",
        press_hours="Senin–Jumat, 08.00–16.00 WIB",
        report_channels=["SP4N-LAPOR! di www.lapor.go.id",
                         "Pos pengaduan di lobi Terminal 3, dekat konter imigrasi"],
    )  # fmt: skip
    versions = list(services.publishable_versions(office))
    published = 0
    for version in versions:
        conference = version.material.conference
        publication_kind = (
            PublicationKind.STATEMENT
            if version.material.kind == "holding_statement"
            else PublicationKind.RELEASE
        )
        publication = services.prepare_release(
            staff, version, kind=publication_kind, title=conference.title,
            lead=conference.summary[:300] if conference.summary else "",
        )  # fmt: skip
        if conference.status == "completed" or publication_kind == PublicationKind.STATEMENT:
            services.publish(lead, publication)
            published += 1
        # The other release stays prepared, not published: the public never sees it.
    story = services.prepare_story(
        staff2, office, title="Paspor tertinggal ditemukan dalam 20 menit",
        lead="Petugas membantu jemaah umrah lansia mendapatkan kembali paspornya.", body=STORY,
    )  # fmt: skip
    services.publish(head, story)
    services.prepare_story(
        staff, office, title="Draf: layanan paspor akhir pekan",
        lead="Belum terbit.", body="Rencana layanan paspor pada akhir pekan (draf internal).",
    )  # fmt: skip
    now = timezone.now()
    for conference in Conference.objects.filter(
        office=office, is_exercise=False, status="active", scheduled_at__gt=now
    ):
        services.announce(
            staff, conference, title=conference.title,
            note="Peliputan terbuka untuk media; mohon konfirmasi kehadiran ke narahubung.",
        )  # fmt: skip
    by_code = {s.code: s for s in office.services.all()}
    for i, (kind, code, text, name, phone, email, answer) in enumerate(MESSAGES):
        inquiry = services.submit_inquiry(
            office, kind=kind, message=text, service=by_code.get(code), name=name,
            phone=phone, email=email, address=f"demo-{i}",
        )  # fmt: skip
        if answer:
            services.answer_inquiry(staff, inquiry, answer, close=i == 0)
    forwarded = services.forward_pending()
    say(f"  {published + 1} publications, {len(MESSAGES)} public messages ({forwarded} forwarded)")

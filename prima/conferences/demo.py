"""Demo data: press conferences of Kantor Imigrasi Soekarno-Hatta in every stage.

Everything is done through the workflow functions, by the demo people who would do it, so
the audit trail is real. Times are relative to now; "now" is passed back in time for
steps that happened in the past. Runs once (skipped when the demo conferences exist).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from prima.lib.dates import MONTHS_ID, format_date
from prima.organizations.demo import register
from prima.organizations.models import Office, User

from . import checklists, workflow
from .models import (
    BriefingKind,
    Channel,
    ChecklistItem,
    Conference,
    ConferenceRole,
    ConferenceType,
    EvidenceKind,
    IssueLevel,
    MaterialKind,
    MediaContact,
    MediaType,
    Spokesperson,
    Stage,
    Tone,
    Topic,
)
from .proofs import PROOFS

OFFICE = "kanim-soekarno-hatta"
VENUE = "Ruang Konferensi Pers, Gedung Kantor Imigrasi Soekarno-Hatta, Terminal 3"

CONTACTS = [
    # outlet, media type, journalist, beat, phone, verified by Dewan Pers
    (
        "Antara",
        MediaType.NEWS_AGENCY,
        "Ahmad Fauzi",
        "hukum dan keimigrasian",
        "0812-1000-2001",
        True,
    ),
    ("Kompas", MediaType.PRINT, "Dewi Lestari", "transportasi dan bandara", "0812-1000-2002", True),
    ("Detikcom", MediaType.ONLINE, "Rizky Ramadhan", "metro", "0812-1000-2003", True),
    ("Tempo", MediaType.ONLINE, "Nadia Putri", "hukum dan kriminal", "0812-1000-2004", True),
    ("CNN Indonesia", MediaType.TELEVISION, "Bayu Nugroho", "nasional", "0812-1000-2005", True),
    (
        "Kompas TV",
        MediaType.TELEVISION,
        "Sinta Maharani",
        "liputan bandara",
        "0812-1000-2006",
        True,
    ),
    ("RRI", MediaType.RADIO, "Agus Setiawan", "pelayanan publik", "0812-1000-2007", True),
    ("Liputan6.com", MediaType.ONLINE, "Fajar Hidayat", "news", "0812-1000-2008", True),
    (
        "Tangerang Ekspres",
        MediaType.PRINT,
        "Hendra Gunawan",
        "Tangerang Raya",
        "0812-1000-2009",
        False,
    ),
]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n% PRIMA demo evidence\n%%EOF\n", content_type="application/pdf"
    )


class Demo:
    """The demo people of Soekarno-Hatta and a few steps they repeat."""

    def __init__(self, office: Office) -> None:
        self.office = office
        users = {
            u.username: u
            for u in User.objects.filter(
                username__in=["humas", "humas2", "kasihumas", "jubir", "kakanim"]
            )
        }
        self.staff, self.staff2 = users["humas"], users["humas2"]
        self.lead, self.jubir, self.head = users["kasihumas"], users["jubir"], users["kakanim"]

    def tick(
        self, conference: Conference, stage: Stage, at: datetime, *, optional: bool = False
    ) -> None:
        # Items that what was recorded proves tick themselves (see proofs.py): only those
        # that people confirm are ticked by hand.
        items = ChecklistItem.objects.filter(
            conference=conference, stage=stage, done_at__isnull=True
        ).exclude(code__in=list(PROOFS))
        if not optional:
            items = items.filter(required=True)
        for item in items:
            kind = EvidenceKind(item.evidence_kind)
            workflow.complete_item(
                self.staff,
                item,
                now=at,
                note="Sudah dilaksanakan dan diperiksa." if kind == EvidenceKind.NOTE else "",
                link=f"https://www.imigrasi.go.id/berita/{conference.pk}-{item.code}"
                if kind == EvidenceKind.LINK
                else "",
                file=_pdf(f"{item.code}.pdf") if kind == EvidenceKind.FILE else None,
            )

    def advance(self, conference: Conference, at: datetime) -> Conference:
        conference.refresh_from_db()
        return workflow.advance(self.staff, conference, expected_version=conference.version, now=at)

    def information(
        self,
        conference: Conference,
        facts: list[tuple[str, str]],
        at: datetime,
        *,
        verify: bool = True,
    ) -> None:
        for statement, source in facts:
            fact = workflow.add_fact(
                self.staff,
                conference,
                statement=statement,
                source=source,
                source_date=at.date(),
                now=at,
            )
            if verify:
                workflow.verify_fact(self.staff2, fact, now=at + timedelta(minutes=20))

    def planning(
        self,
        conference: Conference,
        scheduled: datetime,
        at: datetime,
        contacts: list[MediaContact],
    ) -> Conference:
        conference.refresh_from_db()
        conference = workflow.update_conference(
            self.staff,
            conference,
            expected_version=conference.version,
            scheduled_at=scheduled,
            venue=VENUE,
        )
        start = timezone.localtime(scheduled).time()
        minutes = start.hour * 60 + start.minute
        for offset, activity, person in [
            (-30, "Registrasi wartawan", "Dimas Prasetyo"),
            (0, "Pembukaan oleh moderator", "Andi Saputra"),
            (5, "Penyampaian keterangan pers", "Juru bicara"),
            (20, "Sesi tanya jawab", "Moderator"),
            (35, "Wawancara doorstop dan penutup", "Moderator"),
        ]:
            m = minutes + offset
            workflow.add_rundown_item(
                self.staff,
                conference,
                starts_at=time(m // 60 % 24, m % 60),
                activity=activity,
                person=person,
            )
        workflow.assign_role(self.staff, conference, role=ConferenceRole.MODERATOR, user=self.lead)
        workflow.assign_role(
            self.staff, conference, role=ConferenceRole.DOCUMENTATION, user=self.staff2
        )
        workflow.assign_role(
            self.staff, conference, role=ConferenceRole.MEDIA_LIAISON, user=self.staff
        )
        workflow.assign_role(
            self.staff, conference, role=ConferenceRole.RECEPTION, user=self.staff2
        )
        for item in conference.readiness.all():
            workflow.set_readiness(self.staff2, item, is_ready=True, now=at)
        for contact in contacts:
            invitation = workflow.invite(
                self.staff, conference, contact, now=at, channel=Channel.WHATSAPP
            )
            workflow.update_invitation(
                self.staff, invitation, confirmed=True, accredited=True, now=at + timedelta(hours=2)
            )
        return conference

    def material(
        self, conference: Conference, texts: dict, at: datetime, *, approve: bool = True
    ) -> None:
        for kind, content in texts.items():
            material = workflow.edit_material(self.staff, conference, kind, now=at, **content)
            workflow.submit_material(self.staff, material, now=at + timedelta(minutes=10))
            if approve:
                workflow.approve_material(self.head, material, now=at + timedelta(minutes=30))

    def appoint(
        self, conference: Conference, entry: Spokesperson, at: datetime, *, brief: bool = True
    ) -> None:
        appointment = workflow.appoint_spokesperson(self.lead, conference, entry, now=at)
        if brief:
            workflow.record_briefing(
                self.lead,
                appointment,
                held_on=timezone.localdate(at),
                now=at,
                kind=BriefingKind.BRIEFING,
                notes="Batasan informasi: identitas WNA disamarkan; kalimat penghubung disiapkan.",
            )

    def execute(
        self,
        conference: Conference,
        start: datetime,
        minutes: int,
        contacts: list[MediaContact],
        questions: list[tuple],
    ) -> Conference:
        conference.refresh_from_db()
        conference = workflow.record_execution(
            self.staff,
            conference,
            expected_version=conference.version,
            actual_start=start,
            actual_end=start + timedelta(minutes=minutes),
            now=start + timedelta(minutes=minutes),
            execution_notes="Dimulai sesuai jadwal; siaran langsung di kanal YouTube kantor.",
        )
        for contact in contacts:
            workflow.add_attendance(
                self.staff2,
                conference,
                journalist=contact.journalist,
                outlet=contact.outlet,
                contact=contact,
                now=start,
            )
        for asker, outlet, question, follow_up in questions:
            workflow.log_question(
                self.staff2,
                conference,
                asker=asker,
                outlet=outlet,
                question=question,
                answered_by=self.jubir.full_name,
                answer_summary="Dijawab sesuai pesan kunci.",
                follow_up_needed=follow_up,
                now=start + timedelta(minutes=20),
            )
        return conference


def _next_peak(today) -> str:
    """The next holiday peak the office prepares for."""
    if today.month >= 10:
        return f"Libur Natal {today.year} dan Tahun Baru {today.year + 1}"
    year = today.year if today.month <= 3 else today.year + 1
    return f"Arus Mudik Lebaran {year}"


def _texts(
    key_points: list[str],
    statement: str,
    qa: list[tuple[str, str]],
    *,
    holding: str = "",
    kinds=None,
) -> dict:
    texts = {
        MaterialKind.KEY_MESSAGES: {"items": key_points},
        MaterialKind.STATEMENT: {"title": "Siaran Pers", "body": statement},
        MaterialKind.QA: {"items": [{"question": q, "answer": a} for q, a in qa]},
    }
    if holding:
        texts[MaterialKind.HOLDING_STATEMENT] = {"title": "Pernyataan sementara", "body": holding}
    return {k: v for k, v in texts.items() if kinds is None or k in kinds}


@register(10, "press conferences")
def load_conferences(say: Callable[[str], None]) -> None:
    office = Office.objects.filter(code=OFFICE).first()
    if office is None:
        say("  no Soekarno-Hatta office: skipped")
        return
    if Conference.objects.filter(office=office).exists():
        say("  conferences already loaded")
        return
    checklists.ensure_templates()
    demo = Demo(office)
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate(now)

    contacts = [
        workflow.save_media_contact(
            demo.lead,
            office=office,
            outlet=outlet,
            media_type=media_type,
            journalist=journalist,
            beat=beat,
            phone=phone,
            email=f"{journalist.split()[0].lower()}@redaksi.example.id",
            dewan_pers_verified=verified,
        )
        for outlet, media_type, journalist, beat, phone, verified in CONTACTS
    ]
    everything = list(Topic.values)
    jubir = workflow.save_spokesperson(
        demo.head,
        office=office,
        user=demo.jubir,
        name="Sri Handayani",
        position="Kepala Bidang Lalu Lintas Keimigrasian",
        decree_number="W.9.IMI.IMI.2-UM.01.01-0127 Tahun 2025",
        decree_date=today - timedelta(days=320),
        valid_from=today - timedelta(days=300),
        valid_until=today + timedelta(days=430),
        topics=everything,
        levels=[IssueLevel.LOW, IssueLevel.MEDIUM],
        last_media_training_on=today - timedelta(90),
    )
    head_entry = workflow.save_spokesperson(
        demo.head,
        office=office,
        user=demo.head,
        name="Budi Santoso",
        position="Kepala Kantor",
        decree_number="W.9.IMI.IMI.2-UM.01.01-0126 Tahun 2025",
        valid_from=today - timedelta(days=300),
        valid_until=None,
        topics=everything,
        levels=list(IssueLevel.values),
        last_media_training_on=today - timedelta(days=200),
    )
    workflow.save_spokesperson(
        demo.head,
        office=office,
        name="Rudi Hartono",
        position="Kepala Seksi Intelijen dan Penindakan Keimigrasian (mutasi)",
        decree_number="W.9.IMI.IMI.2-UM.01.01-0088 Tahun 2023",
        valid_from=today - timedelta(days=800),
        valid_until=today - timedelta(days=45),
        topics=[Topic.ENFORCEMENT, Topic.TRAFFICKING],
        levels=[IssueLevel.LOW, IssueLevel.MEDIUM],
        last_media_training_on=today - timedelta(days=500),
    )

    # The head hands the approval of material to the PR lead while away: one delegation
    # in the past (official travel), one planned (annual leave).
    for start, days, reason in [
        (now - timedelta(days=20), 3, "Kepala kantor mengikuti rapat kerja di Ditjen Imigrasi."),
        (now + timedelta(days=20), 5, "Cuti tahunan kepala kantor."),
    ]:
        workflow.grant_delegation(
            demo.head,
            office=office,
            delegate=demo.lead,
            valid_from=start,
            valid_until=start + timedelta(days=days),
            reason=reason,
        )

    month = today.replace(day=1) - timedelta(days=1)
    month_name = f"{MONTHS_ID[month.month - 1]} {month.year}"

    # 1. Regular, closed: last month's performance report.
    at = now - timedelta(days=21)
    c1 = workflow.create_conference(
        demo.staff,
        office=office,
        type=ConferenceType.REGULAR,
        topic=Topic.PERFORMANCE,
        title=f"Rilis Kinerja Pelayanan Keimigrasian Kanim Soekarno-Hatta {month_name}",
        summary="Capaian layanan perlintasan, paspor dan izin tinggal bulan lalu; PNBP.",
        now=at,
    )
    demo.information(
        c1,
        [
            (
                "Perlintasan orang di Bandara Soekarno-Hatta bulan lalu: 1.612.405 (WNI dan WNA).",
                "Sistem Informasi Manajemen Keimigrasian (SIMKIM)",
            ),
            (
                "Penggunaan autogate mencapai 71% dari seluruh perlintasan keberangkatan.",
                "Laporan Seksi Lalu Lintas Keimigrasian",
            ),
        ],
        at,
    )
    demo.tick(c1, Stage.INFORMATION, at + timedelta(hours=1))
    demo.advance(c1, at + timedelta(hours=1))
    scheduled = (at + timedelta(days=7)).replace(hour=3, minute=0)  # 10.00 WIB
    c1 = demo.planning(c1, scheduled, at + timedelta(days=1), contacts[:7])
    demo.tick(c1, Stage.PLANNING, at + timedelta(days=2))
    demo.advance(c1, at + timedelta(days=2))
    demo.material(
        c1,
        _texts(
            [
                "Perlintasan naik 8% dibanding bulan sebelumnya; layanan tetap lancar.",
                "Autogate mempercepat pemeriksaan: rata-rata 15 detik per penumpang.",
                "Layanan paspor bebas calo: biaya resmi sesuai PP 45/2024.",
            ],
            # Published on the public portal: a whole release, not a stub.
            "SIARAN PERS\n"
            f"Tangerang, {format_date(scheduled, weekday=False)} – Kantor Imigrasi Kelas I "
            "Khusus TPI Soekarno-Hatta mencatat 1.612.405 perlintasan orang sepanjang bulan "
            "lalu, naik 8% dibanding bulan sebelumnya. Layanan tetap lancar.\n\n"
            "Penggunaan autogate mencapai 71% dari seluruh perlintasan keberangkatan; "
            "pemeriksaan dengan autogate rata-rata 15 detik per penumpang.\n\n"
            "“Kami terus mempercepat pemeriksaan tanpa mengurangi ketelitian,” kata "
            f"{demo.jubir.full_name}, juru bicara Kantor Imigrasi Soekarno-Hatta.\n\n"
            "Layanan paspor bebas calo: biaya resmi sesuai PP 45/2024 dan dibayar melalui "
            "kanal resmi.\n\n"
            "Tentang Kantor Imigrasi Soekarno-Hatta: Kantor Imigrasi Kelas I Khusus TPI "
            "Soekarno-Hatta melayani paspor, visa dan izin tinggal, serta pemeriksaan "
            "keimigrasian di Bandara Internasional Soekarno-Hatta.\n\n"
            "Narahubung: Seksi TIKIM, humas.soetta@demo.imigrasi.go.id\n***",
            [
                ("Berapa PNBP yang dihasilkan?", "Rp48,2 miliar, disetor ke kas negara."),
                (
                    "Mengapa antrean sempat panjang pada akhir pekan?",
                    "Kedatangan serentak empat pesawat berbadan lebar; loket tambahan dibuka.",
                ),
            ],
        ),
        at + timedelta(days=3),
    )
    demo.tick(c1, Stage.MATERIAL, at + timedelta(days=4))
    demo.advance(c1, at + timedelta(days=4))
    demo.appoint(c1, jubir, at + timedelta(days=5))
    demo.tick(c1, Stage.SPOKESPERSON, at + timedelta(days=6))
    demo.advance(c1, scheduled - timedelta(minutes=45))
    c1 = demo.execute(
        c1,
        scheduled + timedelta(minutes=3),
        28,
        contacts[:6],
        [
            ("Dewi Lestari", "Kompas", "Bagaimana kesiapan menghadapi libur akhir tahun?", False),
            ("Rizky Ramadhan", "Detikcom", "Apakah ada penambahan autogate di Terminal 2?", True),
        ],
    )
    demo.tick(c1, Stage.EXECUTION, scheduled + timedelta(hours=1))
    demo.advance(c1, scheduled + timedelta(hours=1))
    for outlet, title, tone in [
        ("Antara", "Perlintasan di Soekarno-Hatta naik 8 persen", Tone.POSITIVE),
        ("Kompas", "Autogate percepat pemeriksaan imigrasi di Soetta", Tone.POSITIVE),
        ("Detikcom", "Imigrasi Soetta catat 1,6 juta perlintasan", Tone.NEUTRAL),
    ]:
        workflow.add_coverage(
            demo.staff,
            c1,
            title=title,
            outlet=outlet,
            tone=tone,
            url=f"https://example.id/{outlet.lower()}/{c1.pk}",
            published_at=scheduled + timedelta(hours=3),
            is_accurate=True,
        )
    demo.tick(c1, Stage.EVALUATION, scheduled + timedelta(days=1))
    c1.refresh_from_db()
    workflow.complete_evaluation(
        demo.lead,
        c1,
        expected_version=c1.version,
        now=scheduled + timedelta(days=2),
        lessons_learned="Data perbandingan tahunan perlu disiapkan dalam bentuk infografik.",
        coverage_count=11,
        coverage_positive=7,
        coverage_neutral=4,
        coverage_negative=0,
        coverage_reach=2_400_000,
        coverage_accurate=True,
        # Detikcom's question on new autogates awaits figures from the directorate: the
        # PR lead closes anyway, and says why (kept in the audit trail).
        confirm=["follow_ups_pending"],
        reason="Data penambahan autogate Terminal 2 menunggu Ditjen; jawaban dikirim menyusul.",
    )

    # 2. Regular, material verification: the statement awaits the head's approval.
    at = now - timedelta(days=5)
    c2 = workflow.create_conference(
        demo.staff,
        office=office,
        type=ConferenceType.REGULAR,
        topic=Topic.SERVICES,
        title=f"Kesiapan Layanan Keimigrasian Menghadapi {_next_peak(today)}",
        summary="Penambahan petugas dan autogate, layanan 24 jam, imbauan bagi pemudik.",
        now=at,
    )
    demo.information(
        c2,
        [
            (
                "Puncak arus mudik diperkirakan H-3 Lebaran dengan 180.000 "
                "penumpang internasional per hari.",
                "Angkasa Pura II / InJourney",
            )
        ],
        at,
    )
    demo.tick(c2, Stage.INFORMATION, at + timedelta(hours=2))
    demo.advance(c2, at + timedelta(hours=2))
    c2 = demo.planning(
        c2,
        (now + timedelta(days=4)).replace(hour=3, minute=0),
        at + timedelta(days=1),
        contacts[:5],
    )
    # Two more invited by e-mail (the worker sends them; the demo writes mail to var/mail/),
    # no answer yet: their personal links are in the mail and in the WhatsApp text.
    for contact in contacts[5:7]:
        workflow.invite(
            demo.staff, c2, contact, now=at + timedelta(days=1, hours=1), channel=Channel.EMAIL
        )
    demo.tick(c2, Stage.PLANNING, at + timedelta(days=2))
    demo.advance(c2, at + timedelta(days=2))
    texts = _texts(
        [
            "Layanan pemeriksaan 24 jam dengan 120 petugas tambahan selama masa puncak.",
            "Gunakan autogate dengan paspor elektronik untuk antrean lebih singkat.",
            "Laporkan pungutan liar ke kanal pengaduan resmi.",
        ],
        "SIARAN PERS\nTangerang – Menghadapi masa puncak perjalanan internasional, Kantor "
        "Imigrasi Soekarno-Hatta menyiagakan…\n***",
        [("Berapa petugas yang disiagakan?", "120 petugas tambahan dalam tiga shift.")],
    )
    demo.material(
        c2, {MaterialKind.KEY_MESSAGES: texts[MaterialKind.KEY_MESSAGES]}, at + timedelta(days=3)
    )
    demo.material(
        c2,
        {MaterialKind.STATEMENT: texts[MaterialKind.STATEMENT]},
        at + timedelta(days=3),
        approve=False,
    )
    workflow.edit_material(
        demo.staff2, c2, MaterialKind.QA, now=at + timedelta(days=3), **texts[MaterialKind.QA]
    )

    # 3. Incidental, spokesperson appointment: deportation of two foreign nationals.
    at = now - timedelta(days=2)
    c3 = workflow.create_conference(
        demo.staff,
        office=office,
        type=ConferenceType.INCIDENTAL,
        topic=Topic.ENFORCEMENT,
        level=IssueLevel.MEDIUM,
        title="Deportasi Dua WNA Pelanggar Izin Tinggal di Bandara Soekarno-Hatta",
        summary="Dua WNA yang melebihi izin tinggal (overstay) dideportasi dan ditangkal.",
        now=at,
    )
    demo.information(
        c3,
        [
            (
                "Dua WNA berinisial AK dan MR melebihi izin tinggal 180 hari.",
                "Seksi Intelijen dan Penindakan Keimigrasian",
            ),
            (
                "Keduanya dideportasi melalui Terminal 3 dan diusulkan masuk daftar penangkalan.",
                "Berita acara pendeportasian",
            ),
        ],
        at,
    )
    workflow.add_chronology(
        demo.staff,
        c3,
        occurred_at=at - timedelta(days=3),
        description="Pemeriksaan di konter keberangkatan menemukan overstay.",
        source="Laporan kejadian",
    )
    demo.tick(c3, Stage.INFORMATION, at + timedelta(hours=1))
    demo.advance(c3, at + timedelta(hours=1))
    c3 = demo.planning(
        c3,
        (now + timedelta(days=1)).replace(hour=4, minute=0),
        at + timedelta(hours=3),
        contacts[:4],
    )
    demo.tick(c3, Stage.PLANNING, at + timedelta(hours=4))
    demo.advance(c3, at + timedelta(hours=4))
    demo.material(
        c3,
        _texts(
            [
                "Penegakan hukum keimigrasian dilakukan tegas dan terukur.",
                "Identitas lengkap WNA tidak diumumkan sesuai pelindungan data pribadi.",
            ],
            "SIARAN PERS\nTangerang – Kantor Imigrasi Soekarno-Hatta mendeportasi dua warga negara "
            "asing yang melanggar izin tinggal…\n***",
            [
                (
                    "Dari negara mana WNA tersebut?",
                    "Kami sampaikan kewarganegaraannya saja; identitas lain dilindungi.",
                )
            ],
        ),
        at + timedelta(hours=6),
    )
    demo.tick(c3, Stage.MATERIAL, at + timedelta(hours=8))
    demo.advance(c3, at + timedelta(hours=8))
    demo.appoint(c3, jubir, at + timedelta(hours=9), brief=False)

    # 4. Incidental, information gathering: a trafficking (TPPO) case, one fact unverified.
    at = now - timedelta(hours=6)
    c4 = workflow.create_conference(
        demo.staff,
        office=office,
        type=ConferenceType.INCIDENTAL,
        topic=Topic.TRAFFICKING,
        level=IssueLevel.HIGH,
        title="Pencegahan Keberangkatan 14 Calon Pekerja Migran Nonprosedural (TPPO)",
        summary="Petugas menunda keberangkatan 14 WNI yang diduga korban TPPO.",
        now=at,
    )
    demo.information(
        c4,
        [
            (
                "14 WNI ditunda keberangkatannya pada pemeriksaan keberangkatan.",
                "Laporan Seksi Lalu Lintas Keimigrasian",
            )
        ],
        at,
    )
    demo.information(
        c4,
        [
            (
                "Para WNI direkrut melalui media sosial dengan tawaran kerja di luar negeri.",
                "Hasil wawancara petugas",
            )
        ],
        at,
        verify=False,
    )
    workflow.add_open_question(
        demo.staff, c4, now=at, question="Apakah kasus sudah diserahkan ke Polres Bandara?"
    )

    # 5. Crisis: autogate outage; the holding statement came late (missed deadline).
    opened = now - timedelta(hours=30)
    c5 = workflow.create_conference(
        demo.lead,
        office=office,
        type=ConferenceType.CRISIS,
        topic=Topic.BORDER,
        level=IssueLevel.HIGH,
        title="Gangguan Autogate Terminal 3 Bandara Soekarno-Hatta",
        summary="Autogate keberangkatan tidak berfungsi; antrean panjang viral di media sosial.",
        now=opened,
    )
    demo.information(
        c5,
        [
            (
                "Autogate Terminal 3 keberangkatan tidak berfungsi pukul 06.10–09.40 "
                "WIB karena gangguan jaringan.",
                "Log sistem dan Seksi TIKIM",
            )
        ],
        opened + timedelta(minutes=15),
    )
    demo.tick(c5, Stage.INFORMATION, opened + timedelta(minutes=40))
    demo.advance(c5, opened + timedelta(minutes=40))
    c5.refresh_from_db()
    c5 = workflow.update_conference(
        demo.staff,
        c5,
        expected_version=c5.version,
        venue=VENUE,
        scheduled_at=opened + timedelta(hours=3),
    )
    for contact in contacts[:6]:
        invitation = workflow.invite(
            demo.staff, c5, contact, now=opened + timedelta(minutes=50), channel=Channel.WHATSAPP
        )
        workflow.update_invitation(
            demo.staff, invitation, confirmed=True, now=opened + timedelta(minutes=80)
        )
    demo.tick(c5, Stage.PLANNING, opened + timedelta(minutes=60))
    demo.advance(c5, opened + timedelta(minutes=60))
    holding = {
        MaterialKind.HOLDING_STATEMENT: {
            "title": "Pernyataan sementara",
            "body": "Kami mohon maaf atas antrean di Terminal 3. Petugas membuka seluruh konter "
            "manual; pemeriksaan tetap berjalan. Informasi lanjutan menyusul.",
        }
    }
    # Approved 100 minutes after opening: the one-hour deadline is missed.
    demo.material(c5, holding, opened + timedelta(minutes=70))
    demo.material(
        c5,
        {
            MaterialKind.KEY_MESSAGES: {
                "items": [
                    "Kami memahami ketidaknyamanan penumpang dan memohon maaf.",
                    "Penyebabnya gangguan jaringan, bukan kebocoran data.",
                    "Seluruh konter manual dibuka; pemeriksaan normal kembali pukul 09.40 WIB.",
                ]
            }
        },
        opened + timedelta(minutes=75),
    )
    demo.tick(c5, Stage.MATERIAL, opened + timedelta(minutes=110))
    demo.advance(c5, opened + timedelta(minutes=110))
    demo.appoint(c5, head_entry, opened + timedelta(minutes=120))
    demo.tick(c5, Stage.SPOKESPERSON, opened + timedelta(minutes=125))
    demo.advance(c5, opened + timedelta(hours=3))  # on the day it takes place
    c5 = demo.execute(
        c5,
        opened + timedelta(hours=3),
        25,
        contacts[:6],
        [
            ("Bayu Nugroho", "CNN Indonesia", "Apakah data penumpang aman?", False),
            ("Nadia Putri", "Tempo", "Berapa penerbangan yang tertunda?", True),
        ],
    )
    demo.tick(c5, Stage.EXECUTION, opened + timedelta(hours=4))
    demo.advance(c5, opened + timedelta(hours=4))

    # 6. Exercise: a crisis drill opened half an hour ago (countdowns running).
    drill = workflow.create_conference(
        demo.lead,
        office=office,
        type=ConferenceType.CRISIS,
        topic=Topic.CRISIS,
        level=IssueLevel.HIGH,
        is_exercise=True,
        title="Simulasi Krisis: Hoaks Pungutan Liar Pembuatan Paspor",
        summary="Latihan tim humas menghadapi hoaks viral di TikTok dan X.",
        now=now - timedelta(minutes=30),
    )
    demo.information(
        drill,
        [
            (
                "Video hoaks diunggah akun anonim dan ditonton 250 ribu kali.",
                "Pemantauan media sosial",
            )
        ],
        now - timedelta(minutes=25),
    )

    # 7. Cancelled: merged into the monthly report.
    c7 = workflow.create_conference(
        demo.staff,
        office=office,
        type=ConferenceType.REGULAR,
        topic=Topic.SERVICES,
        title="Sosialisasi Layanan Paspor Elektronik Polikarbonat",
        now=now - timedelta(days=10),
    )
    workflow.cancel(
        demo.lead,
        c7,
        now=now - timedelta(days=8),
        reason="Materi digabung dengan rilis kinerja bulanan.",
    )

    count = Conference.objects.filter(office=office).count()
    say(f"  {count} conferences, {len(contacts)} media contacts, 3 registry spokespeople")

"""Two planted scenarios: a held press conference of Soekarno-Hatta with approved key
messages and Q&A, a spokesperson, a verified fact, invitations and logged questions, and a
helper that stores mentions through monitoring's ingestion (post-event evaluation); and
known conferences, cases, clarifications, questions and mentions in Soekarno-Hatta, Jakarta
Pusat and Ngurah Rai (Bali) in May 2026, plus exercises that must never count (indicators)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from prima.conferences.models import (
    REQUIRED_MATERIAL,
    Appointment,
    Conference,
    ConferenceType,
    Fact,
    Invitation,
    Material,
    MaterialKind,
    MaterialState,
    MaterialVersion,
    MediaContact,
    MediaType,
    QuestionLog,
    Spokesperson,
    Stage,
    Status,
    Topic,
)
from prima.crisis.models import Case, CaseStatus, Clarification, ClarificationStatus
from prima.evaluation import indicators as ind
from prima.monitoring.ingest.jobs import ingest_items
from prima.monitoring.models import (
    HourlyVolume,
    JobKind,
    Language,
    Mention,
    Platform,
    Sentiment,
    Source,
    SourceKind,
)
from prima.monitoring.parsers.base import ParsedItem
from prima.organizations.models import Office, OfficeLevel, User
from prima.portal.models import Inquiry, InquiryKind, InquiryStatus

# Wednesday 19 November 2025, 10.00 WIB.
HELD = datetime(2025, 11, 19, 3, 0, tzinfo=UTC)

KEY_MESSAGES = [
    "Perlintasan naik 8% dibanding bulan sebelumnya; layanan tetap lancar.",
    "Autogate mempercepat pemeriksaan: rata-rata 15 detik per penumpang.",
    "Layanan paspor bebas calo: biaya resmi sesuai PP 45/2024.",
]
QA = [
    ("Berapa PNBP yang dihasilkan bulan lalu?", "Rp48,2 miliar, disetor ke kas negara."),
    ("Mengapa antrean sempat panjang pada akhir pekan?", "Kedatangan serentak empat pesawat."),
]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def _approved(conference: Conference, kind: str, items: list[Any], author, approver) -> None:
    material = Material.objects.create(
        conference=conference, kind=kind, state=MaterialState.APPROVED
    )
    version = MaterialVersion.objects.create(
        material=material,
        number=1,
        items=items,
        author=author,
        approved_by=approver,
        approved_at=HELD - timedelta(days=2),
    )
    material.current = version
    material.save(update_fields=["current"])


@pytest.fixture
def held(offices, pr_staff, head, spokesperson) -> Conference:
    """A regular conference held at :data:`HELD`, now at post-event evaluation."""
    office = offices["soetta"]
    conference = Conference.objects.create(
        office=office,
        type=ConferenceType.REGULAR,
        topic=Topic.PERFORMANCE,
        title="Rilis Kinerja Pelayanan Keimigrasian November 2025",
        summary="Perlintasan orang, autogate dan layanan paspor bulan lalu.",
        stage=Stage.EVALUATION,
        opened_at=HELD - timedelta(days=10),
        scheduled_at=HELD,
        actual_start=HELD,
        actual_end=HELD + timedelta(minutes=28),
    )
    _approved(conference, MaterialKind.KEY_MESSAGES, KEY_MESSAGES, pr_staff, head)
    _approved(
        conference, MaterialKind.QA, [{"question": q, "answer": a} for q, a in QA], pr_staff, head
    )
    entry = Spokesperson.objects.create(
        office=office,
        user=spokesperson,
        name="Sri Handayani",
        decree_number="SK W.9.IMI-UM.01.01-0127",
        valid_from=date(2025, 1, 1),
        topics=list(Topic.values),
        levels=[1, 2, 3, 4],
    )
    Appointment.objects.create(conference=conference, spokesperson=entry, appointed_by=head)
    Fact.objects.create(
        conference=conference,
        statement="Penggunaan autogate mencapai 71% dari seluruh perlintasan keberangkatan.",
        source="Laporan Seksi Lalu Lintas Keimigrasian",
        entered_by=pr_staff,
        verified_by=head,
        verified_at=HELD - timedelta(days=3),
    )
    for outlet in ("Antara", "Kompas", "Tempo"):
        contact = MediaContact.objects.create(
            office=office,
            outlet=outlet,
            media_type=MediaType.ONLINE,
            journalist=f"Wartawan {outlet}",
        )
        Invitation.objects.create(conference=conference, contact=contact, invited_by=pr_staff)
    QuestionLog.objects.create(
        conference=conference, asker="Dewi", outlet="Kompas",
        question="Mengapa antrean panjang terjadi pada akhir pekan kemarin?",
    )  # fmt: skip
    QuestionLog.objects.create(
        conference=conference, asker="Rizky", outlet="Detikcom",
        question="Apakah ada penambahan autogate di Terminal 2 tahun depan?",
    )  # fmt: skip
    return conference


@pytest.fixture
def news_source(offices) -> Source:
    return Source.objects.create(
        office=offices["soetta"], name="Berita (uji)", kind=SourceKind.SOCIAL_IMPORT
    )


def store(source: Source, *posts: tuple[str, str, float, str, str]) -> dict[str, Mention]:
    """Store posts (key, outlet, hours after :data:`HELD`, title, text) through
    monitoring's ingestion; returns the mentions by key."""
    items = [
        ParsedItem(
            external_id=key,
            title=title,
            text=text,
            outlet=outlet,
            author=outlet or key,
            author_followers=1000,
            platform="news" if outlet else "twitter",
            published_at=HELD + timedelta(hours=hours),
            url=f"https://berita.example.id/{key}",
            likes=10,
            shares=2,
            comments=1,
        )
        for key, outlet, hours, title, text in posts
    ]
    ingest_items(source, items, kind=JobKind.DEMO)
    return {m.external_id: m for m in Mention.objects.filter(source=source)}


WIB = ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int = 10, month: int = 5) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=WIB)


def conference(
    office: Office,
    author: User,
    *,
    kind: str = ConferenceType.REGULAR,
    start: datetime,
    material_before: bool = True,
    evaluated: bool = True,
    late: bool = False,
    exercise: bool = False,
    title: str = "Konferensi pers kinerja",
) -> Conference:
    conf = Conference.objects.create(
        office=office,
        type=kind,
        title=title,
        stage=Stage.CLOSED if evaluated else Stage.EVALUATION,
        status=Status.COMPLETED if evaluated else Status.ACTIVE,
        is_exercise=exercise,
        opened_at=start
        - (timedelta(minutes=90) if kind == ConferenceType.CRISIS else timedelta(days=7)),
        scheduled_at=start - timedelta(minutes=30 if late else 0),
        holding_statement_at=(start - timedelta(minutes=60))
        if kind == ConferenceType.CRISIS
        else None,
        actual_start=start,
        actual_end=start + timedelta(minutes=30),
        completed_at=start + timedelta(days=2) if evaluated else None,
    )
    for k in REQUIRED_MATERIAL[kind]:
        m = Material.objects.create(conference=conf, kind=k, state=MaterialState.APPROVED)
        approved = start - timedelta(hours=5) if material_before else start + timedelta(hours=1)
        MaterialVersion.objects.create(
            material=m, number=1, author=author, approved_by=author, approved_at=approved
        )
    return conf


def case(
    office: Office,
    *,
    level: int,
    opened: datetime,
    ack_minutes: int,
    statement_minutes: int | None,
    exercise: bool = False,
) -> Case:
    burst = opened - timedelta(minutes=10)
    return Case.objects.create(
        office=office,
        title="Keluhan antrean viral",
        status=CaseStatus.CLOSED,
        level=level,
        is_exercise=exercise,
        opened_at=opened,
        burst_started_at=burst,
        signal_at=opened,
        acknowledged_at=opened + timedelta(minutes=ack_minutes),
        first_statement_at=burst + timedelta(minutes=statement_minutes)
        if statement_minutes is not None
        else None,
    )


@dataclass
class Scenario:
    offices: dict[str, Office]
    ngurah_rai: Office
    conferences: dict[str, Conference]


@pytest.fixture
def scenario(offices, pr_lead) -> Scenario:
    soetta, jakpus = offices["soetta"], offices["jakpus"]
    ngurah_rai = Office.objects.create(
        code="ngurah-rai",
        name="Kantor Imigrasi Kelas I Khusus TPI Ngurah Rai",
        short_name="Kanim Ngurah Rai",
        level=OfficeLevel.OFFICE,
        parent=offices["kanwil_bali"],
        timezone="Asia/Makassar",
    )
    confs = {
        # Soekarno-Hatta: two regular (one full, one material approved late), one crisis
        # (full), one incidental started late, one exercise (never counts).
        "full": conference(soetta, pr_lead, start=at(5), title="Kinerja Mei"),
        "late_material": conference(soetta, pr_lead, start=at(12), material_before=False),
        "crisis": conference(soetta, pr_lead, kind=ConferenceType.CRISIS, start=at(14)),
        "late_start": conference(
            soetta, pr_lead, kind=ConferenceType.INCIDENTAL, start=at(20), late=True
        ),
        "exercise": conference(soetta, pr_lead, start=at(21), exercise=True),
        # Jakarta Pusat: one regular, full, but not evaluated yet
        "unevaluated": conference(jakpus, pr_lead, start=at(7), evaluated=False),
        # Ngurah Rai: one regular, full (in WITA)
        "bali": conference(ngurah_rai, pr_lead, start=at(8)),
        # April: not in May
        "april": conference(soetta, pr_lead, start=at(28, month=4)),
    }
    # Crisis cases: level 2 within target (ack 30 min, statement 240 min), level 3 missing
    case(soetta, level=2, opened=at(3), ack_minutes=10, statement_minutes=120)
    late = case(soetta, level=3, opened=at(9), ack_minutes=40, statement_minutes=200)
    case(jakpus, level=1, opened=at(10), ack_minutes=20, statement_minutes=None)
    case(soetta, level=4, opened=at(11), ack_minutes=1, statement_minutes=5, exercise=True)
    Clarification.objects.create(
        case=late,
        office=soetta,
        title="[HOAKS] Tarif paspor",
        claim="x",
        facts="y",
        status=ClarificationStatus.PUBLISHED,
        written_by=pr_lead,
        published_at=at(9, 15),
    )
    # Questions: three in Soekarno-Hatta (two answered after 2 h and 4 h), one in Bali
    for i, hours in enumerate((2, 4, None)):
        Inquiry.objects.create(
            office=soetta,
            reference=f"Q-{i}",
            kind=InquiryKind.QUESTION,
            message="?",
            submitted_at=at(15 + i),
            status=InquiryStatus.ANSWERED if hours else InquiryStatus.NEW,
            answered_at=at(15 + i) + timedelta(hours=hours) if hours else None,
        )
    Inquiry.objects.create(
        office=ngurah_rai,
        reference="Q-B",
        kind=InquiryKind.QUESTION,
        message="?",
        submitted_at=at(6),
    )
    Inquiry.objects.create(
        office=soetta, reference="R-1", kind=InquiryKind.BROKER, message="calo", submitted_at=at(6)
    )  # a report, not a question
    for office, sentiment, n in (
        (soetta, Sentiment.NEGATIVE, 30),
        (soetta, Sentiment.POSITIVE, 50),
        (soetta, Sentiment.NEUTRAL, 20),
        (jakpus, Sentiment.NEUTRAL, 10),
    ):
        HourlyVolume.objects.create(
            office=office,
            hour=at(4),
            kind=SourceKind.RSS,
            platform=Platform.NEWS,
            sentiment=sentiment,
            language=Language.INDONESIAN,
            mentions=n,
        )
    ind.refresh(ind.months_between(at(1, month=4).date(), at(1, month=6).date()))
    return Scenario(dict(offices), ngurah_rai, confs)

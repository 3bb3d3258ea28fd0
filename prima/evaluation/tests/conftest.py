"""A planted scenario for the indicators: known conferences, cases, clarifications,
questions and mentions in Soekarno-Hatta, Jakarta Pusat and Ngurah Rai (Bali) in May
2026, plus exercises that must never count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from prima.conferences.models import (
    REQUIRED_MATERIAL,
    Conference,
    ConferenceType,
    Material,
    MaterialState,
    MaterialVersion,
    Stage,
    Status,
)
from prima.crisis.models import Case, CaseStatus, Clarification, ClarificationStatus
from prima.evaluation import indicators as ind
from prima.monitoring.models import HourlyVolume, Language, Platform, Sentiment, SourceKind
from prima.organizations.models import Office, OfficeLevel, User
from prima.portal.models import Inquiry, InquiryKind, InquiryStatus

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

"""A held press conference of Soekarno-Hatta with approved key messages and Q&A, a
spokesperson, a verified fact, invitations and logged questions; and a helper that
stores mentions through monitoring's ingestion (so they are indexed for search)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from prima.conferences.models import (
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
    Topic,
)
from prima.monitoring.ingest.jobs import ingest_items
from prima.monitoring.models import JobKind, Mention, Source, SourceKind
from prima.monitoring.parsers.base import ParsedItem

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

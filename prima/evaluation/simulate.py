"""A simulated national year: 33 Kanwil and about 125 offices under a directorate
general, with realistic counts of press conferences, crisis cases, clarifications,
public questions and a few million mentions, for ``benchmarks/evaluation.py`` (and, at
a small scale, the demo's history).

Choices, so the figures mean something:

- rows are written with ``bulk_create`` in batches (no workflow, no audit entries: this
  is test data, never a real office's record). Real conferences pass the same gates as
  the workflow would leave them (material approved before the start for most; some start
  late, miss a crisis deadline or are never evaluated); about 5 % are exercises and must
  never count;
- mentions are written as monitoring's **hourly rollup rows** (``HourlyVolume``), which
  is what the indicators read (the dashboard does the same), not as millions of
  ``Mention`` rows: one row per office, day and sentiment carries the day's count, so a
  year of ~3 million mentions is ~140,000 rows. The mention table itself is not read by
  any indicator page;
- everything is drawn from a seeded random generator: the same seed gives the same year.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from prima.conferences.models import (
    REQUIRED_MATERIAL,
    Conference,
    ConferenceType,
    Material,
    MaterialState,
    MaterialVersion,
    Stage,
    Status,
    Topic,
)
from prima.crisis.models import Case, CaseStatus, Clarification, ClarificationStatus, Verdict
from prima.monitoring.models import HourlyVolume, Language, Platform, Sentiment, SourceKind
from prima.organizations.models import Office, OfficeLevel, TimeZoneChoice, User
from prima.portal.models import Inquiry, InquiryKind, InquiryStatus

from . import indicators as ind

BATCH = 2000
REGIONS = [
    ("Aceh", "Asia/Jakarta"), ("Sumatera Utara", "Asia/Jakarta"),
    ("Sumatera Barat", "Asia/Jakarta"), ("Riau", "Asia/Jakarta"),
    ("Kepulauan Riau", "Asia/Jakarta"), ("Jambi", "Asia/Jakarta"),
    ("Sumatera Selatan", "Asia/Jakarta"), ("Bengkulu", "Asia/Jakarta"),
    ("Lampung", "Asia/Jakarta"), ("Bangka Belitung", "Asia/Jakarta"),
    ("Banten", "Asia/Jakarta"), ("Jawa Barat", "Asia/Jakarta"),
    ("Jawa Tengah", "Asia/Jakarta"), ("DI Yogyakarta", "Asia/Jakarta"),
    ("Jawa Timur", "Asia/Jakarta"), ("Kalimantan Barat", "Asia/Jakarta"),
    ("Kalimantan Tengah", "Asia/Jakarta"), ("Kalimantan Selatan", "Asia/Makassar"),
    ("Kalimantan Timur", "Asia/Makassar"), ("Sulawesi Utara", "Asia/Makassar"),
    ("Gorontalo", "Asia/Makassar"), ("Sulawesi Tengah", "Asia/Makassar"),
    ("Sulawesi Barat", "Asia/Makassar"), ("Sulawesi Selatan", "Asia/Makassar"),
    ("Sulawesi Tenggara", "Asia/Makassar"), ("Bali", "Asia/Makassar"),
    ("Nusa Tenggara Barat", "Asia/Makassar"), ("Nusa Tenggara Timur", "Asia/Makassar"),
    ("Maluku", "Asia/Jayapura"), ("Maluku Utara", "Asia/Jayapura"),
    ("Papua", "Asia/Jayapura"), ("Papua Barat", "Asia/Jayapura"),
    ("Daerah Khusus Jakarta", "Asia/Jakarta"),
]  # fmt: skip
REGULAR_TITLES = [
    "Capaian kinerja layanan keimigrasian bulan {m}",
    "Kesiapan layanan arus mudik dan balik Lebaran",
    "Kesiapan pengamanan Natal dan Tahun Baru",
    "Peluncuran layanan paspor elektronik polikarbonat",
    "Sosialisasi tarif PNBP paspor sesuai PP 45/2024",
]
INCIDENTAL_TITLES = [
    "Deportasi WNA pelanggar izin tinggal",
    "Pengungkapan kasus TPPO melalui bandara",
    "Penangkapan WNA penyalahgunaan visa kunjungan",
    "Pembukaan unit layanan paspor baru",
]
CRISIS_TITLES = [
    "Klarifikasi video viral antrean autogate",
    "Gangguan sistem layanan paspor",
    "Klarifikasi hoaks pungutan liar di loket",
]
CASE_TITLES = [
    "Keluhan antrean viral di media sosial",
    "Hoaks tarif paspor beredar di grup WhatsApp",
    "Dugaan calo di kantor imigrasi",
    "Gangguan autogate saat puncak kedatangan",
]
# The clarification a case of each kind publishes: headline, claim, facts, verdict. The
# portal shows these to the public, so each one answers its own case's claim.
CLARIFICATIONS = {
    "Keluhan antrean viral di media sosial": (
        "Video antrean panjang di konter imigrasi bukan kejadian hari ini",
        "Beredar video yang disebut menunjukkan antrean imigrasi berjam-jam hari ini.",
        "Video tersebut direkam pada puncak arus libur tahun lalu. Hari ini seluruh konter "
        "dan autogate beroperasi; waktu tunggu rata-rata di bawah 15 menit.",
        Verdict.OUT_OF_CONTEXT,
    ),
    "Hoaks tarif paspor beredar di grup WhatsApp": (
        "Tidak ada kenaikan tarif paspor",
        "Beredar pesan berantai di grup WhatsApp bahwa tarif paspor naik mulai bulan ini.",
        "Tarif resmi paspor tetap sesuai PP 45/2024. Pembayaran hanya melalui bank atau "
        "kanal resmi; tidak ada biaya lain di loket.",
        Verdict.HOAX,
    ),
    "Dugaan calo di kantor imigrasi": (
        "Paspor tidak perlu diurus lewat perantara",
        "Beredar unggahan bahwa paspor hanya bisa selesai cepat lewat jasa perantara.",
        "Permohonan paspor diajukan sendiri melalui aplikasi resmi dengan tarif sesuai "
        "PP 45/2024; percepatan hanya melalui layanan percepatan resmi. Laporkan calo "
        "melalui kanal pengaduan resmi.",
        Verdict.MISLEADING,
    ),
    "Gangguan autogate saat puncak kedatangan": (
        "Autogate tidak dihentikan permanen",
        "Beredar kabar bahwa autogate di bandara dihentikan permanen dan semua penumpang "
        "wajib antre di konter.",
        "Autogate sempat terganggu saat puncak kedatangan dan telah beroperasi kembali; "
        "selama gangguan, konter manual ditambah.",
        Verdict.HOAX,
    ),
}
REGULAR_TOPICS = [Topic.PERFORMANCE, Topic.SERVICES, Topic.POLICY]


@dataclass
class Counts:
    offices: int = 0
    conferences: int = 0
    exercises: int = 0
    cases: int = 0
    clarifications: int = 0
    questions: int = 0
    mentions: int = 0
    volume_rows: int = 0
    indicator_rows: int = 0
    extra: dict[str, int] = field(default_factory=dict)


def build_tree(
    dg: Office, *, kanwil: int = 33, offices: int = 125, prefix: str = "sim"
) -> list[Office]:
    """Create ``kanwil`` regional offices and ``offices`` offices spread over them under
    ``dg``; returns the offices (level "office")."""
    created: list[Office] = []
    regions = []
    for i in range(kanwil):
        name, tz = REGIONS[i % len(REGIONS)]
        regions.append(
            Office.objects.create(
                code=f"{prefix}-kanwil-{i + 1:02d}",
                name=f"Kantor Wilayah Direktorat Jenderal Imigrasi {name}",
                short_name=f"Kanwil {name}",
                level=OfficeLevel.REGIONAL_OFFICE,
                parent=dg,
                timezone=tz,
                city=name,
            )
        )
    for j in range(offices):
        region = regions[j % kanwil]
        created.append(
            Office.objects.create(
                code=f"{prefix}-kanim-{j + 1:03d}",
                name=f"Kantor Imigrasi {region.city} {j // kanwil + 1}",
                short_name=f"Kanim {region.city} {j // kanwil + 1}",
                level=OfficeLevel.OFFICE,
                parent=region,
                timezone=region.timezone or TimeZoneChoice.WIB,
                city=region.city,
            )
        )
    return created


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: fine for the small means used here.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _moment(rng: random.Random, month: date, tz: ZoneInfo, *, hour: tuple[int, int]) -> datetime:
    nxt = ind.add_months(month, 1)
    days = (nxt - month).days
    day = month + timedelta(days=rng.randrange(days))
    return datetime(
        day.year, day.month, day.day, rng.randint(*hour), rng.choice((0, 15, 30)), tzinfo=tz
    )


def populate(
    offices: list[Office],
    months: list[date],
    author: User,
    *,
    seed: int = 2026,
    scale: float = 1.0,
    mentions_per_day: float = 70.0,
    with_mentions: bool = True,
    open_questions: bool = True,
    now: datetime | None = None,
    say: Callable[[str], None] = lambda _s: None,
) -> Counts:
    """Write a simulated history of ``offices`` over ``months`` (nothing after ``now``).
    ``scale`` multiplies the activity (1.0: a typical office)."""
    rng = random.Random(seed)  # noqa: S311 - simulated data, reproducible by its seed
    now = now or timezone.now()
    counts = Counts(offices=len(offices))
    conferences: list[Conference] = []
    cases: list[Case] = []
    questions: list[Inquiry] = []
    volumes: list[HourlyVolume] = []
    ref = Inquiry.objects.count()
    for office in offices:
        tz = ZoneInfo(office.timezone)
        weight = scale * rng.lognormvariate(0, 0.5)
        for month in months:
            for kind, mean, titles in (
                (ConferenceType.REGULAR, 1.4, REGULAR_TITLES),
                (ConferenceType.INCIDENTAL, 0.9, INCIDENTAL_TITLES),
                (ConferenceType.CRISIS, 0.12, CRISIS_TITLES),
            ):
                for _n in range(_poisson(rng, mean * weight)):
                    start = _moment(rng, month, tz, hour=(9, 11))
                    if start > now:
                        continue
                    conferences.append(_conference(rng, office, kind, titles, start, month))
            for _n in range(_poisson(rng, 0.7 * weight)):
                opened = _moment(rng, month, tz, hour=(6, 22))
                if opened <= now:
                    cases.append(_case(rng, office, opened))
            for _n in range(_poisson(rng, 25 * weight)):
                asked = _moment(rng, month, tz, hour=(7, 21)) + timedelta(minutes=rng.randrange(60))
                if asked > now:
                    continue
                ref += 1
                answered = (
                    asked + timedelta(hours=rng.lognormvariate(2.5, 1.0))
                    if rng.random() < 0.86
                    else None
                )
                if answered is not None and answered > now:
                    answered = None
                questions.append(
                    Inquiry(
                        office=office,
                        reference=f"SIM-{ref:07d}",
                        kind=InquiryKind.QUESTION,
                        message="Berapa lama pembuatan paspor elektronik?",
                        submitted_at=asked,
                        status=InquiryStatus.ANSWERED
                        if answered
                        else (InquiryStatus.NEW if open_questions else InquiryStatus.CLOSED),
                        answer="Paspor selesai dalam 4 (empat) hari kerja." if answered else "",
                        answered_at=answered,
                    )
                )
            day = month
            while with_mentions and day < ind.add_months(month, 1):
                moment = datetime(day.year, day.month, day.day, 3, tzinfo=ZoneInfo("UTC"))
                day += timedelta(days=1)
                if moment > now:
                    break
                total = _poisson(rng, 8) + int(mentions_per_day * weight * rng.uniform(0.5, 1.5))
                neg = int(total * rng.uniform(0.08, 0.3))
                pos = int(total * rng.uniform(0.2, 0.45))
                for sentiment, n in (
                    (Sentiment.NEGATIVE, neg),
                    (Sentiment.POSITIVE, pos),
                    (Sentiment.NEUTRAL, total - neg - pos),
                ):
                    volumes.append(
                        HourlyVolume(
                            office=office,
                            hour=moment,
                            kind=SourceKind.RSS,
                            platform=Platform.NEWS,
                            sentiment=sentiment,
                            language=Language.INDONESIAN,
                            mentions=n,
                            reach=n * 1200,
                            engagement=n * 15,
                        )
                    )
                    counts.mentions += n
    say(
        f"  writing {len(conferences)} conferences, {len(cases)} cases, "
        f"{len(questions)} questions, {len(volumes)} volume rows"
    )
    with transaction.atomic():
        Conference.objects.bulk_create(conferences, batch_size=BATCH)
        _materials(rng, conferences, author)
        Case.objects.bulk_create(cases, batch_size=BATCH)
        clarifications = [
            Clarification(
                case=case,
                office=case.office,
                title=CLARIFICATIONS[case.title][0],
                claim=CLARIFICATIONS[case.title][1],
                facts=CLARIFICATIONS[case.title][2],
                verdict=CLARIFICATIONS[case.title][3],
                status=ClarificationStatus.PUBLISHED,
                is_exercise=case.is_exercise,
                written_by=author,
                published_at=case.first_statement_at,
            )
            for case in cases
            if case.first_statement_at is not None and rng.random() < 0.35
        ]
        Clarification.objects.bulk_create(clarifications, batch_size=BATCH)
        Inquiry.objects.bulk_create(questions, batch_size=BATCH)
        HourlyVolume.objects.bulk_create(volumes, batch_size=BATCH)
    counts.conferences = sum(1 for c in conferences if not c.is_exercise)
    counts.exercises = sum(1 for c in conferences if c.is_exercise)
    counts.cases = len(cases)
    counts.clarifications = len(clarifications)
    counts.questions = len(questions)
    counts.volume_rows = len(volumes)
    return counts


def _conference(
    rng: random.Random,
    office: Office,
    kind: str,
    titles: list[str],
    start: datetime,
    month: date,
) -> Conference:
    crisis = kind == ConferenceType.CRISIS
    late = rng.random() < 0.08
    scheduled = (
        start - timedelta(minutes=rng.choice((0, 0, 5)))
        if not late
        else (start - timedelta(minutes=rng.randint(20, 60)))
    )
    opened = start - (
        timedelta(minutes=rng.randint(60, 200)) if crisis else timedelta(days=rng.randint(7, 14))
    )
    evaluated = rng.random() < 0.88
    end = start + timedelta(minutes=rng.randint(25, 45))
    title = rng.choice(titles).format(m=f"{month:%m/%Y}")
    return Conference(
        office=office,
        type=kind,
        title=title,
        topic=Topic.CRISIS if crisis else rng.choice(REGULAR_TOPICS),
        stage=Stage.CLOSED if evaluated else Stage.EVALUATION,
        status=Status.COMPLETED if evaluated else Status.ACTIVE,
        is_exercise=rng.random() < 0.05,
        opened_at=opened,
        scheduled_at=scheduled,
        stage_entered_at=end,
        holding_statement_at=(opened + timedelta(minutes=rng.randint(20, 80))) if crisis else None,
        actual_start=start,
        actual_end=end,
        completed_at=end + timedelta(days=rng.randint(1, 5)) if evaluated else None,
    )


def _materials(rng: random.Random, conferences: list[Conference], author: User) -> None:
    """Required material for every conference, approved before the start for most."""
    materials = []
    for c in conferences:
        for kind in REQUIRED_MATERIAL[c.type]:
            materials.append(Material(conference=c, kind=kind, state=MaterialState.APPROVED))
    Material.objects.bulk_create(materials, batch_size=BATCH)
    versions = []
    for m in materials:
        c = m.conference
        start = c.actual_start or c.opened_at
        before = rng.random() < 0.92
        approved = (
            start - timedelta(hours=rng.uniform(1, 48))
            if before
            else (start + timedelta(minutes=rng.randint(5, 60)))
        )
        versions.append(
            MaterialVersion(
                material=m,
                number=1,
                title=c.title,
                body="Pesan kunci.",
                author=author,
                created_at=approved - timedelta(hours=2),
                approved_by=author,
                approved_at=approved,
            )
        )
    MaterialVersion.objects.bulk_create(versions, batch_size=BATCH)
    for m, v in zip(materials, versions, strict=True):
        m.current = v
    Material.objects.bulk_update(materials, ["current"], batch_size=BATCH)


def _case(rng: random.Random, office: Office, opened: datetime) -> Case:
    level = rng.choices((1, 2, 3, 4), weights=(55, 30, 12, 3))[0]
    burst = opened - timedelta(minutes=rng.randint(5, 30))
    signal = burst + timedelta(minutes=rng.randint(5, 20))
    ack = signal + timedelta(minutes=rng.lognormvariate(2.3, 0.8))
    statement = burst + timedelta(minutes=rng.lognormvariate(4.0 - 0.4 * level, 0.7))
    return Case(
        office=office,
        title=rng.choice(CASE_TITLES),
        status=CaseStatus.CLOSED,
        level=level,
        is_exercise=rng.random() < 0.1,
        opened_at=opened,
        burst_started_at=burst,
        signal_at=signal,
        notified_at=signal + timedelta(minutes=1),
        acknowledged_at=ack,
        first_statement_at=statement if rng.random() < 0.9 else None,
        last_activity_at=statement,
        closed_at=statement + timedelta(days=1),
    )

"""Building blocks for verification tests: a catalogue of plain facts (no database), a
context around it, and a shortcut to check a text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from prima.catalogue.services import DurationFact, FeeFact, ServiceFacts
from prima.documents.verification import references
from prima.documents.verification.engine import verify
from prima.documents.verification.types import (
    Context,
    Draft,
    DraftKind,
    Finding,
    Part,
    Person,
    Source,
)

DAY = date(2025, 11, 19)  # a Wednesday
PP_2024 = "PP No. 45 Tahun 2024"


def fee(code: str, label: str, label_en: str, amount: int, *, surcharge: bool = False) -> FeeFact:
    return FeeFact(code, label, label_en, Decimal(amount), "IDR", "document", PP_2024, surcharge)


SAME_DAY = fee(
    "percepatan",
    "Layanan percepatan paspor (selesai di hari yang sama)",
    "Same-day passport service",
    1_000_000,
    surcharge=True,
)


def service(sid: int, code: str, name: str, name_en: str, fees: tuple[FeeFact, ...], *,
            duration: tuple[int, str] = (4, "working_days"),
            since: date = date(2024, 12, 17)) -> ServiceFacts:  # fmt: skip
    return ServiceFacts(
        office_id=1,
        office_code="soetta",
        service_id=sid,
        code=code,
        category="passport",
        name=name,
        name_en=name_en,
        version_id=sid,
        version_number=2,
        effective_from=since,
        effective_until=None,
        legal_basis=PP_2024,
        duration=DurationFact(*duration, ""),
        fees=fees,
    )


CATALOGUE = [
    service(1, "paspor-biasa", "Paspor Biasa", "Ordinary passport", (
        fee("biasa-5", "Paspor biasa, masa berlaku 5 tahun", "Ordinary passport, valid 5 years",
            350_000),
        fee("biasa-10", "Paspor biasa, masa berlaku 10 tahun",
            "Ordinary passport, valid 10 years", 650_000),
        SAME_DAY)),
    service(2, "paspor-elektronik", "Paspor Elektronik", "Electronic passport", (
        fee("el-5", "Paspor elektronik, masa berlaku 5 tahun",
            "Electronic passport, valid 5 years", 650_000),
        fee("el-10", "Paspor elektronik, masa berlaku 10 tahun",
            "Electronic passport, valid 10 years", 950_000),
        SAME_DAY)),
    service(3, "visa-on-arrival", "Visa Kunjungan Saat Kedatangan (VoA)", "Visa on arrival (VoA)",
            (fee("voa", "Visa kunjungan saat kedatangan", "Visa on arrival", 500_000),),
            duration=(30, "minutes"), since=date(2022, 3, 7)),
]  # fmt: skip

FACTS = [
    "Sebanyak 12 WNA asal Tiongkok dideportasi pada 18 November 2025 melalui Terminal 3.",
    "Penggunaan autogate mencapai 71% dari seluruh perlintasan keberangkatan.",
    "Perlintasan orang di Bandara Soekarno-Hatta bulan lalu: 1.612.405 (WNI dan WNA).",
]

PEOPLE = [
    Person("Sri Handayani", "Kepala Bidang Lalu Lintas Keimigrasian", True, True, True),
    Person("Budi Santoso", "Kepala Kantor", True, False, True),
    Person("Rudi Hartono", "Kepala Seksi Intelijen dan Penindakan Keimigrasian", True, False,
           False),
]  # fmt: skip


def context(*, earlier: list[tuple[str, date]] | None = None, appointment: bool = True) -> Context:
    facts = references.from_catalogue(CATALOGUE, urls={1: "/catalogue/1/"})
    for i, statement in enumerate(FACTS):
        facts += references.from_text(statement, Source("fact", f"fakta {i + 1}", f"/f/{i}"))
    facts += references.from_schedule(
        datetime(2025, 11, 19, 3, 0, tzinfo=UTC),
        tz_name="Asia/Jakarta",
        zone="WIB",
        city="Tangerang",
        label="jadwal konferensi",
        url="/conferences/1/",
    )
    said: list = []
    for text, day in earlier or []:
        said += references.from_text(text, Source("earlier", "siaran pers lalu", "/earlier/", day))
    return Context(
        day=DAY,
        office_name="Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta",
        office_city="Tangerang",
        facts=facts,
        earlier=said,
        people=list(PEOPLE),
        checks_appointment=appointment,
    )


def check(text: str, *, kind: DraftKind = DraftKind.STATEMENT, ctx: Context | None = None,
          release: bool | None = None) -> list[Finding]:  # fmt: skip
    return verify(Draft(kind, (Part("text", text),)), ctx or context(), release=release)


def problems(findings: list[Finding]) -> list[tuple[str, str, str]]:
    """(severity, kind, words) of each finding but the reading-time note."""
    return [(f.severity, f.kind, f.text) for f in findings if f.kind != "reading_time"]

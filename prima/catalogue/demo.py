"""Demo data: the service catalogue of Kantor Imigrasi Soekarno-Hatta.

Fees are the commonly published values listed in the project's domain brief (PP No. 28
Tahun 2019, PMK No. 9 Tahun 2022, PP No. 45 Tahun 2024); every version is marked as
**example content** that the office must verify against the regulation's annex before
relying on it (the pages say so). Completion times and procedures are typical, not
official.

Everything goes through :mod:`prima.catalogue.services`, by the demo people who would do
it (PR staff write, the PR lead or the head of office approve), so the audit trail and the
four-eyes rule are real. The demo shows every state: versions in force with an earlier
history, an upcoming version, one awaiting approval and one returned for changes. Runs
once (skipped when the office already has services).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from prima.organizations.demo import register
from prima.organizations.models import Office, User

from . import services
from .models import Category, DurationUnit, FeeUnit, Service

OFFICE = "kanim-soekarno-hatta"
PP_2019 = "PP No. 28 Tahun 2019"
PP_2024 = "PP No. 45 Tahun 2024"
PMK_2022 = "PP No. 28 Tahun 2019 jo. PMK No. 9 Tahun 2022"
# Sources give 17, 18 or 22 December 2024 for PP No. 45/2024: the example takes the first.
PP_2024_FROM = date(2024, 12, 17)
PP_2019_FROM = date(2019, 5, 3)

COMPLAINTS = [
    "SP4N-LAPOR! di www.lapor.go.id",
    "Loket informasi dan pengaduan, Kantor Imigrasi Soekarno-Hatta",
    "Formulir tanya dan lapor di portal ini (tanpa log-in)",
]
RIGHTS = [
    "Mendapat pelayanan sesuai standar, tepat waktu dan tanpa diskriminasi",
    "Mengetahui biaya resmi dan membayarnya hanya melalui kanal pembayaran PNBP",
    "Menyampaikan pengaduan dan mendapat jawaban",
]
RIGHTS_EN = [
    "To be served to the standard, on time and without discrimination",
    "To know the official fee and pay it only through the official PNBP channels",
    "To file a complaint and receive an answer",
]
OBLIGATIONS = [
    "Memberikan data dan dokumen yang benar dan asli",
    "Membayar PNBP sesuai tarif resmi",
    "Hadir sesuai jadwal yang dipilih",
]
OBLIGATIONS_EN = [
    "To give true data and original documents",
    "To pay the official PNBP fee",
    "To come at the chosen time",
]
PASSPORT_REQUIREMENTS = [
    "KTP elektronik yang masih berlaku",
    "Kartu Keluarga",
    "Akta kelahiran, akta perkawinan, ijazah atau surat baptis",
    "Paspor lama (untuk penggantian paspor habis masa berlaku)",
]
PASSPORT_REQUIREMENTS_EN = [
    "Valid electronic identity card (KTP-el)",
    "Family card (Kartu Keluarga)",
    "Birth certificate, marriage certificate, diploma or baptism certificate",
    "The old passport (when replacing an expired one)",
]
PASSPORT_PROCEDURE = [
    "Daftar antrean melalui aplikasi M-Paspor dan pilih jadwal kedatangan",
    "Bayar PNBP dengan kode billing di bank, kantor pos atau kanal resmi lainnya",
    "Datang sesuai jadwal membawa dokumen asli",
    "Verifikasi dokumen, wawancara, foto dan perekaman sidik jari",
    "Ambil paspor pada tanggal yang tertera di tanda terima",
]
PASSPORT_PROCEDURE_EN = [
    "Book a queue number in the M-Paspor app and choose a time",
    "Pay the PNBP fee with the billing code at a bank, post office or other official channel",
    "Come at the chosen time with the original documents",
    "Document check, interview, photo and fingerprints",
    "Collect the passport on the date printed on the receipt",
]
SAME_DAY = {
    "code": "percepatan",
    "label": "Layanan percepatan paspor (selesai di hari yang sama)",
    "label_en": "Same-day passport service",
    "amount": 1_000_000,
    "unit": FeeUnit.DOCUMENT,
    "is_surcharge": True,
}


def _content(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "complaint_channels": COMPLAINTS,
        "rights": RIGHTS,
        "rights_en": RIGHTS_EN,
        "obligations": OBLIGATIONS,
        "obligations_en": OBLIGATIONS_EN,
        "is_example": True,
    }
    base.update(values)
    return base


def _fee(code: str, label: str, label_en: str, amount: int, **extra: Any) -> dict[str, Any]:
    return {"code": code, "label": label, "label_en": label_en, "amount": amount, **extra}


def _passport(
    kind: str,
    name: str,
    name_en: str,
    fees_2019: list[dict[str, Any]],
    fees_2024: list[dict[str, Any]],
) -> dict[str, Any]:
    common = {
        "name": name,
        "name_en": name_en,
        "requirements": PASSPORT_REQUIREMENTS,
        "requirements_en": PASSPORT_REQUIREMENTS_EN,
        "procedure": PASSPORT_PROCEDURE,
        "procedure_en": PASSPORT_PROCEDURE_EN,
        "duration_value": 4,
        "duration_unit": DurationUnit.WORKING_DAYS,
        "duration_note": "dihitung sejak wawancara dan foto",
        "product": f"{name} Republik Indonesia",
        "product_en": f"Indonesian {name_en.lower()}",
    }
    return {
        "code": kind,
        "category": Category.PASSPORT,
        "versions": [
            _content(
                **common,
                effective_from=PP_2019_FROM,
                legal_basis=PP_2019,
                summary=f"{name} untuk warga negara Indonesia.",
                fees=fees_2019,
            ),
            _content(
                **common,
                effective_from=PP_2024_FROM,
                legal_basis=PP_2024,
                summary=f"{name} untuk warga negara Indonesia, masa berlaku 5 atau 10 tahun.",
                change_note="Tarif baru dan masa berlaku 10 tahun menurut PP No. 45 Tahun 2024",
                fees=fees_2024,
            ),
        ],  # fmt: skip
    }


CATALOGUE: list[dict[str, Any]] = [
    _passport(
        "paspor-biasa",
        "Paspor Biasa",
        "Ordinary passport",
        [_fee("biasa-5-tahun", "Paspor biasa 48 halaman", "Ordinary passport, 48 pages", 350_000)],
        [
            _fee(
                "biasa-5-tahun",
                "Paspor biasa, masa berlaku 5 tahun",
                "Ordinary passport, valid 5 years",
                350_000,
            ),
            _fee(
                "biasa-10-tahun",
                "Paspor biasa, masa berlaku 10 tahun",
                "Ordinary passport, valid 10 years",
                650_000,
            ),
            SAME_DAY,
        ],
    ),  # fmt: skip
    _passport(
        "paspor-elektronik",
        "Paspor Elektronik",
        "Electronic passport",
        [
            _fee(
                "elektronik-5-tahun",
                "Paspor elektronik 48 halaman",
                "Electronic passport, 48 pages",
                650_000,
            )
        ],
        [
            _fee(
                "elektronik-5-tahun",
                "Paspor elektronik, masa berlaku 5 tahun",
                "Electronic passport, valid 5 years",
                650_000,
            ),
            _fee(
                "elektronik-10-tahun",
                "Paspor elektronik, masa berlaku 10 tahun",
                "Electronic passport, valid 10 years",
                950_000,
            ),
            SAME_DAY,
        ],
    ),  # fmt: skip
    {
        "code": "penggantian-paspor-hilang-rusak",
        "category": Category.PASSPORT,
        "versions": [
            _content(
                name="Penggantian Paspor Hilang atau Rusak",
                name_en="Replacement of a lost or damaged passport",
                summary="Paspor pengganti untuk paspor yang hilang atau rusak, setelah "
                "pemeriksaan (BAP).",
                requirements=[
                    *PASSPORT_REQUIREMENTS[:3],
                    "Surat keterangan hilang dari kepolisian (paspor hilang)",
                    "Paspor yang rusak (paspor rusak)",
                ],
                procedure=[
                    *PASSPORT_PROCEDURE[:3],
                    "Pemeriksaan dan berita acara (BAP) oleh petugas",
                    *PASSPORT_PROCEDURE[3:],
                ],
                duration_value=4,
                duration_unit=DurationUnit.WORKING_DAYS,
                duration_note="dihitung sejak pemeriksaan selesai",
                legal_basis=PP_2024,
                product="Paspor pengganti",
                product_en="Replacement passport",
                effective_from=PP_2024_FROM,
                fees=[
                    _fee(
                        "paspor-hilang",
                        "Penggantian paspor hilang (di luar tarif paspor)",
                        "Replacing a lost passport (on top of the passport fee)",
                        1_000_000,
                        is_surcharge=True,
                    ),
                    _fee(
                        "paspor-rusak",
                        "Penggantian paspor rusak (di luar tarif paspor)",
                        "Replacing a damaged passport (on top of the passport fee)",
                        500_000,
                        is_surcharge=True,
                    ),
                ],
            )  # fmt: skip
        ],
    },
    {
        "code": "visa-on-arrival",
        "category": Category.VISA,
        "versions": [
            _content(
                name="Visa Kunjungan Saat Kedatangan (VoA)",
                name_en="Visa on arrival (VoA)",
                summary="Visa kunjungan untuk warga negara asing dari negara yang ditetapkan, "
                "diberikan di bandara saat kedatangan.",
                summary_en="Visit visa for foreign nationals of eligible countries, issued at "
                "the airport on arrival.",
                requirements=[
                    "Paspor kebangsaan negara yang ditetapkan, berlaku paling singkat 6 bulan",
                    "Tiket kembali atau tiket lanjutan ke negara lain",
                ],
                requirements_en=[
                    "A passport of an eligible country, valid for at least 6 months",
                    "A return or onward ticket",
                ],
                procedure=[
                    "Bayar VoA di loket pembayaran bandara atau secara daring (e-VoA)",
                    "Tunjukkan paspor dan bukti bayar di konter pemeriksaan imigrasi",
                    "Terima tanda masuk pada paspor",
                ],
                procedure_en=[
                    "Pay for the VoA at the airport payment counter or online (e-VoA)",
                    "Show the passport and the receipt at the immigration counter",
                    "Receive the entry stamp in the passport",
                ],
                duration_value=30,
                duration_unit=DurationUnit.MINUTES,
                duration_note="di konter kedatangan, setelah pembayaran",
                legal_basis=PMK_2022,
                product="Visa kunjungan saat kedatangan, tinggal 30 hari",
                product_en="Visa on arrival, stay of 30 days",
                effective_from=date(2022, 3, 7),
                fees=[
                    _fee(
                        "voa",
                        "Visa kunjungan saat kedatangan",
                        "Visa on arrival",
                        500_000,
                        unit=FeeUnit.PERSON,
                    )
                ],
            )  # fmt: skip
        ],
    },
    {
        "code": "perpanjangan-izin-tinggal-kunjungan",
        "category": Category.STAY_PERMIT,
        "versions": [
            _content(
                name="Perpanjangan Izin Tinggal Kunjungan (ITK)",
                name_en="Extension of a visit stay permit",
                requirements=[
                    "Paspor kebangsaan yang masih berlaku",
                    "Izin tinggal kunjungan yang masih berlaku",
                    "Surat penjamin (sponsor)",
                ],
                procedure=[
                    "Ajukan permohonan sebelum izin tinggal berakhir",
                    "Bayar PNBP dengan kode billing",
                    "Foto dan wawancara di kantor imigrasi",
                    "Ambil paspor dengan izin tinggal yang diperpanjang",
                ],
                duration_value=3,
                duration_unit=DurationUnit.WORKING_DAYS,
                legal_basis=PP_2019,
                product="Perpanjangan izin tinggal kunjungan",
                product_en="Extended visit stay permit",
                effective_from=PP_2019_FROM,
                fees=[
                    _fee(
                        "itk-60-hari",
                        "Izin tinggal kunjungan 60 hari",
                        "Visit stay permit, 60 days",
                        2_000_000,
                        unit=FeeUnit.PERMIT,
                    )
                ],
            ),
            _content(
                name="Perpanjangan Izin Tinggal Kunjungan (ITK)",
                name_en="Extension of a visit stay permit",
                requirements=[
                    "Paspor kebangsaan yang masih berlaku",
                    "Izin tinggal kunjungan yang masih berlaku",
                    "Surat penjamin (sponsor)",
                ],
                procedure=[
                    "Ajukan permohonan sebelum izin tinggal berakhir",
                    "Bayar PNBP dengan kode billing",
                    "Foto dan wawancara di kantor imigrasi",
                    "Ambil paspor dengan izin tinggal yang diperpanjang",
                ],
                duration_value=3,
                duration_unit=DurationUnit.WORKING_DAYS,
                legal_basis=PMK_2022,
                product="Perpanjangan izin tinggal kunjungan",
                product_en="Extended visit stay permit",
                effective_from=date(2022, 3, 7),
                change_note="Tarif per masa tinggal; sumber berbeda untuk 60 hari — verifikasi",
                fees=[
                    _fee(
                        f"itk-{days}-hari",
                        f"Izin tinggal kunjungan {days} hari",
                        f"Visit stay permit, {days} days",
                        amount,
                        unit=FeeUnit.PERMIT,
                    )
                    for days, amount in (
                        (7, 250_000),
                        (14, 350_000),
                        (30, 500_000),
                        (60, 1_000_000),
                        (90, 1_500_000),
                        (180, 2_000_000),
                    )
                ],
            ),
        ],  # fmt: skip
    },
    {
        "code": "izin-masuk-kembali",
        "category": Category.RE_ENTRY,
        "versions": [
            _content(
                name="Izin Masuk Kembali",
                name_en="Re-entry permit",
                summary="Izin bagi pemegang izin tinggal terbatas atau tetap untuk masuk "
                "kembali ke Indonesia.",
                requirements=[
                    "Paspor kebangsaan yang masih berlaku",
                    "Izin tinggal terbatas (ITAS) atau tetap (ITAP) yang masih berlaku",
                ],
                procedure=[
                    "Ajukan permohonan secara daring",
                    "Bayar PNBP dengan kode billing",
                    "Terima izin masuk kembali elektronik",
                ],
                duration_value=3,
                duration_unit=DurationUnit.WORKING_DAYS,
                legal_basis=PP_2019,
                product="Izin masuk kembali",
                product_en="Re-entry permit",
                effective_from=PP_2019_FROM,
                fees=[
                    _fee(code, label, label_en, amount, unit=FeeUnit.PERMIT)
                    for code, label, label_en, amount in (
                        ("imk-30-hari", "Izin masuk kembali 30 hari", "30 days", 300_000),
                        ("imk-1-tahun", "Izin masuk kembali 1 tahun", "1 year", 1_500_000),
                        ("imk-2-tahun", "Izin masuk kembali 2 tahun", "2 years", 2_000_000),
                        ("imk-5-tahun", "Izin masuk kembali 5 tahun", "5 years", 3_500_000),
                        ("imk-10-tahun", "Izin masuk kembali 10 tahun", "10 years", 5_000_000),
                    )
                ],
            )  # fmt: skip
        ],
    },
]


def _split(version: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    content = dict(version)
    fees = content.pop("fees")
    return content, fees


@register(30, "service catalogue")
def load_catalogue(say: Callable[[str], None]) -> None:
    office = Office.objects.filter(code=OFFICE).first()
    if office is None or Service.objects.filter(office=office).exists():
        return
    people = {u.username: u for u in User.objects.filter(
        username__in=["humas", "humas2", "kasihumas", "kakanim"])}  # fmt: skip
    writer, writer2, lead, head = (people[n] for n in ("humas", "humas2", "kasihumas", "kakanim"))
    for order, entry in enumerate(CATALOGUE):
        first, *later = entry["versions"]
        content, fees = _split(first)
        version = services.create_service(
            writer, office, code=entry["code"], category=entry["category"], order=order,
            content=content, fees=fees,
        )  # fmt: skip
        services.submit(writer, version)
        services.publish(lead, version)
        for data in later:
            version = services.start_draft(writer, version.service)
            content, fees = _split(data)
            version = services.update_draft(writer, version, content=content, fees=fees)
            services.submit(writer, version)
            services.publish(head, version)
    today = services.office_today(office)
    by_code = {s.code: s for s in Service.objects.filter(office=office)}
    # An upcoming version: the same fees, the procedure mentions the online queue.
    upcoming = services.start_draft(writer2, by_code["paspor-biasa"])
    content, fees = services.version_content(upcoming)
    content.update(
        effective_from=today + timedelta(days=30),
        procedure=[*PASSPORT_PROCEDURE[:4], "Paspor dapat diambil sendiri atau dikirim lewat pos"],
        change_note="Paspor dapat dikirim lewat pos",
    )
    upcoming = services.update_draft(writer2, upcoming, content=content, fees=fees)
    services.submit(writer2, upcoming)
    services.publish(lead, upcoming)
    # Awaiting approval: a clearer note on the visa on arrival.
    pending = services.start_draft(writer2, by_code["visa-on-arrival"])
    content, fees = services.version_content(pending)
    content.update(
        duration_note="di konter kedatangan; e-VoA dibayar sebelum berangkat",
        change_note="Keterangan e-VoA",
        effective_from=today + timedelta(days=7),
    )
    pending = services.update_draft(writer2, pending, content=content, fees=fees)
    services.submit(writer2, pending)
    # Returned for changes: a draft for the re-entry permit without the legal source.
    returned = services.start_draft(writer, by_code["izin-masuk-kembali"])
    services.submit(writer, returned)
    services.return_version(
        lead,
        returned,
        "Mohon cek ulang dasar hukum tarif terhadap lampiran PP terbaru sebelum terbit.",
    )
    say(f"  {len(CATALOGUE)} services with versions (example content to verify)")

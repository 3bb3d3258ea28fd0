"""The automatic verification of a draft, checked on plain values (no database)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from prima.documents.verification.engine import verify
from prima.documents.verification.types import Draft, DraftKind, Part

from .verification_helpers import check, context, problems

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def english():
    with translation.override("en"):
        yield


CLEAN_RELEASE = """SIARAN PERS
Nomor: HM.01-123/IMI.5/XI/2025
Imigrasi Soekarno-Hatta Percepat Layanan Paspor Jelang Libur Akhir Tahun
Tangerang, Rabu, 19 November 2025 – Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta menggelar \
konferensi pers pada Rabu (19/11/2025) pukul 10.00 WIB di Terminal 3 untuk menyampaikan \
kesiapan layanan menjelang libur Natal dan Tahun Baru. Sejak 17 Desember 2024, sesuai PP No. 45 \
Tahun 2024, tarif paspor biasa masa berlaku 5 tahun Rp350.000 dan 10 tahun Rp650.000, sedangkan \
paspor elektronik Rp650.000 (5 tahun) dan Rp950.000 (10 tahun).
Paspor selesai paling lama 4 (empat) hari kerja sejak wawancara. Layanan percepatan dikenai \
biaya tambahan Rp1.000.000.
Penggunaan autogate mencapai 71% dari seluruh perlintasan keberangkatan. Sebanyak 12 WNA \
dideportasi pada Selasa (18/11/2025).
“Kami pastikan tidak ada pungutan di luar tarif resmi,” kata Sri Handayani, Juru Bicara Kantor \
Imigrasi Soekarno-Hatta.
Tentang Kantor Imigrasi Soekarno-Hatta
Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta melayani perlintasan di bandara tersibuk.
Narahubung: Andi Saputra, 0812-3456-7890, humas@imigrasi.go.id
-selesai-
"""


def test_a_correct_release_has_nothing_to_say_but_its_reading_time():
    findings = check(CLEAN_RELEASE)
    assert problems(findings) == []
    assert [f.kind for f in findings] == ["reading_time"]


def test_a_fee_that_belongs_to_another_validity_is_an_error():
    findings = check("Tarif paspor elektronik masa berlaku 10 tahun Rp 650.000.")
    (finding,) = [f for f in findings if f.kind == "contradiction"]
    assert finding.severity == "error"
    assert finding.text == "Rp 650.000" and finding.expected == "Rp 950.000"
    assert "Paspor Elektronik" in finding.fact and finding.fact_url == ""
    text = "Tarif paspor elektronik masa berlaku 10 tahun Rp 650.000."
    assert text[finding.start : finding.end] == "Rp 650.000"


@pytest.mark.parametrize(
    "text",
    [
        "Biaya paspor biasa 5 tahun Rp350.000.",
        "Paspor biasa masa berlaku 10 tahun dikenai tarif Rp 650 ribu.",
        "Biaya pembuatan paspor elektronik Rp 650.000 atau Rp 950.000.",
        "Visa on arrival Rp500.000 per orang.",
        "Layanan percepatan paspor Rp1 juta di luar tarif paspor.",
        "Ordinary passports valid for 10 years cost IDR 650,000 and e-passports IDR 950,000.",
        "A visa on arrival costs IDR 500,000 and takes 30 minutes at the counter.",
        "Paspor selesai dalam 4 (empat) hari kerja.",
        "Paspor selesai dalam 3-4 hari kerja.",
        "Autogate mencapai 71% dari seluruh perlintasan keberangkatan.",
        "Perlintasan di bandara bulan lalu mencapai 1,6 juta orang.",
    ],
)
def test_figures_the_facts_support_pass(text):
    assert [p for p in problems(check(text)) if p[0] != "info"] == []


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        ("Biaya paspor biasa 5 tahun Rp 400.000.", "Rp 400.000", "Rp 350.000"),
        ("Biaya VoA hanya Rp 350.000 per orang.", "Rp 350.000", "Rp 500.000"),
        (
            "Paspor selesai dalam 3 (tiga) hari kerja.",
            "3 (tiga) hari kerja",
            "4 (empat) hari kerja",
        ),
        ("Paspor selesai dalam 2 x 24 jam.", "2 x 24 jam", "4 (empat) hari kerja"),
        ("Sebanyak 13 WNA dideportasi kemarin.", "13 WNA", "12 WNA"),
        ("Konferensi pers digelar pukul 11.00 WIB.", "pukul 11.00 WIB", "10.00 WIB"),
        ("Paspor elektronik kini Rp 1.000.000.", "Rp 1.000.000", "Rp 650.000 / Rp 950.000"),
    ],
)
def test_figures_that_contradict_a_fact_are_errors(text, words, expected):
    (finding,) = [f for f in check(text) if f.kind == "contradiction"]
    assert (finding.severity, finding.text, finding.expected) == ("error", words, expected)


def test_a_figure_no_fact_supports_is_a_warning():
    findings = check("Denda overstay Rp 1.000.000 per hari; 40 unit autogate baru dipasang.")
    assert problems(findings) == [
        ("warning", "unsupported", "Rp 1.000.000"),
        ("warning", "unsupported", "40 unit autogate"),
    ]


def test_a_growth_rate_is_not_mistaken_for_a_share():
    # Shares one word ("perlintasan") with the 71% fact: not enough to be the same matter.
    assert problems(check("Perlintasan naik 8% dibanding bulan sebelumnya.")) == [
        ("warning", "unsupported", "8%")
    ]


def test_same_number_in_another_unit_is_a_warning():
    (finding,) = [f for f in check("Paspor selesai dalam 4 hari.") if f.kind == "contradiction"]
    assert finding.severity == "warning" and finding.expected == "4 (empat) hari kerja"


def test_a_dateline_on_another_day_is_a_warning_a_wrong_conference_day_an_error():
    dateline = check("Tangerang, 20 November 2025 – Kantor Imigrasi menyampaikan informasi.")
    assert ("warning", "contradiction", "20 November 2025") in problems(dateline)
    event = check("Konferensi pers digelar pada 20 November 2025.")
    assert ("error", "contradiction", "20 November 2025") in problems(event)


def test_weekday_that_does_not_match_the_date():
    findings = check("Rabu, 20 November 2025 dan Rabu (19/11) dan Kamis (20/11/2025).")
    weekday = [f for f in findings if f.kind == "weekday"]
    assert [(f.text, f.expected) for f in weekday] == [
        ("Rabu, 20 November 2025", "Kamis, 20 November 2025")
    ]


def test_a_date_that_does_not_exist():
    assert ("error", "invalid_date", "31 Februari 2025") in problems(
        check("Pada 31 Februari 2025.")
    )


def test_digits_and_words_must_agree():
    findings = check("Paspor selesai dalam 4 (lima) hari kerja.")
    assert ("error", "spelled_number", "4 (lima) hari kerja") in problems(findings)


def test_times_carry_their_zone():
    findings = check("Acara dimulai pukul 10.00 dan selesai 12.00 WIB; di Bali 09.00 WITA.")
    zones = [(f.severity, f.text, f.expected) for f in findings if f.kind == "time_zone"]
    assert zones == [("warning", "pukul 10.00", "10.00 WIB"), ("info", "09.00 WITA", "")]


def test_quoted_spokesperson_must_be_appointed_valid_and_titled_as_in_the_registry():
    text = (
        "“Kami tegas,” kata Budi Santoso, Kepala Kantor. "
        "Sri Handayani, Kepala Seksi Lalu Lintas, menegaskan hal itu. "
        "“Tidak ada pungli,” ujar Rudi Hartono. "
        "“Semua aman,” kata Joko Widodo."
    )
    found = problems(check(text))
    assert ("error", "spokesperson", "Budi Santoso") in found  # not appointed
    assert ("error", "title", "Kepala Seksi Lalu Lintas") in found  # registry: Kepala Bidang
    assert ("error", "spokesperson", "Rudi Hartono") in found  # decree expired
    assert ("warning", "spokesperson", "Joko Widodo") in found  # not in the registry
    assert not any(f[2] == "Sri Handayani" for f in found)  # appointed


def test_without_a_conference_the_appointment_is_not_checked():
    found = problems(check("“Kami tegas,” kata Budi Santoso.", ctx=context(appointment=False)))
    assert found == []


def test_a_spokesperson_may_be_called_juru_bicara():
    assert problems(check("“Aman,” kata Sri Handayani, Juru Bicara Kantor Imigrasi.")) == []


def test_more_than_three_key_messages_is_an_error():
    words = ["Pelayanan tetap normal.", "Data aman.", "Laporkan pungli.", "Gunakan autogate."]
    parts = tuple(Part(f"item-{i}", text) for i, text in enumerate(words))
    findings = verify(Draft(DraftKind.KEY_MESSAGES, parts), context())
    assert [(f.severity, f.kind, f.part) for f in findings] == [("error", "key_messages", "item-3")]


def test_a_release_missing_its_parts_gets_a_warning_for_each():
    findings = check("SIARAN PERS\nTangerang – Kantor Imigrasi menyampaikan informasi.\n")
    missing = [f.message for f in findings if f.kind == "release_part"]
    assert all(f.severity == "warning" for f in findings if f.kind == "release_part")
    assert len(missing) == 7  # headline, dateline's date, lead, quote, about, contact, end
    assert any("date" in m for m in missing) and any("Narahubung" in m for m in missing)


def test_a_plain_statement_is_not_held_to_the_release_form():
    assert not [f for f in check("Kami mohon maaf atas antrean.") if f.kind == "release_part"]
    forced = check("Kami mohon maaf atas antrean.", release=True)
    assert len([f for f in forced if f.kind == "release_part"]) == 7


def test_reading_time_of_a_long_holding_statement_is_a_warning():
    text = " ".join(["kata"] * 300)
    (note,) = [f for f in check(text, kind=DraftKind.HOLDING_STATEMENT) if f.kind == "reading_time"]
    assert note.severity == "warning" and "3,0 minutes" in note.message


def test_a_figure_that_differs_from_an_earlier_statement_links_to_it():
    earlier = [("Sebanyak 180.000 penumpang internasional per hari dilayani saat puncak mudik.",
                date(2025, 4, 1))]  # fmt: skip
    ctx = context(earlier=earlier)
    findings = check(
        "Saat puncak mudik 200.000 penumpang internasional per hari dilayani.", ctx=ctx
    )
    (finding,) = [f for f in findings if f.kind == "earlier_statement"]
    assert finding.severity == "warning" and finding.expected == "180.000 penumpang"
    assert finding.fact_url == "/earlier/" and "1 April 2025" in finding.message


def test_answers_are_checked_questions_are_not():
    draft = Draft(
        DraftKind.QA,
        (
            Part("question-0", "Benarkah biaya VoA Rp 350.000?"),
            Part("answer-0", "Tidak, biaya VoA Rp 400.000.", context="Berapa biaya VoA?"),
        ),
    )
    found = [(f.part, f.kind, f.text) for f in verify(draft, context())]
    assert found == [("answer-0", "contradiction", "Rp 400.000")]


@pytest.mark.parametrize(
    "text",
    ["", " ", "\x00\ufffd", "Rp", "pukul", "“", "kata Budi", "1." * 500, "Rabu (", "\n" * 50],
)
def test_odd_texts_do_not_break_it(text):
    check(text)

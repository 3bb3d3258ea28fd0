"""The thresholds of key-message pickup and foreseen questions, on hand-written cases:
news-style paraphrases of a key message (or rewordings of a Q&A question) on one side,
other sentences about the same office on the other. A change of the method or of a
threshold must keep every case on its side."""

from __future__ import annotations

import pytest

from prima.documents.verification.matching import sentences
from prima.evaluation.postevent_similarity import (
    FORESEEN_THRESHOLD,
    PICKUP_THRESHOLD,
    best_matches,
    sentences_of,
    similarities,
)

MESSAGES = [
    "Perlintasan naik 8% dibanding bulan sebelumnya; layanan tetap lancar.",
    "Autogate mempercepat pemeriksaan: rata-rata 15 detik per penumpang.",
    "Layanan paspor bebas calo: biaya resmi sesuai PP 45/2024.",
]
CARRIES = [  # (sentence of coverage, index of the key message it carries)
    ("Jumlah perlintasan orang naik 8 persen dibanding bulan sebelumnya, dan layanan tetap "
     "berjalan lancar.", 0),
    ("Menurut Sri, autogate mempercepat proses pemeriksaan hingga rata-rata 15 detik untuk "
     "setiap penumpang.", 1),
    ("Ia menegaskan layanan paspor bebas dari calo dan biayanya sesuai PP 45/2024.", 2),
    ("Pemeriksaan dengan autogate kini hanya sekitar 15 detik per penumpang.", 1),
]  # fmt: skip
CARRIES_NONE = [
    "Petugas imigrasi membantu penumpang lansia di Terminal 3.",
    "Kantor Imigrasi Soekarno-Hatta menggelar konferensi pers pada Rabu pagi.",
    "Dua warga negara asing dideportasi karena melanggar izin tinggal.",
    "Antrean panjang terjadi di konter kedatangan internasional akhir pekan lalu.",
    "Kepala kantor menyampaikan terima kasih kepada media yang hadir.",
    "Pelayanan visa on arrival dibuka 24 jam di bandara.",
]
SHEET = [
    "Berapa PNBP yang dihasilkan bulan lalu?",
    "Mengapa antrean sempat panjang pada akhir pekan?",
    "Berapa WNA yang dideportasi bulan ini?",
]
FORESEEN = [
    ("Mengapa antrean panjang terjadi pada akhir pekan kemarin?", 1),
    ("Apa penyebab antrean panjang di akhir pekan?", 1),
    ("Berapa total PNBP yang masuk bulan lalu?", 0),
    ("PNBP bulan lalu berapa?", 0),
    ("Berapa jumlah WNA yang dideportasi?", 2),
]
UNFORESEEN = [
    "Apakah ada penambahan autogate di Terminal 2 tahun depan?",
    "Bagaimana kesiapan menghadapi libur akhir tahun?",
    "Kapan sistem imigrasi pulih setelah gangguan?",
    "Berapa jumlah penumpang bulan lalu?",  # same form as a foreseen one, other matter
    "Berapa biaya paspor elektronik sekarang?",
]


def test_paraphrases_carry_their_key_message():
    found = best_matches([s for s, _i in CARRIES], MESSAGES)
    for (sentence, index), match in zip(CARRIES, found, strict=True):
        assert match is not None and match.index == index, sentence
        assert match.similarity >= PICKUP_THRESHOLD + 0.15, (sentence, match.similarity)


def test_other_sentences_carry_no_key_message():
    for row in similarities(CARRIES_NONE, MESSAGES):
        assert max(row) < PICKUP_THRESHOLD - 0.1, row


def test_rewordings_of_a_sheet_question_are_foreseen():
    found = best_matches([q for q, _i in FORESEEN], SHEET)
    for (question, index), match in zip(FORESEEN, found, strict=True):
        assert match is not None and match.index == index, question
        assert match.similarity >= FORESEEN_THRESHOLD, (question, match.similarity)


def test_other_questions_are_not_foreseen():
    for question, match in zip(UNFORESEEN, best_matches(UNFORESEEN, SHEET), strict=True):
        assert match is not None and match.similarity < FORESEEN_THRESHOLD, question


@pytest.mark.parametrize("empty", [[], [""], ["a b"]])
def test_nothing_to_compare_is_no_match(empty):
    assert best_matches(["Berapa PNBP?"], []) == [None]
    assert all(v == 0.0 for row in similarities(empty, ["Berapa PNBP?"]) for v in row)


def test_sentences_leave_out_fragments():
    text = "SIARAN PERS. Perlintasan naik 8 persen. Rp 350.000 untuk paspor biasa 5 tahun. Ok."
    assert sentences_of(text, sentences) == [
        "Perlintasan naik 8 persen.",
        "Rp 350.000 untuk paspor biasa 5 tahun.",
    ]

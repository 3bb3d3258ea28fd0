from __future__ import annotations

import json

import pytest

from prima.monitoring.nlp import build_language_profile
from prima.monitoring.nlp.language import (
    PROFILE_PATH,
    Profile,
    detect_language,
    guess_language,
)

# Written for these tests; not used to build the profile.
INDONESIAN = [
    "antreannya lama bgt, udh 2 jam blm dipanggil",
    "Petugas imigrasi di bandara ramah dan sigap",
    "makasih infonya min 🙏",
    "gimana cara perpanjang paspor online?",
    "Kanim Jakarta Utara buka layanan akhir pekan mulai besok",
    "kecewa banget sama pelayanannya",
    "WNA asal Tiongkok dideportasi karena overstay",
    "semoga lancar urusannya",
]
ENGLISH = [
    "The passport office was surprisingly quick today",
    "nobody picks up the phone, so frustrating",
    "How do I extend my tourist visa?",
    "Thanks for the quick response!",
    "Foreign nationals detained in immigration raid",
    "worst queue I have ever seen",
]
OTHER_LATIN = [
    "El pasaporte todavía no está listo",
    "¿A qué hora abre la oficina?",
    "Le personnel était vraiment désagréable",
    "Je voudrais prolonger mon visa",
    "Das Büro ist heute geschlossen",
    "Ich warte seit zwei Stunden auf meinen Termin",
    "Het kantoor is vandaag gesloten",
    "Ik wacht al twee uur op mijn afspraak",
    "O escritório está fechado hoje",
    "L'ufficio è chiuso oggi",
    "Sarado ang opisina ngayong araw",
    "Văn phòng hôm nay đóng cửa",
]
NON_LATIN = [
    "出入境管理局今天关门",
    "Паспортный стол закрыт",
    "مكتب الهجرة مغلق اليوم",
    "入管は今日休みです",
]


@pytest.mark.parametrize("text", INDONESIAN)
def test_it_recognises_informal_and_formal_indonesian(text: str) -> None:
    assert detect_language(text) == "id"


@pytest.mark.parametrize("text", ENGLISH)
def test_it_recognises_english(text: str) -> None:
    assert detect_language(text) == "en"


def test_other_latin_languages_mostly_come_out_other() -> None:
    guesses = [detect_language(t) for t in OTHER_LATIN]
    assert guesses.count("other") >= len(OTHER_LATIN) - 2, list(zip(OTHER_LATIN, guesses))


@pytest.mark.parametrize("text", NON_LATIN)
def test_non_latin_scripts_are_other(text: str) -> None:
    guess = guess_language(text)
    assert guess.lang == "other"
    assert guess.confidence > 0.9


@pytest.mark.parametrize("text", ["", "   ", "12345", "😀😀👍", "!!!"])
def test_text_without_letters_is_other_with_zero_confidence(text: str) -> None:
    assert guess_language(text) == ("other", 0.0)


def test_confidence_is_lower_for_one_ambiguous_word_than_for_a_sentence() -> None:
    assert guess_language("Jakarta").confidence < guess_language(INDONESIAN[1]).confidence
    assert 0.0 <= guess_language("ok").confidence <= 1.0


def test_shipped_profile_credits_its_sources() -> None:
    # Its accuracy is measured, not read back: see test_quality.py.
    data = json.loads(PROFILE_PATH.read_text(encoding="utf-8"))
    assert any("SmSA" in s for s in data["sources"])


def test_the_builder_makes_a_working_profile_from_tiny_corpora() -> None:
    data = build_language_profile.build(
        {
            "id": ["saya tidak suka antrean yang lama", "pelayanan sangat bagus dan cepat"] * 3,
            "en": ["i do not like the long queue", "the service is very good and fast"] * 3,
            "other": ["el servicio es muy bueno", "le service est très bon"] * 3,
        },
        {},
    )
    profile = Profile(data)
    assert profile.guess("pelayanan tidak bagus").lang == "id"
    assert profile.guess("the queue is not good").lang == "en"

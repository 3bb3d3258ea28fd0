from __future__ import annotations

import re

import pytest

from prima.lib import text
from prima.lib.text import normalise_for_search, normalise_informal, tokens

SEARCH_TOKEN = re.compile(r"[^\W_]+")


def test_it_maps_informal_negation_and_particles() -> None:
    assert normalise_informal("gk bgt yg udh dgn krn org sy") == (
        "tidak banget yang sudah dengan karena orang saya"
    )
    for word in ["gk", "ga", "gak", "nggak", "tdk", "ngga", "enggak"]:
        assert normalise_informal(word) == "tidak"


def test_it_squashes_repeated_letters_but_keeps_real_double_letters() -> None:
    assert normalise_informal("bangeeet mantaaap") == "banget mantap"
    assert normalise_informal("maaaaf") == "maaf"
    assert normalise_informal("gakkkk") == "tidak"


def test_it_collapses_laughter_and_reads_number_reduplication() -> None:
    assert normalise_informal("wkwkwk hahaha") == "haha haha"
    assert tokens("anak2", stem=True, drop_stopwords=False) == ["anak"]


def test_hashtags_keep_their_words_and_mentions_and_urls_go() -> None:
    out = normalise_informal("@kanim_jaksel #PasporCepat cek https://t.co/Ab12 www.imigrasi.go.id")
    assert out == "paspor cepat cek"


def test_it_stems_indonesian_with_sastrawi() -> None:
    assert tokens("Pelayanannya memperpanjang keimigrasian") == ["layan", "panjang", "imigrasi"]


def test_it_drops_stop_words_only_when_asked() -> None:
    assert tokens("saya ke kantor yang baru", drop_stopwords=True) == ["kantor"]
    assert "yang" in tokens("saya ke kantor yang baru", drop_stopwords=False)


def test_negation_is_not_a_search_stop_word() -> None:
    assert normalise_for_search("petugas tidak ramah") == "tugas tidak ramah"


def test_english_is_lower_cased_without_sastrawi() -> None:
    assert tokens("The officers weren't helpful", lang="en") == ["officers", "helpful"]
    assert tokens("The officers weren't helpful", lang="en", drop_stopwords=False) == [
        "the",
        "officers",
        "were",
        "not",
        "helpful",
    ]


def test_nfkc_and_latin_diacritics() -> None:
    assert normalise_for_search("Ｐａｓｐｏｒ Café") == "paspor cafe"
    # Non-Latin scripts keep their marks and still come out as tokens.
    assert normalise_for_search("إدارة الهجرة") == "إدارة الهجرة"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "!!! ??? ...",
        "Pelayanan di KANIM Jakarta — sangat BURUK!!! 😡😡 #imigrasi @ditjenimigrasi",
        "pecah-belah ke-2 tahun 2024, biaya Rp1.500.000,-",
        "under_score snake_case",
    ],
)
def test_search_output_is_plain_space_separated_tokens(raw: str) -> None:
    out = normalise_for_search(raw)
    assert out == out.strip()
    assert "  " not in out
    for token in out.split():
        assert SEARCH_TOKEN.fullmatch(token), token
        assert token == token.lower()


def test_search_is_the_same_for_document_and_query_spelling() -> None:
    doc = normalise_for_search("Antrian pembuatan paspor bangeeet lamaaa")
    query = normalise_for_search("antre buat paspor")
    assert set(query.split()) - {"antre"} <= set(doc.split())


def test_data_files_have_no_identity_or_duplicate_entries() -> None:
    for informal, standard in text.INFORMAL_ID.items():
        assert (informal,) != standard
        assert informal == informal.lower()
    lines = [
        line.split("\t")[0]
        for line in (text.DATA_DIR / "informal_id.tsv").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert len(lines) == len(set(lines)) >= 300
    assert "tidak" not in text.STOPWORDS_ID
    assert len(text.STOPWORDS_ID) >= 150
    assert len(text.STOPWORDS_EN) >= 100


def test_stem_cache_is_bounded() -> None:
    assert text.stem.cache_info().maxsize == text.CACHE_SIZE

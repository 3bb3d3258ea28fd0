"""Tests for exact and near-duplicate detection (prima.monitoring.dedup)."""

from __future__ import annotations

import numpy as np

from prima.monitoring.dedup import (
    NearDuplicateIndex,
    exact_key,
    signature_bands,
    signature_from_bytes,
    signature_to_bytes,
    similarity,
)

STORY = (
    "Kantor Imigrasi Kelas I Khusus Bandara Soekarno-Hatta menambah sepuluh loket "
    "pemeriksaan paspor untuk mengurai antrean penumpang internasional pada musim liburan "
    "akhir tahun. Kepala kantor mengatakan penambahan loket ini diharapkan memangkas waktu "
    "tunggu hingga separuhnya dan membuat pelayanan lebih nyaman bagi warga. Selain loket "
    "baru, petugas juga menyiapkan autogate tambahan bagi pemegang paspor elektronik dan "
    "memperpanjang jam layanan hingga tengah malam selama masa liburan berlangsung."
)
# The same wire story as another outlet runs it: new lead-in, a changed word, a footer.
SYNDICATED = (
    "TANGERANG - Kantor Imigrasi Kelas I Khusus Bandara Soekarno-Hatta menambah sepuluh "
    "loket pemeriksaan paspor untuk mengurai antrean penumpang internasional pada musim "
    "libur akhir tahun. Kepala kantor mengatakan penambahan loket ini diharapkan memangkas "
    "waktu tunggu hingga separuhnya dan membuat pelayanan lebih nyaman bagi warga. Selain "
    "loket baru, petugas juga menyiapkan autogate tambahan bagi pemegang paspor elektronik "
    "dan memperpanjang jam layanan hingga tengah malam selama masa liburan berlangsung. "
    "Baca juga: https://portal.example.id/berita/123"
)
# A different story about the same office, sharing much of the vocabulary.
OTHER_STORY = (
    "Kantor Imigrasi Kelas I Khusus Bandara Soekarno-Hatta mendeportasi tiga warga negara "
    "asing yang melanggar izin tinggal. Kepala kantor mengatakan ketiganya bekerja tanpa "
    "izin di sebuah restoran dan telah tinggal melebihi masa berlaku visa kunjungan. Petugas "
    "menyerahkan paspor mereka kepada maskapai dan mengawal keberangkatan di terminal "
    "internasional pada Rabu malam."
)
POST = "Antrean paspor di Kantor Imigrasi Jakarta Selatan panjang sekali hari ini #imigrasi"


def test_exact_key_ignores_case_punctuation_spacing_and_urls() -> None:
    assert exact_key("Antrean  PASPOR, panjang!") == exact_key("antrean paspor panjang")
    assert exact_key("lihat https://t.co/abc paspor") == exact_key("lihat paspor")
    assert exact_key("antrean paspor panjang") != exact_key("antrean visa panjang")
    assert len(exact_key("x")) == 32


def test_syndicated_copies_with_small_edits_group_together() -> None:
    index = NearDuplicateIndex()
    assert index.add("a", STORY) == "a"
    assert index.add("b", SYNDICATED) == "a"
    assert index.group_of("b") == "a"


def test_different_stories_on_the_same_topic_stay_apart() -> None:
    index = NearDuplicateIndex()
    index.add("a", STORY)
    assert index.add("c", OTHER_STORY) == "c"


def test_copied_posts_with_a_changed_hashtag_or_link_group_together() -> None:
    index = NearDuplicateIndex()
    assert index.add(1, POST) == 1
    assert index.add(2, "RT " + POST + " https://t.co/xyz") == 1
    assert index.add(3, POST.upper()) == 1  # an exact duplicate after normalisation
    assert index.add(4, "Pelayanan paspor di Kantor Imigrasi Jakarta Selatan cepat") == 4


def test_short_and_empty_texts() -> None:
    index = NearDuplicateIndex()
    assert index.add("x", "") == "x"
    assert index.add("y", "!!!") == "y"  # no words: no group
    assert index.add("p", "paspor") == "p"
    assert index.add("q", "Paspor!") == "p"
    assert signature_bands("") == []


def test_adding_a_key_twice_keeps_its_group() -> None:
    index = NearDuplicateIndex()
    index.add("a", STORY)
    assert index.add("a", OTHER_STORY) == "a"
    assert len(index) == 1


def test_find_does_not_add() -> None:
    index = NearDuplicateIndex()
    index.add("a", STORY)
    assert index.find(SYNDICATED) == "a"
    assert index.find(OTHER_STORY) is None
    assert len(index) == 1


def test_signatures_survive_storage_and_rebuild_the_same_groups() -> None:
    index = NearDuplicateIndex()
    stored = {}
    for key, text in (("a", STORY), ("b", SYNDICATED), ("c", OTHER_STORY)):
        group = index.add(key, text)
        signature = index.signature(text)
        assert signature is not None
        stored[key] = (signature_to_bytes(signature), group)
        assert len(stored[key][0]) == 4 * index.num_perm

    rebuilt = NearDuplicateIndex()
    for key, (data, group) in stored.items():
        rebuilt.add_signature(key, signature_from_bytes(data), group)
    assert rebuilt.group_of("b") == "a"
    assert rebuilt.find(SYNDICATED) == "a"
    assert rebuilt.find(OTHER_STORY) == "c"


def test_band_hashes_find_candidates_as_a_database_would() -> None:
    bands_story = signature_bands(STORY)
    index = NearDuplicateIndex()
    assert len(bands_story) == index.band_count
    assert all(-(2**63) <= band < 2**63 for band in bands_story)
    assert set(bands_story) & set(signature_bands(SYNDICATED))
    assert not set(bands_story) & set(signature_bands(OTHER_STORY))
    assert signature_bands(STORY) == bands_story  # stable across calls


def test_similarity_estimates_jaccard() -> None:
    index = NearDuplicateIndex()
    a = index.signature(STORY)
    b = index.signature(SYNDICATED)
    c = index.signature(OTHER_STORY)
    assert a is not None and b is not None and c is not None
    assert similarity(a, a) == 1.0
    assert similarity(a, b) > 0.7
    assert similarity(a, c) < 0.3
    assert similarity(a, np.zeros(3, dtype=np.uint64)) == 0.0


def test_threshold_is_configurable() -> None:
    strict = NearDuplicateIndex(threshold=0.95)
    strict.add("a", STORY)
    assert strict.add("b", SYNDICATED) == "b"

"""Near-duplicate detection (prima.monitoring.neardup): the one implementation."""

from __future__ import annotations

import numpy as np
import pytest

from prima.monitoring import neardup
from prima.monitoring.ingest import ingest_items
from prima.monitoring.models import DupBand, Mention

from .conftest import post

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


def bands(*texts: str) -> list[list[int]]:
    return neardup.bands_of(neardup.signatures([neardup.words(t) for t in texts]))


def test_words_ignore_case_punctuation_and_links():
    assert neardup.words("Antrean  PASPOR, panjang! https://t.co/abc") == [
        "antrean",
        "paspor",
        "panjang",
    ]
    assert neardup.words("!!!") == []


def test_shingles_and_their_exact_jaccard():
    a = neardup.shingles(neardup.words(STORY))
    assert neardup.jaccard(a, neardup.shingles(neardup.words(SYNDICATED))) > 0.7
    assert neardup.jaccard(a, neardup.shingles(neardup.words(OTHER_STORY))) < 0.2
    assert neardup.shingles(neardup.words("paspor")) == frozenset({("paspor",)})
    assert neardup.shingles(neardup.words("a b c d")) == {("a", "b", "c"), ("b", "c", "d")}
    assert neardup.jaccard(a, frozenset()) == 0.0


def test_stored_bands_never_change():
    # Bands are stored (DupBand): permutations, shingle hash and band mixing are a format.
    [first] = bands("Kantor Imigrasi Soekarno-Hatta menambah dua puluh autogate baru di Terminal 3")
    assert first == [
        3485321593502075496, 2525203772565080725, -1784384101293076959, 7351220661141655044,
        -5393783033506944135, 5614415542517845469, -3847280008537488748, -1173225008247469108,
        -502403229195593786, -719377625493324667,
    ]  # fmt: skip


def test_signatures_are_minhash_values_of_the_shingles():
    [signature, empty] = neardup.signatures([neardup.words(STORY), []])
    assert empty is None
    assert signature is not None and signature.shape == (neardup.NUM_PERM,)
    assert signature.dtype == np.uint64 and int(signature.max()) < 2**32


def test_bands_find_near_copies_and_not_other_stories():
    story, syndicated, other, empty = bands(STORY, SYNDICATED, OTHER_STORY, "")
    assert len(story) == neardup.BANDS and story == bands(STORY)[0]
    assert set(story) & set(syndicated)
    assert not set(story) & set(other)
    assert empty == []
    assert all(-(2**63) <= b < 2**63 for b in story)


@pytest.mark.django_db
def test_the_pipeline_groups_copies_with_their_original(push_source):
    base = "Antrean paspor di Kantor Imigrasi Jakarta Selatan panjang sekali hari ini #imigrasi"
    ingest_items(push_source, [
        post(1, STORY), post(2, SYNDICATED), post(3, OTHER_STORY), post(4, base),
        post(5, "RT " + base + " https://t.co/xyz"),
        post(6, "Pelayanan paspor di Kantor Imigrasi Jakarta Selatan cepat"),
    ])  # fmt: skip
    group = dict(Mention.objects.values_list("external_id", "dup_group"))
    assert group["p2"] == group["p1"] and group["p5"] == group["p4"]
    assert len({group["p1"], group["p3"], group["p4"], group["p6"]}) == 4
    originals = set(Mention.objects.filter(is_original=True).values_list("external_id", flat=True))
    assert originals == {"p1", "p3", "p4", "p6"}
    # Only originals are indexed: one row per band of each new story.
    assert DupBand.objects.count() == 4 * neardup.BANDS

import pytest

from prima.lib.numbers import words, words_en, words_id


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "nol"),
        (4, "empat"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (45, "empat puluh lima"),
        (100, "seratus"),
        (115, "seratus lima belas"),
        (250, "dua ratus lima puluh"),
        (1000, "seribu"),
        (1500, "seribu lima ratus"),
        (2025, "dua ribu dua puluh lima"),
        (350000, "tiga ratus lima puluh ribu"),
        (1000000, "satu juta"),
        (1_000_000_000, "satu miliar"),
        (-3, "minus tiga"),
    ],
)
def test_indonesian_words(n, text):
    assert words_id(n) == text


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (4, "four"),
        (14, "fourteen"),
        (42, "forty-two"),
        (100, "one hundred"),
        (2500, "two thousand five hundred"),
        (1_000_000, "one million"),
    ],
)
def test_english_words(n, text):
    assert words_en(n) == text


def test_the_language_picks_the_words():
    assert words(3, "id") == "tiga"
    assert words(3, "en-us") == "three"

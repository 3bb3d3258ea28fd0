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


@pytest.mark.parametrize("n", [*range(0, 1200), 2025, 350_000, 1_500_000, 2_500_000, 10**9 + 7])
def test_words_read_back(n):
    from prima.lib.numbers import read_words

    for spelled in (words_id(n), words_en(n)):
        tokens = spelled.replace("-", " ").split()
        assert read_words(tokens) == [(0, len(tokens), n)]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("dua tiga", [2, 3]),
        ("one hundred and five", [105]),
        ("sepuluh dua", [10, 2]),
        ("dua ratus dua ratus", [200, 200]),
        ("ribu", []),
        (
            "lima ribu juta",
            [
                5000,
            ],
        ),
        ("twenty five", [25]),
        ("nol satu", [0, 1]),
    ],
)
def test_read_words_splits_runs(text, numbers):
    from prima.lib.numbers import read_words

    assert [value for _, _, value in read_words(text.split())] == numbers

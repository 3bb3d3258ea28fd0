from __future__ import annotations

from prima.lib.prose import shorten


def test_a_short_text_stays_whole():
    assert shorten("Dua WNA dideportasi.") == "Dua WNA dideportasi."


def test_a_long_text_is_cut_between_words():
    text = "Para WNI direkrut melalui media sosial dengan tawaran kerja di luar negeri."
    short = shorten(text, 40)
    assert short == "Para WNI direkrut melalui media sosial…"
    assert len(short) <= 40
    assert text.startswith(short[:-1])


def test_punctuation_before_the_cut_is_dropped():
    assert shorten("Satu, dua, tiga, empat, lima, enam", 17) == "Satu, dua, tiga…"


def test_whitespace_is_folded_and_a_long_word_is_cut():
    assert shorten("a\n\n  b") == "a b"
    assert shorten("x" * 50, 10) == "x" * 9 + "…"

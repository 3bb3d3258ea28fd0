from __future__ import annotations

from prima.lib.diff import Segment, changed_words, word_diff


def rebuild(segments, keep):
    return "".join(s.text for s in segments if s.op in keep)


def test_an_unchanged_text_is_one_equal_segment():
    assert word_diff("Dua WNA dideportasi.", "Dua WNA dideportasi.") == [
        Segment("equal", "Dua WNA dideportasi.")
    ]


def test_a_replaced_word_shows_what_went_and_what_came():
    old = "Dua WNA dideportasi pada hari Senin."
    new = "Tiga WNA dideportasi pada hari Senin."
    segments = word_diff(old, new)
    assert segments[0] == Segment("delete", "Dua")
    assert segments[1] == Segment("insert", "Tiga")
    assert rebuild(segments, {"equal", "delete"}) == old
    assert rebuild(segments, {"equal", "insert"}) == new
    assert changed_words(segments) == (1, 1)


def test_added_sentences_and_line_breaks_are_kept():
    old = "SIARAN PERS\nTangerang – Kantor Imigrasi mendeportasi dua WNA."
    new = "SIARAN PERS\nTangerang – Kantor Imigrasi mendeportasi dua WNA.\nIdentitas dilindungi."
    segments = word_diff(old, new)
    assert segments[-1].op == "insert" and "Identitas dilindungi." in segments[-1].text
    assert rebuild(segments, {"equal", "insert"}) == new
    assert changed_words(segments) == (2, 0)


def test_from_nothing_everything_is_new():
    assert word_diff("", "Teks baru") == [Segment("insert", "Teks baru")]

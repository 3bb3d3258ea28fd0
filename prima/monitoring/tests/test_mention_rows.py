"""The mention row tag: the same text as Django's filters would give."""

from __future__ import annotations

import pytest
from django.template.defaultfilters import truncatechars
from django.utils import translation

from prima.monitoring.templatetags.mention_rows import _chars, _words, sentiment_badge

TEXTS = [
    "",
    "pendek",
    "a" * 140,
    "a" * 141,
    "Antrean imigrasi Terminal 3 parah sekali, autogate mati " * 5,
    "Cafe\u0301 " * 60,  # combining accents: counted as one character each
    "Antrean 😡🔥 di bandara " * 12,
    "x" * 139 + "e\u0301" + "y" * 10,
]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("length", [1, 50, 140, 240])
def test_the_short_cut_truncates_like_truncatechars(language, length):
    with translation.override(language):
        words = _words(translation.get_language())
        for text in TEXTS:
            assert _chars(text, length, words) == truncatechars(text, length), (text, length)


def test_the_sentiment_badge_is_translated():
    with translation.override("id"):
        assert ">Negatif</span>" in sentiment_badge("negative")
        assert 'class="badge sentiment-negative bad"' in sentiment_badge("negative")
        assert ">Netral</span>" in sentiment_badge("unknown")
    with translation.override("en"):
        assert ">Positive</span>" in sentiment_badge("positive")

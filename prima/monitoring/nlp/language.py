"""Offline language identification for short posts: ``"id"``, ``"en"`` or ``"other"``.

A three-class naive Bayes over words, backed off to character trigrams for words the
profile has not seen, plus two cheap script checks: text written mostly in a non-Latin
script is ``"other"``, and accented Latin letters (é, ñ, ü, ç …; rare in Indonesian and
English) count as evidence for ``"other"``. The profile (word and trigram log
probabilities) is built by ``python -m prima.monitoring.nlp.build_language_profile`` from
the Indonesian and English sentiment training sets plus word lists written for this
project, and ships as ``data/language_profile.json``. Malay mostly comes out as ``"id"``
(they share most function words); that is accepted.

Cost: loading the profile takes about 50 ms once per process; a short post then costs a
few microseconds (per-word scores are memoised in a bounded cache).
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "LANGUAGES",
    "LanguageGuess",
    "detect_language",
    "detect_languages",
    "guess_language",
]

PROFILE_PATH = Path(__file__).resolve().parent / "data" / "language_profile.json"
LANGUAGES = ("id", "en", "other")

_URL_RE = re.compile(r"(?:https?://|www\.)\S+|(?<![\w@])@\w+", re.IGNORECASE)
_WORD_RE = re.compile(r"[^\W\d_]+")
_SPECIAL_FOLDS = {"ß": "ss", "ł": "l", "đ": "d", "ø": "o", "ı": "i", "æ": "ae", "œ": "oe"}


def _ascii_fold(ch: str) -> str:
    if ch in _SPECIAL_FOLDS:
        return _SPECIAL_FOLDS[ch]
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))


# Latin-1 Supplement and Latin Extended-A/B letters folded to ASCII for word look-ups.
_FOLD = str.maketrans({chr(i): _ascii_fold(chr(i)) for i in range(0xC0, 0x250) if chr(i).isalpha()})


class LanguageGuess(NamedTuple):
    lang: str
    confidence: float


class Profile:
    """Log-probability tables of one built profile (see ``build_language_profile``)."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.classes: tuple[str, ...] = tuple(data["classes"])
        self.priors: tuple[float, ...] = tuple(data["priors"])
        self.words: list[dict[str, float]] = [data["words"][c] for c in self.classes]
        self.word_unk: list[float] = list(data["word_unk"])
        self.chars: list[dict[str, float]] = [data["chars"][c] for c in self.classes]
        self.char_unk: list[float] = list(data["char_unk"])
        self.char_weight: float = data["char_weight"]
        self.accent_weight: float = data["accent_weight"]
        self.temperature: float = data["temperature"]
        # About 260 bytes a word: at most ~13 MB (docs/operations.md, "Memory").
        self.word_score = functools.lru_cache(maxsize=50_000)(self._word_score)

    def _word_score(self, word: str) -> tuple[float, ...]:
        padded = f"^{word}$"
        grams = [padded[i : i + 3] for i in range(len(padded) - 2)] or [padded]
        out = []
        for k in range(len(self.classes)):
            known = self.words[k].get(word)
            if known is not None:
                out.append(known)
                continue
            table, unk = self.chars[k], self.char_unk[k]
            char_lp = sum(table.get(g, unk) for g in grams) / len(grams)
            out.append(self.word_unk[k] + self.char_weight * char_lp * len(word) ** 0.5)
        return tuple(out)

    def guess(self, text: str) -> LanguageGuess:
        text = _URL_RE.sub(" ", unicodedata.normalize("NFKC", text)).lower()
        latin = other_script = accented = 0
        for ch in text:
            if ch.isalpha():
                if ch < "\u0250":
                    latin += 1
                    if not ch.isascii():
                        accented += 1
                else:
                    other_script += 1
        letters = latin + other_script
        if letters == 0:
            return LanguageGuess("other", 0.0)
        if other_script * 2 > letters:
            return LanguageGuess("other", round(other_script / letters, 3))
        folded = text.translate(_FOLD) if accented else text
        totals = list(self.priors)
        n = 0
        for word in _WORD_RE.findall(folded):
            if not word.isascii():
                continue
            n += 1
            for k, s in enumerate(self.word_score(word)):
                totals[k] += s
        if accented:
            totals[-1] += self.accent_weight * accented
        if n == 0 and not accented:
            return LanguageGuess("other", 0.0)
        top = max(totals)
        probs = [math.exp((t - top) * self.temperature) for t in totals]
        best = max(range(len(totals)), key=totals.__getitem__)
        if best == len(totals) - 1 and not accented and probs[best] < sum(probs) / 2:
            # Plain-ASCII text where "other" is not even a majority (one ambiguous word
            # such as "visa"): Indonesian-first, take the better of id/en instead.
            best = max(range(len(totals) - 1), key=totals.__getitem__)
        return LanguageGuess(self.classes[best], round(probs[best] / sum(probs), 3))


@functools.cache
def load_profile(path: Path | None = None) -> Profile:
    """Load (once per process and path) the language profile JSON."""
    with open(path or PROFILE_PATH, encoding="utf-8") as fh:
        return Profile(json.load(fh))


def guess_language(text: str) -> LanguageGuess:
    """Return the language of ``text`` (``"id"``, ``"en"`` or ``"other"``) and a confidence.

    Confidence is the model's posterior for the chosen label, between 0 and 1; text
    without letters (empty, numbers, emoji only) is ``("other", 0.0)``.
    """
    return load_profile().guess(text)


def detect_language(text: str) -> str:
    """Return ``"id"``, ``"en"`` or ``"other"`` for ``text``."""
    return load_profile().guess(text).lang


def detect_languages(texts: Iterable[str]) -> list[LanguageGuess]:
    """Batch form of :func:`guess_language`."""
    profile = load_profile()
    return [profile.guess(t) for t in texts]

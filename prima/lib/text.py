"""Indonesian-first text normalisation for search and for NLP features.

The same function produces the text that is indexed and the text that a query is turned
into, so SQLite FTS5 and PostgreSQL see identical input: the output of
:func:`normalise_for_search` is lower-case tokens made only of letters and digits (no
diacritics on Latin letters) joined by single spaces, which both the FTS5 ``unicode61``
tokenizer and PostgreSQL's ``simple`` text-search configuration split the same way.

Steps, in order: Unicode NFKC; URLs and @mentions removed; ``#hashtags`` keep their word
(``#KaburAjaDulu`` becomes ``kabur aja dulu``); lower-casing; Latin diacritics removed;
tokenising; laughter (``wkwkwk``, ``hahaha``) collapsed to ``haha``; ``anak2`` read as
``anak-anak``; letters repeated three or more times squashed (``bangeeet`` → ``banget``,
``maaaf`` → ``maaf``); informal spellings mapped to standard ones from a data file
(``gak`` → ``tidak``, ``yg`` → ``yang``); stop words dropped; Indonesian words stemmed with
Sastrawi (``pelayanannya`` → ``layan``).

Sastrawi costs about 0.15 ms per word, so every per-word step is memoised in bounded LRU
caches: after warm-up, ``tokens`` handles tens of thousands of short posts per second.
Pure Python; imports no Django app.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

__all__ = [
    "STOPWORDS_EN",
    "STOPWORDS_ID",
    "normalise_for_search",
    "normalise_informal",
    "prepare",
    "stem",
    "tokens",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

# Bounded so that a long-running ingest worker does not grow without limit; large
# enough that the working vocabulary of a news/social stream stays cached. Each of the
# three caches below holds at most this many words: about 50 MB together when full
# (~1 KB a word across them), the figure docs/operations.md ("Memory") counts.
CACHE_SIZE = 50_000


def _read_list(name: str) -> frozenset[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _read_map(name: str) -> dict[str, tuple[str, ...]]:
    mapping: dict[str, tuple[str, ...]] = {}
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        informal, standard = line.split("\t")
        mapping[informal.strip()] = tuple(standard.split())
    return mapping


STOPWORDS_ID: frozenset[str] = _read_list("stopwords_id.txt")
STOPWORDS_EN: frozenset[str] = _read_list("stopwords_en.txt")
INFORMAL_ID: dict[str, tuple[str, ...]] = _read_map("informal_id.tsv")
INFORMAL_EN: dict[str, tuple[str, ...]] = _read_map("informal_en.tsv")
_SEARCH_STOPWORDS = STOPWORDS_ID | STOPWORDS_EN

_URL_RE = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w.-]+\.(?:com|net|org|id|co\.id|go\.id|ac\.id|or\.id|ly|io|me)(?:/\S*)?\b",
    re.IGNORECASE,
)
_MENTION_RE = re.compile(r"(?<![\w@])@\w+")
_HASHTAG_RE = re.compile(r"(?<![\w#])#(\w+)")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])")
# Letters and digits of any script, with inner hyphens kept for reduplication (buku-buku).
_TOKEN_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_LAUGH_RE = re.compile(r"(?:wk|kw|ha|he|hi|xi)(?:wk|kw|ha|he|hi|xi|k|h|w)+")
_REPEAT_RE = re.compile(r"([a-z])\1{2,}")
_REDUP_RE = re.compile(r"([a-z]{2,})2")
_EN_CONTRACTIONS = (
    (re.compile(r"\bwon['’]t\b"), "will not"),
    (re.compile(r"\bcan['’]t\b"), "can not"),
    (re.compile(r"\bain['’]t\b"), "is not"),
    (re.compile(r"n['’]t\b"), " not"),
    (re.compile(r"['’]re\b"), " are"),
    (re.compile(r"['’]m\b"), " am"),
    (re.compile(r"['’]ve\b"), " have"),
    (re.compile(r"['’]ll\b"), " will"),
    (re.compile(r"['’]d\b"), " would"),
    (re.compile(r"['’]s\b"), ""),
)


@functools.cache
def _stemmer() -> tuple[Stemmer, frozenset[str]]:
    """Build the Sastrawi stemmer once (about 10 ms: reads its 30k-word root list)."""
    words = [w for w in StemmerFactory().get_words() if w]
    return Stemmer(ArrayDictionary(words)), frozenset(words)


def _known_id(word: str) -> bool:
    return word in INFORMAL_ID or word in STOPWORDS_ID or word in _stemmer()[1]


@functools.lru_cache(maxsize=CACHE_SIZE)
def stem(word: str) -> str:
    """Return the Sastrawi stem of one lower-case Indonesian word (memoised, bounded).

    A cache miss costs about 0.15 ms; words whose root is not in Sastrawi's dictionary
    (names, English words) come back unchanged.
    """
    if not word.isascii() or not word.isalpha() and "-" not in word:
        return word
    return str(_stemmer()[0].stem_word(word))


def _strip_latin_diacritics(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    out: list[str] = []
    for ch in decomposed:
        # Drop a combining mark only after a Latin letter; other scripts need theirs.
        if unicodedata.combining(ch) and out and out[-1] < "\u0250":
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _hashtag_words(match: re.Match[str]) -> str:
    return " " + _CAMEL_RE.sub(" ", match.group(1)) + " "


def prepare(text: str, *, lang: str = "id") -> str:
    """Return ``text`` NFKC-normalised, lower-cased, without URLs/mentions/diacritics.

    Hashtags keep their words (camel case split). Punctuation is kept, so callers that
    need it (sentiment features) can still see ``!`` and ``?``.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _URL_RE.sub(" ", text)
    text = _MENTION_RE.sub(" ", text)
    text = _HASHTAG_RE.sub(_hashtag_words, text)
    text = _strip_latin_diacritics(text.lower())
    if lang == "en":
        for pattern, replacement in _EN_CONTRACTIONS:
            text = pattern.sub(replacement, text)
    return text


def _squash(word: str, lang: str) -> str:
    """Squash letters repeated 3+ times, keeping a double letter when that is a word."""
    single = _REPEAT_RE.sub(r"\1", word)
    double = _REPEAT_RE.sub(r"\1\1", word)
    if lang == "en":
        # English doubles are common (good, cool, see); prefer them.
        return double if single not in INFORMAL_EN else single
    return double if not _known_id(single) and _known_id(double) else single


@functools.lru_cache(maxsize=CACHE_SIZE)
def _word_forms(word: str, lang: str) -> tuple[str, ...]:
    """Standard unstemmed form(s) of one raw lower-case token."""
    if _LAUGH_RE.fullmatch(word):
        return ("haha",)
    redup = _REDUP_RE.fullmatch(word)
    if redup:
        word = f"{redup.group(1)}-{redup.group(1)}"
    if _REPEAT_RE.search(word):
        word = _squash(word, lang)
    informal = INFORMAL_EN if lang == "en" else INFORMAL_ID
    if word in informal:
        return informal[word]
    return (word,)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _token_out(word: str, lang: str, do_stem: bool, stopwords: frozenset[str]) -> tuple[str, ...]:
    """All processing of one raw token, memoised: forms → stop words → stem → split."""
    out: list[str] = []
    for form in _word_forms(word, lang):
        if form in stopwords:
            continue
        if do_stem and lang != "en":
            form = stem(form)
        for part in form.split("-"):
            if part and part not in stopwords:
                out.append(part)
    return tuple(out)


_NO_STOPWORDS: frozenset[str] = frozenset()


def tokens(
    text: str, *, lang: str = "id", stem: bool = True, drop_stopwords: bool = True
) -> list[str]:
    """Split ``text`` into normalised tokens.

    ``lang="id"`` (default, also used for anything not English) applies the Indonesian
    informal dictionary and, with ``stem=True``, Sastrawi; ``lang="en"`` lower-cases,
    expands contractions and a few chat spellings, and never stems. Tokens are made of
    letters/digits only (hyphenated words are split after stemming).
    """
    lang = "en" if lang == "en" else "id"
    stopwords = _NO_STOPWORDS
    if drop_stopwords:
        stopwords = STOPWORDS_EN if lang == "en" else STOPWORDS_ID
    out: list[str] = []
    for raw in _TOKEN_RE.findall(prepare(text, lang=lang)):
        out.extend(_token_out(raw, lang, stem, stopwords))
    return out


def normalise_informal(text: str, *, lang: str = "id") -> str:
    """Return ``text`` lower-cased with informal spellings replaced, as spaced tokens.

    Keeps every word (no stop-word removal, no stemming): ``"gk bgt sih"`` →
    ``"tidak banget sih"``.
    """
    return " ".join(tokens(text, lang=lang, stem=False, drop_stopwords=False))


def normalise_for_search(text: str) -> str:
    """Return the space-joined search tokens of ``text`` (for indexing and for queries).

    Language-independent on purpose, so a query needs no language guess: Indonesian
    informal spellings are mapped, Indonesian and English stop words dropped and words
    stemmed with Sastrawi (which leaves English words alone).
    """
    out: list[str] = []
    for raw in _TOKEN_RE.findall(prepare(text)):
        out.extend(_token_out(raw, "id", True, _SEARCH_STOPWORDS))
    return " ".join(out)

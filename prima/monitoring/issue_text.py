"""What issue clustering reads from a post, and how an issue gets a readable label.

Pure functions (no database), used by :mod:`.issues`:

* :func:`cluster_terms` — the terms a post is clustered on: its search terms (stemmed,
  informal spellings mapped, stop words dropped), English words read as the Indonesian
  term of the office's glossary (``queue`` → ``antre``) so both languages can meet in one
  issue, and the words inside lower-case hashtags (``#antreanimigrasi`` → ``antre``,
  ``imigrasi``).
* :func:`phrases` and :func:`label` — candidate label phrases of a post (whole words in
  the post's own spelling, informal forms normalised, hyphenated words kept whole:
  ``gara-gara`` never becomes ``gara``; hashtags as written), and the label of an issue
  from how many of its posts used each phrase, in the language most of its posts use.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from prima.lib import text as textlib

DATA_DIR = Path(__file__).resolve().parent / "data"
# Label phrases kept per issue and language (the rest are the rarest ones).
MAX_PHRASES = 150
MAX_PHRASE_WORDS = 3
LABEL_MAX = 80

_HASHTAG_RE = re.compile(r"(?<![\w#])#(\w{2,60})")
_URL_RE = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION_RE = re.compile(r"(?<![\w@])@\w+")
_BREAK_RE = re.compile(r"[.,!?;:()\[\]\"“”/|…\n]+|\s[-–—]\s")
_WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_SUFFIXES = ("", "an", "kan", "nya", "i")


@functools.cache
def glossary() -> dict[str, str]:
    """English word → Indonesian search term (``data/issue_glossary.tsv``)."""
    out: dict[str, str] = {}
    for line in (DATA_DIR / "issue_glossary.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            english, term = line.split("\t")
            out[english.strip()] = term.strip()
    return out


@functools.cache
def _vocabulary() -> frozenset[str]:
    roots = textlib._stemmer()[1]
    return frozenset(roots | set(textlib.INFORMAL_ID) | set(glossary()) | set(glossary().values()))


@functools.lru_cache(maxsize=20_000)
def segment(tag: str) -> tuple[str, ...]:
    """Split a lower-case hashtag into known words (fewest pieces, each at least three
    letters); ``()`` when it cannot be split entirely. ``antreanimigrasi`` →
    ``("antrean", "imigrasi")``."""
    tag = tag.lower()
    if not tag.isalpha() or len(tag) > 40:
        return ()
    vocab = _vocabulary()
    n = len(tag)
    best: list[tuple[int, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for end in range(3, n + 1):
        for start in range(0, end - 2):
            prev = best[start]
            if prev is None or (best[end] is not None and len(prev) + 1 >= len(best[end] or ())):
                continue
            piece = tag[start:end]
            if any(piece.endswith(s) and piece[: len(piece) - len(s)] in vocab
                   for s in _SUFFIXES if len(piece) - len(s) >= 3):  # fmt: skip
                best[end] = (*prev, end)
    if best[n] is None or len(best[n] or ()) < 2:
        return ()
    cuts = (0, *(best[n] or ()))
    return tuple(tag[a:b] for a, b in zip(cuts, cuts[1:], strict=False))


@functools.cache
def stopwords() -> frozenset[str]:
    """Search terms that say nothing about which event a post is about."""
    lines = (DATA_DIR / "issue_stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def cluster_terms(search_terms: Iterable[str], text: str) -> list[str]:
    """The terms a post is clustered on (see the module docstring)."""
    words, stop = glossary(), stopwords()
    out: list[str] = []
    previous = ""
    for term in search_terms:
        if term.isdigit() and previous == "terminal" and len(term) == 1:
            out.append(f"t{term}")  # "Terminal 3" and "T3" are one place
        elif term not in stop:
            out.append(words.get(term, term))
        previous = term
    for tag in _HASHTAG_RE.findall(text):
        if tag.islower():  # CamelCase tags are already split by the search tokens
            pieces = segment(tag)
            if pieces:
                out.extend(
                    t
                    for t in textlib.normalise_for_search(" ".join(pieces)).split()
                    if t not in stop
                )
    return out


def _surface(word: str, lang: str) -> tuple[str, ...]:
    """A word as a label shows it: informal spelling normalised (``bgt`` → ``banget``,
    ``mahal2`` → ``mahal-mahal``), otherwise as written."""
    return textlib._word_forms(word, lang)


def phrases(text: str, lang: str) -> set[str]:
    """Candidate label phrases of one post: hashtags as written (``#AntreanSoetta``) and
    runs of one to three whole words inside a clause that neither start nor end with a
    stop word or a number."""
    lang = "en" if lang == "en" else "id"
    stop = (textlib.STOPWORDS_EN if lang == "en" else textlib.STOPWORDS_ID) | stopwords()
    found: set[str] = {f"#{tag}" for tag in _HASHTAG_RE.findall(text) if not tag.isdigit()}
    body = _HASHTAG_RE.sub(" | ", _MENTION_RE.sub(" | ", _URL_RE.sub(" | ", text)))
    for clause in _BREAK_RE.split(body.lower()):
        words: list[str] = []
        for raw in _WORD_RE.findall(clause):
            words.extend(_surface(raw, lang))
        for i, first in enumerate(words):
            if first in stop or not first[0].isalpha() or len(first) < 3:
                continue
            for size in range(1, MAX_PHRASE_WORDS + 1):
                if i + size > len(words):
                    break
                last = words[i + size - 1]
                if last in stop or (size == 1 and len(first) < 4):
                    continue
                if any(w in ("haha", "wkwk") for w in words[i : i + size]):
                    break
                found.add(" ".join(words[i : i + size]))
    return found


def add_phrases(store: dict, text: str, lang: str) -> None:
    """Count the phrases of one post into ``store`` (``{lang: {phrase: posts}}`` plus
    ``{"n": {lang: posts}}``), keeping at most ``MAX_PHRASES`` per language."""
    lang = "en" if lang == "en" else "id"
    counts = store.setdefault(lang, {})
    for phrase in phrases(text, lang):
        counts[phrase] = counts.get(phrase, 0) + 1
    totals = store.setdefault("n", {})
    totals[lang] = totals.get(lang, 0) + 1
    if len(counts) > MAX_PHRASES * 2:
        kept = sorted(counts.items(), key=lambda kv: -kv[1])[:MAX_PHRASES]
        store[lang] = dict(kept)


def merge_phrases(into: dict, other: Mapping) -> None:
    """Add the phrase counts of ``other`` to ``into`` (issues merged)."""
    for lang, counts in other.items():
        target = into.setdefault(lang, {})
        for phrase, n in counts.items():
            target[phrase] = target.get(phrase, 0) + n


@functools.lru_cache(maxsize=50_000)
def _phrase_terms(phrase: str) -> tuple[str, ...]:
    words = glossary()
    if phrase.startswith("#"):
        tag = phrase[1:]
        pieces = segment(tag) if tag.islower() else ()
        phrase = " ".join(pieces) if pieces else tag
    return tuple(
        dict.fromkeys(words.get(t, t) for t in textlib.normalise_for_search(phrase).split())
    )


def label(store: Mapping, centroid: Mapping[str, float], *, fallback: str = "") -> str:
    """The label of an issue: its strongest phrase in the language most of its posts use,
    and a second one about something else when that is nearly as strong (``antrean
    imigrasi · terminal 3``). A phrase's strength is the number of posts that used it
    times the weight of its terms in the issue's centroid; phrases of several words win
    over their single words when they are about as frequent."""
    totals = store.get("n") or {}
    if not totals:
        return fallback
    lang = max(totals, key=lambda k: (totals[k], k == "id"))
    counts: Mapping[str, int] = store.get(lang) or {}
    n_posts = max(1, totals[lang])
    top_weight = max(centroid.values(), default=1.0) or 1.0
    scored: list[tuple[float, str, tuple[str, ...]]] = []
    for phrase, n in counts.items():
        if n < 2 and n_posts > 2:
            continue
        terms = _phrase_terms(phrase)
        if not terms:
            continue
        weight = sum(centroid.get(t, 0.0) for t in terms) / top_weight
        if not weight:
            continue
        # Extra words must carry weight of their own: "antrean imigrasi" beats
        # "antrean", but "antrean yang" never forms (stop words end no phrase).
        score = n * weight * (1 + 0.25 * (len(terms) - 1))
        scored.append((score, phrase, terms))
    if not scored:
        return fallback
    scored.sort(key=lambda s: (-s[0], -len(s[2]), s[1]))
    best_score, best, best_terms = scored[0]
    chosen = [best]
    for score, phrase, terms in scored[1:]:
        if score < 0.5 * best_score:
            break
        if not set(terms) & set(best_terms):
            chosen.append(phrase)
            break
    return " · ".join(chosen)[:LABEL_MAX]

"""Which fact a figure in a draft is about.

A figure's *context* is the words around it, weighted by closeness: its clause (the part
of its sentence between commas and conjunctions) weighs 1, the rest of its sentence 0.5,
the previous sentence and the part's context (the question of an answer) 0.25–0.5. Other
figures in that window count as words too ("paspor biasa 5 tahun" is context for the
fee after it), written the same way whatever the language ("lima tahun" and "5 years"
both become "5 tahun"). Words are normalised as for search (stemmed, stop words dropped),
so "berlaku" and "masa berlaku" meet.

A reference (a fee, a verified fact's number) has such a context too. The score of a pair
is the sum, over the words they share, of the smaller weight times the word's rarity among
the references of that kind (inverse document frequency): "elektronik" tells more than
"paspor". A pair is about the same matter only when they share content words (not only
numbers and units): one word of the figure's clause against the catalogue's short names,
two against a sentence of free text.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Iterable, Sequence

from prima.lib.figures import Figure, Kind, extract, number_text
from prima.lib.text import normalise_for_search

_UNIT_WORDS = {
    "seconds": "detik", "minutes": "menit", "hours": "jam", "days": "hari",
    "working_days": "hari kerja", "weeks": "minggu", "months": "bulan", "years": "tahun",
}  # fmt: skip
# Words that say how much, not what: they never make two contexts "the same matter".
_NON_CONTENT = {
    "detik", "menit", "jam", "hari", "kerja", "minggu", "bulan", "tahun", "persen",
    "rupiah", "rp", "idr", "second", "minute", "hour", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "working", "percent", "sebesar", "sebanyak",
    "banyak", "capai", "total", "jumlah", "kurang", "lebih", "sekitar", "biaya", "tarif",
    "harga", "fee", "fees", "cost", "costs", "per",
}  # fmt: skip

# Sentence ends, line breaks and the dash after a dateline ("Tangerang, 19 November 2025 –").
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“'(]?[A-Z])|\n|\s[–—]\s")
_CLAUSE_BREAK = re.compile(
    r",\s|;\s*|:\s|\s[–—-]\s|\s(?:dan|serta|sedangkan|atau|namun|tetapi|and|while|whereas"
    r"|or|but)\s",
    re.IGNORECASE,
)


def figure_words(figure: Figure) -> str:
    """How a figure reads as context: "5 tahun", "12 wna", "71 persen"; dates and times
    add nothing (their words would make every dated sentence alike)."""
    if figure.kind in (Kind.DATE, Kind.TIME) or figure.value is None:
        return " "
    value = number_text(figure.value)
    if figure.kind == Kind.DURATION:
        return f" {value} {_UNIT_WORDS.get(figure.unit, figure.unit)} "
    if figure.kind == Kind.PERCENT:
        return f" {value} persen "
    if figure.kind == Kind.COUNT:
        return f" {value} {figure.unit} "
    return f" {value} "


# English words mapped to the Indonesian (stemmed) words the office's facts use, so that
# an English draft meets Indonesian facts; plurals are folded ("passports" → "passport").
_GLOSSARY = {
    "passport": "paspor", "e": "elektronik", "electronic": "elektronik",
    "ordinary": "biasa", "regular": "biasa", "valid": "laku", "validity": "laku",
    "replacement": "ganti", "replace": "ganti", "lost": "hilang", "damaged": "rusak",
    "visa": "visa", "arrival": "datang", "arrive": "datang", "departure": "angkat",
    "visit": "kunjung", "stay": "tinggal", "permit": "izin", "entry": "masuk",
    "re": "kembali", "foreigner": "wna", "foreign": "wna", "deport": "deportasi",
    "deported": "deportasi", "deportation": "deportasi", "passenger": "penumpang",
    "officer": "petugas", "crossing": "lintas", "completed": "selesai", "issued": "selesai",
    "processed": "proses", "processing": "proses", "service": "layan",
    "accelerated": "percepat", "express": "percepat", "conference": "konferensi",
    "press": "pers", "trafficking": "tppo", "victim": "korban", "application": "mohon",
    "applicant": "mohon",
}  # fmt: skip


def _fold(word: str) -> str:
    if word in _GLOSSARY:
        return _GLOSSARY[word]
    if word.endswith("s") and word[:-1] in _GLOSSARY:
        return _GLOSSARY[word[:-1]]
    return word


# Stop words that still say something here: "sejak 17 Desember 2024" is when a rule applies.
_CUES = re.compile(r"\b(sejak|since|semenjak)\b", re.IGNORECASE)


def tokens(text: str) -> list[str]:
    words = [_fold(word) for word in normalise_for_search(text).split()]
    words.extend(m.group(1).lower() for m in _CUES.finditer(text))
    return words


def text_tokens(text: str, figures: Sequence[Figure] | None = None) -> list[str]:
    """The words of ``text`` with its figures written as context ("lima tahun" → "5
    tahun")."""
    if figures is None:
        figures = extract(text)
    return tokens(_window(text, 0, len(text), figures, None))


def weights(*groups: tuple[Iterable[str], float]) -> dict[str, float]:
    """A context from groups of words with their weights (the highest weight wins)."""
    out: dict[str, float] = {}
    for words, weight in groups:
        _add(out, words, weight)
    return out


@functools.lru_cache(maxsize=100_000)
def is_content(token: str) -> bool:
    return not token.isdigit() and token not in _NON_CONTENT and not _is_number(token)


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


# A full stop after these (or after an initial) does not end a sentence.
_ABBREVIATIONS = {
    "no", "nomor", "rp", "jl", "dr", "drs", "dra", "ir", "h", "hj", "prof", "st", "kel",
    "kec", "kab", "ps", "pkl", "pk", "tel", "telp", "hal", "vol", "mr", "mrs", "ms", "jo",
    "sdr", "bpk", "ibu", "a.n", "u.p", "dll", "dsb", "s.d", "tgl", "etc", "vs", "e.g", "i.e",
}  # fmt: skip
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")


def _ends_sentence(text: str, m: re.Match[str]) -> bool:
    """Whether the full stop before ``m`` ends a sentence (not "No." or "A.")."""
    before = _WORD_BEFORE.search(text, max(0, m.start() - 12), m.start())
    if before is None:
        return True
    word = before.group(1).lower()
    return word not in _ABBREVIATIONS and not (len(word) == 1 and word.isalpha())


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line of ``text``."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if text[m.start() - 1 : m.start()] == "." and not _ends_sentence(text, m):
            continue
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _window(text: str, start: int, end: int, figures: Sequence[Figure], skip: Figure | None) -> str:
    """``text[start:end]`` with each figure inside replaced by its words (``skip`` by
    nothing)."""
    out = []
    pos = start
    for f in figures:
        if f.end <= start or f.start >= end:
            continue
        s, e = max(f.start, start), min(f.end, end)
        out.append(text[pos:s])
        out.append(" " if f is skip else figure_words(f))
        pos = e
    out.append(text[pos:end])
    return "".join(out)


def _add(
    weights: dict[str, float], words: Iterable[str], weight: float, *, numbers: bool = True
) -> None:
    for word in words:
        if not numbers and not is_content(word) and _is_number(word):
            continue
        if weights.get(word, 0.0) < weight:
            weights[word] = weight


_RAW_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@functools.lru_cache(maxsize=100_000)
def _word_tokens(raw: str) -> tuple[str, ...]:
    return tuple(tokens(raw))


class _Words:
    """The words of a text, normalised once, with the figures standing in for their own
    words: any window of the text is then a slice, not a new pass over the text."""

    def __init__(self, text: str, figures: Sequence[Figure]) -> None:
        self.figures = figures
        self.starts: list[int] = []
        self.words: list[tuple[str, ...]] = []
        spans = iter(figures)
        figure = next(spans, None)
        for m in _RAW_WORD.finditer(text):
            while figure is not None and figure.end <= m.start():
                figure = next(spans, None)
            if figure is not None and figure.start < m.end() and m.start() < figure.end:
                continue  # inside a figure: the figure's own words stand for it
            self.starts.append(m.start())
            self.words.append(_word_tokens(m.group()))
        self.figure_words = [tuple(tokens(figure_words(f))) for f in figures]
        self.figure_starts = [f.start for f in figures]

    def window(self, start: int, end: int, skip: Figure | None = None) -> list[str]:
        found: list[str] = []
        for i in range(bisect.bisect_left(self.starts, start), len(self.starts)):
            if self.starts[i] >= end:
                break
            found.extend(self.words[i])
        first = max(0, bisect.bisect_left(self.figure_starts, start) - 1)
        for i in range(first, len(self.figures)):
            f = self.figures[i]
            if f.start >= end:
                break
            if f.end > start and f is not skip:
                found.extend(self.figure_words[i])
        return found


def _clauses_outside(
    text: str, start: int, end: int, figures: Sequence[Figure]
) -> list[tuple[int, int]]:
    """Clauses of ``text[start:end]``, never cut inside a figure ("Rabu, 19 November")."""
    spans = []
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if any(f.start < m.start() < f.end for f in figures):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, end))
    return spans


def figure_contexts(
    text: str, figures: Sequence[Figure], extra: str = ""
) -> list[dict[str, float]]:
    """The context of each figure of ``text`` (same order as ``figures``, which must be
    the figures of ``text`` in order of position). Linear in the text."""
    spans = sentences(text)
    starts = [s for s, _e in spans]
    index_of = _Words(text, figures)
    extra_words = tokens(extra) if extra else []
    contexts: list[dict[str, float]] = []
    for figure in figures:
        weights: dict[str, float] = {}
        if spans:
            index = max(0, bisect.bisect_right(starts, figure.start) - 1)
            s_start, s_end = spans[index]
            inside = [f for f in figures if f.start < s_end and f.end > s_start]
            # Numbers count only in the figure's own clause: elsewhere in the sentence they
            # belong to other figures ("5 tahun Rp350.000 dan 10 tahun Rp650.000").
            if index > 0:
                _add(weights, index_of.window(*spans[index - 1]), 0.25, numbers=False)
            _add(weights, index_of.window(s_start, s_end, figure), 0.5, numbers=False)
            clauses = _clauses_outside(text, s_start, s_end, inside)
            own = [
                i
                for i, (c_start, c_end) in enumerate(clauses)
                if c_start <= figure.start < c_end or c_start < figure.end <= c_end
            ]
            clause_words = [w for i in own for w in index_of.window(*clauses[i], figure)]
            if not clause_words and own and own[0] > 0:
                # Only the figure in its clause ("Tangerang, 19 November 2025"): the clause
                # before it says what it is about.
                clause_words = index_of.window(*clauses[own[0] - 1])
            _add(weights, clause_words, 1.0)
        if figure.kind == Kind.COUNT and figure.unit:
            # What is counted says what the figure is about ("12 WNA").
            _add(weights, tokens(figure.unit), 1.0)
        _add(weights, extra_words, 0.5, numbers=False)
        contexts.append(weights)
    return contexts


def idf(contexts: Iterable[dict[str, float]]) -> dict[str, float]:
    """Rarity of each word among a set of contexts: ln(1 + N / df)."""
    df: dict[str, int] = {}
    n = 0
    for context in contexts:
        n += 1
        for word in context:
            df[word] = df.get(word, 0) + 1
    return {word: math.log(1 + n / count) for word, count in df.items()}


def score(
    draft: dict[str, float], reference: dict[str, float], rarity: dict[str, float]
) -> tuple[float, float, int]:
    """(strength, content, close) of the match between two contexts: the strength weighs
    shared words by their rarity (to rank references); the content sums the weights of
    shared content words (one word of the same clause is 1): the pair is about the same
    matter when it reaches the reference's ``min_content``; close counts the content words both have
    in the figure's own clause."""
    total = content = 0.0
    close = 0
    small, large = (draft, reference) if len(draft) <= len(reference) else (reference, draft)
    for word, weight in small.items():
        other = large.get(word)
        if other is None:
            continue
        shared = min(weight, other)
        total += shared * rarity.get(word, 1.0)
        if is_content(word):
            content += shared
            close += shared >= 1.0
    return total, content, close


def has_any(context: dict[str, float], words: frozenset[str]) -> bool:
    """Whether the figure's own clause uses one of ``words`` (always, when none)."""
    return not words or any(context.get(word, 0.0) >= 1.0 for word in words)

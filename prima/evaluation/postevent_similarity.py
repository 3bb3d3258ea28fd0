"""Sentence-level text similarity for the post-event evaluation, offline.

Which approved key message a news item carries, and which journalist's question the Q&A
sheet foresaw, are both "is this sentence saying that?". Texts are compared as TF-IDF
vectors of character n-grams (3 to 5 characters within words, sublinear term
frequency), by cosine similarity. Character n-grams survive Indonesian affixes
("mempercepat" / "percepat" / "dipercepat") and informal spellings without a stemmer,
and need no model: the vocabulary is fitted on the texts being compared.

The thresholds below were set on the hand-written cases of
``prima/evaluation/tests/test_postevent_similarity.py`` (paraphrases in news style
above, other sentences about immigration below); change them only with those cases.

Pure module: no Django import. Cost: one small matrix product per call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

# A sentence of coverage carries a key message at this similarity or above.
PICKUP_THRESHOLD = 0.30
# A journalist's question was foreseen when a Q&A question is at least this similar.
FORESEEN_THRESHOLD = 0.40

_SPACE = re.compile(r"\s+")
_NUMBERING = re.compile(r"^\s*(?:\d+[.)]|[-•*])\s*")

Splitter = Callable[[str], list[tuple[int, int]]]


def _clean(text: str) -> str:
    return _SPACE.sub(" ", _NUMBERING.sub("", text)).strip().casefold()


@dataclass(frozen=True)
class Match:
    """The best match of one target text among candidates: its index, the candidate
    text and the cosine similarity (0…1)."""

    index: int
    text: str
    similarity: float


def similarities(targets: Sequence[str], candidates: Sequence[str]) -> list[list[float]]:
    """Cosine similarity of every target with every candidate (rows: targets)."""
    cleaned_t = [_clean(t) for t in targets]
    cleaned_c = [_clean(c) for c in candidates]
    if not cleaned_t or not cleaned_c:
        return [[0.0] * len(candidates) for _ in targets]
    corpus = [t for t in cleaned_t + cleaned_c if t]
    if not corpus:
        return [[0.0] * len(candidates) for _ in targets]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    try:
        vectorizer.fit(corpus)
    except ValueError:  # nothing but one- or two-letter words
        return [[0.0] * len(candidates) for _ in targets]
    matrix = cosine_similarity(vectorizer.transform(cleaned_t), vectorizer.transform(cleaned_c))
    return [[float(v) for v in row] for row in matrix]


def best_matches(targets: Sequence[str], candidates: Sequence[str]) -> list[Match | None]:
    """For each target, the most similar candidate (None when there is no candidate)."""
    if not candidates:
        return [None for _ in targets]
    found: list[Match | None] = []
    for row in similarities(targets, candidates):
        index = max(range(len(row)), key=row.__getitem__)
        found.append(Match(index, candidates[index], row[index]))
    return found


def sentences_of(text: str, split: Splitter) -> list[str]:
    """The sentences of ``text`` (split by ``split``, which returns spans), stripped, with
    fragments of fewer than three words left out."""
    found = []
    for start, end in split(text):
        sentence = text[start:end].strip()
        if len(sentence.split()) >= 3:
            found.append(sentence)
    return found

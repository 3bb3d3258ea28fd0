"""The one NLP seam of PRIMA: language, sentiment and text normalisation.

Other code (ingest, analysis, views) calls these names and tests patch them here,
e.g. ``mock.patch("prima.monitoring.nlp.predict_sentiment")``. Everything runs offline
from artefacts inside the package.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from prima.lib.text import normalise_for_search, normalise_informal, tokens
from prima.monitoring.nlp.language import (
    LanguageGuess,
    detect_language,
    detect_languages,
    guess_language,
)
from prima.monitoring.nlp.sentiment import LABELS as SENTIMENT_LABELS
from prima.monitoring.nlp.sentiment import SentimentModel, load_model

__all__ = [
    "SENTIMENT_LABELS",
    "LanguageGuess",
    "SentimentModel",
    "detect_language",
    "detect_languages",
    "guess_language",
    "load_model",
    "normalise_for_search",
    "normalise_informal",
    "predict_sentiment",
    "predict_sentiment_proba",
    "tokens",
]


def predict_sentiment(texts: Sequence[str], langs: Sequence[str | None] | None = None) -> list[str]:
    """Label each text ``positive``, ``neutral`` or ``negative`` with the shipped model.

    ``langs`` (``"id"``/``"en"`` per text) skips language detection. The first call loads
    the model (about 0.1 s); then roughly 5,000 short posts per second.
    """
    return load_model().predict(texts, langs)


def predict_sentiment_proba(
    texts: Sequence[str], langs: Sequence[str | None] | None = None
) -> np.ndarray:
    """Probabilities ``(n, 3)`` in ``SENTIMENT_LABELS`` order (negative, neutral, positive)."""
    return load_model().predict_proba(texts, langs)

"""The one seam between ingestion and the NLP package: language and sentiment, batched.

Tests and the pipeline call these functions; the models behind them live in
:mod:`prima.monitoring.nlp`. The sentiment model is loaded once per process.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from .nlp.language import load_profile

logger = logging.getLogger(__name__)

LANGUAGES = ("id", "en", "other")
SENTIMENTS = ("positive", "neutral", "negative")

# Language hints as exports and feeds write them → our three codes.
_HINTS = {"id": "id", "in": "id", "ind": "id", "indonesian": "id", "bahasa indonesia": "id",
          "en": "en", "eng": "en", "english": "en"}  # fmt: skip


def language_from_hint(hint: str) -> str | None:
    """``"id-ID"``, ``"in"``, ``"en_US"``, ``"English"`` → ``"id"``/``"en"``; None if unknown.

    Other explicit languages (``"ms"``, ``"ja"``) give None too: detection decides, since
    exports often mislabel Indonesian as Malay.
    """
    if not hint:
        return None
    code = hint.strip().lower().replace("_", "-")
    return _HINTS.get(code) or _HINTS.get(code.split("-", 1)[0])


def detect_languages(texts: Sequence[str], hints: Sequence[str] | None = None) -> list[str]:
    """``"id"``, ``"en"`` or ``"other"`` per text; a usable hint (``lang`` of a post) wins."""
    profile = load_profile()
    out = []
    for index, text in enumerate(texts):
        hinted = language_from_hint(hints[index]) if hints else None
        out.append(hinted or profile.guess(text).lang)
    return out


@functools.cache
def _model() -> Any:
    """The shipped sentiment model (loaded once), or the lexicon fallback if none ships."""
    try:
        from .nlp.sentiment import load_model

        return load_model()
    except (ImportError, AttributeError, FileNotFoundError, OSError) as exc:
        logger.warning("sentiment model unavailable (%s): using the lexicon fallback", exc)
        return _LexiconModel()


def _label_and_score(prediction: Any) -> tuple[str, float]:
    if isinstance(prediction, str):
        return prediction, 1.0
    if isinstance(prediction, tuple | list):
        return str(prediction[0]), float(prediction[1])
    label = getattr(prediction, "label", None)
    if label is not None:
        return str(label), float(
            getattr(prediction, "score", getattr(prediction, "confidence", 1.0))
        )
    raise TypeError(f"unexpected sentiment prediction {prediction!r}")


def classify_sentiments(texts: Sequence[str], langs: Sequence[str]) -> list[tuple[str, float]]:
    """``(label, confidence)`` per text, one batched model call. Labels are ``positive``,
    ``neutral`` or ``negative``; text in another language is scored as Indonesian."""
    if not texts:
        return []
    model_langs = [lang if lang in ("id", "en") else "id" for lang in langs]
    model = _model()
    if hasattr(model, "predict_scored"):
        predictions = model.predict_scored(list(texts), model_langs)
    elif hasattr(model, "predict_proba") and hasattr(model, "offsets"):
        # The model's own decision (tuned per-class offsets on the log probabilities),
        # with the probability of the chosen label as the confidence: one pass, not two.
        probs = model.predict_proba(list(texts), model_langs)
        chosen = (np.log(np.clip(probs, 1e-12, None)) + model.offsets).argmax(axis=1)
        predictions = [(model.labels[c], float(probs[i, c])) for i, c in enumerate(chosen)]
    else:
        predictions = model.predict(list(texts), model_langs)
    out = []
    for prediction in predictions:
        label, score = _label_and_score(prediction)
        out.append((label if label in SENTIMENTS else "neutral", max(0.0, min(1.0, score))))
    return out


class _LexiconModel:
    """Counts lexicon words (after negation) until a trained model is available."""

    def predict(self, texts: list[str], langs: list[str]) -> list[tuple[str, float]]:
        from .nlp.sentiment.features import LEXICON, NEGATORS, normalised_tokens

        out = []
        for text, lang in zip(texts, langs, strict=True):
            lexicon, negators = LEXICON[lang], NEGATORS[lang]
            score, negate = 0, 0
            for token in normalised_tokens(text, lang):
                if token in negators:
                    negate = 3
                    continue
                polarity = lexicon.get(token, 0)
                score += -polarity if negate else polarity
                negate = max(0, negate - 1)
            if score > 0:
                out.append(("positive", min(1.0, 0.5 + 0.1 * score)))
            elif score < 0:
                out.append(("negative", min(1.0, 0.5 - 0.1 * score)))
            else:
                out.append(("neutral", 0.5))
        return out


def analyse_texts(
    payload: Sequence[tuple[str, str, str, str, list[str]]],
) -> list[tuple[str, str, float, str, list[int]]]:
    """Everything ingestion computes from a mention's text, for a batch.

    ``(title, text, summary, lang_hint, words)`` → ``(language, sentiment, confidence,
    search_text, lsh_bands)``. Pure (no database), so the pipeline can run it in a helper
    process while it stores the previous chunk.
    """
    from prima.lib.text import normalise_for_search

    from . import neardup

    if not payload:
        return []
    heads = [f"{title}\n{text}"[:2_000] for title, text, _s, _h, _w in payload]
    langs = detect_languages(heads, [hint for _t, _x, _s, hint, _w in payload])
    sentiments = classify_sentiments(heads, langs)
    all_bands = neardup.bands_of(neardup.signatures([words for *_rest, words in payload]))
    return [
        (lang, label, score, normalise_for_search(f"{title}\n{text}\n{summary}"), bands)
        for (title, text, summary, _h, _w), lang, (label, score), bands in zip(
            payload, langs, sentiments, all_bands, strict=True
        )
    ]

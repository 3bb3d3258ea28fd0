"""The one NLP seam of PRIMA: language and sentiment, batched.

Everything that labels text — ingestion, re-classification, the pages — calls these
functions, and tests replace these functions (never the models behind them). The models
live in :mod:`prima.monitoring.nlp` (the language profile and the sentiment artefact,
both shipped in the package) and are loaded once per process.

There is no stand-in: when a model cannot be loaded, :class:`ModelUnavailable` says which
artefact and why. Ingestion then refuses to label (the import job fails with that message,
and can be retried once the artefact is back), the system check ``monitoring.E001`` /
``monitoring.E002`` fails, and ``/healthz`` reports the component as an error.
"""

from __future__ import annotations

import functools
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .nlp.language import PROFILE_PATH, Profile, load_profile
from .nlp.sentiment.model import ARTEFACT_DIR, SentimentModel, load_model

LANGUAGES = ("id", "en", "other")
SENTIMENTS = ("positive", "neutral", "negative")
# Language and sentiment read at most this much of a mention (enough to decide both).
ANALYSIS_CHARS = 2_000

# Language hints as exports and feeds write them → our three codes.
_HINTS = {"id": "id", "in": "id", "ind": "id", "indonesian": "id", "bahasa indonesia": "id",
          "en": "en", "eng": "en", "english": "en"}  # fmt: skip


class ModelUnavailable(RuntimeError):
    """A model artefact cannot be loaded: nothing is labelled until it can."""

    def __init__(self, component: str, artefact: Path, reason: str) -> None:
        self.component = component
        self.artefact = artefact
        self.reason = reason
        super().__init__(f"The {component} cannot be loaded from {artefact}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in the analysis helper process too: it must survive pickling.
        return (type(self), (self.component, self.artefact, self.reason))


@dataclass(frozen=True)
class ModelStatus:
    """Whether one model loads, for the system check and ``/healthz``."""

    name: str  # "sentiment_model", "language_identifier"
    component: str  # human words: "sentiment model"
    artefact: Path
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def analysed_text(title: str, text: str) -> str:
    """The part of a mention that language, sentiment and issue labels read."""
    return f"{title}\n{text}"[:ANALYSIS_CHARS]


# --- the models -------------------------------------------------------------------------------


def sentiment_artefact() -> Path:
    """The directory of the sentiment model in use."""
    return ARTEFACT_DIR


def _load(component: str, artefact: Path, loader: Any) -> Any:
    try:
        return loader(artefact)
    except (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        # A missing file, a damaged archive or JSON, an artefact of another format.
        raise ModelUnavailable(component, artefact, f"{type(exc).__name__}: {exc}") from exc


@functools.cache
def sentiment_model() -> SentimentModel:
    """The sentiment model (loaded once per process; a failure is not cached)."""
    return _load("sentiment model", sentiment_artefact(), load_model)


@functools.cache
def language_profile() -> Profile:
    """The language identifier's profile (loaded once per process)."""
    return _load("language identifier", PROFILE_PATH, load_profile)


def reload_models() -> None:
    """Forget the loaded models (after ``prima train-sentiment`` wrote a new artefact)."""
    sentiment_model.cache_clear()
    language_profile.cache_clear()
    load_model.cache_clear()  # type: ignore[attr-defined]
    load_profile.cache_clear()


def model_status() -> list[ModelStatus]:
    """Load (once) each model and say whether it works."""
    out = []
    for name, component, artefact, load in (
        ("sentiment_model", "sentiment model", sentiment_artefact(), sentiment_model),
        ("language_identifier", "language identifier", PROFILE_PATH, language_profile),
    ):
        try:
            load()
        except ModelUnavailable as exc:
            out.append(ModelStatus(name, component, exc.artefact, exc.reason))
        else:
            out.append(ModelStatus(name, component, artefact))
    return out


# --- language -----------------------------------------------------------------------------


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
    """``"id"``, ``"en"`` or ``"other"`` per text; a usable hint (``lang`` of a post) wins.

    Raises :class:`ModelUnavailable` when the language identifier cannot be loaded.
    """
    profile = language_profile()
    out = []
    for index, text in enumerate(texts):
        hinted = language_from_hint(hints[index]) if hints else None
        out.append(hinted or profile.guess(text).lang)
    return out


# --- sentiment ----------------------------------------------------------------------------


def classify_sentiments(texts: Sequence[str], langs: Sequence[str]) -> list[tuple[str, float]]:
    """``(label, confidence)`` per text, one batched model call. Labels are ``positive``,
    ``neutral`` or ``negative``; text in another language is scored as Indonesian. The
    label is the model's own decision (its tuned per-class offsets on the log
    probabilities) and the confidence that label's probability.

    Raises :class:`ModelUnavailable` when the sentiment model cannot be loaded.
    """
    if not texts:
        return []
    sentiment_model()  # the shipped artefact must load: raises ModelUnavailable if not
    from .retraining import current_model

    # The newest model retrained with staff corrections, else the shipped one.
    model = current_model()
    model_langs = [lang if lang in ("id", "en") else "id" for lang in langs]
    probs = model.predict_proba(list(texts), model_langs)
    chosen = (np.log(np.clip(probs, 1e-12, None)) + model.offsets).argmax(axis=1)
    return [(model.labels[c], float(probs[i, c])) for i, c in enumerate(chosen)]


# --- everything ingestion computes ------------------------------------------------------------


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
    heads = [analysed_text(title, text) for title, text, _s, _h, _w in payload]
    langs = detect_languages(heads, [hint for _t, _x, _s, hint, _w in payload])
    sentiments = classify_sentiments(heads, langs)
    all_bands = neardup.bands_of(neardup.signatures([words for *_rest, words in payload]))
    return [
        (lang, label, score, normalise_for_search(f"{title}\n{text}\n{summary}"), bands)
        for (title, text, summary, _h, _w), lang, (label, score), bands in zip(
            payload, langs, sentiments, all_bands, strict=True
        )
    ]

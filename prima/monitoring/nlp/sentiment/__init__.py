"""Sentiment of Indonesian and English text: ``positive``, ``neutral`` or ``negative``.

Inference (:func:`load_model`, :class:`SentimentModel`) needs only numpy and the shipped
artefact in ``artefact/``; :func:`train` needs scikit-learn.
"""

from __future__ import annotations

from prima.monitoring.nlp.sentiment.model import (
    ARTEFACT_DIR,
    LABELS,
    SentimentModel,
    load_model,
)
from prima.monitoring.nlp.sentiment.training import TrainingReport, train

__all__ = ["ARTEFACT_DIR", "LABELS", "SentimentModel", "TrainingReport", "load_model", "train"]

"""The documents app's models; each part keeps its own module and is re-exported here."""

from __future__ import annotations

from .generation.models import (
    DocumentFormat,
    DocumentKind,
    EnglishText,
    GeneratedDocument,
    GenerationStatus,
    Language,
    Letterhead,
)
from .verification.models import Verification, Waiver

__all__ = [
    "DocumentFormat",
    "DocumentKind",
    "EnglishText",
    "GeneratedDocument",
    "GenerationStatus",
    "Language",
    "Letterhead",
    "Verification",
    "Waiver",
]

"""The documents app's models; each part keeps its own module and is re-exported here."""

from __future__ import annotations

from .verification.models import Verification, Waiver

__all__ = ["Verification", "Waiver"]

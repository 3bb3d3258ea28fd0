"""The one level scale of the product: 1 Rendah, 2 Sedang, 3 Tinggi, 4 Kritis.

The crisis playbook places every case on it; a press conference carries the level of
the issue it answers (a crisis conference opened from a case takes the case's level);
spokespeople are cleared for levels of it. It lives here, below both, so that neither
app owns the other's vocabulary.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class Level(models.IntegerChoices):
    """Low ones PR staff answer; high ones need the head of office and beyond."""

    LOW = 1, pgettext_lazy("issue level", "Low")
    MEDIUM = 2, pgettext_lazy("issue level", "Medium")
    HIGH = 3, pgettext_lazy("issue level", "High")
    CRITICAL = 4, pgettext_lazy("issue level", "Critical")


LEVELS: list[Level] = list(Level)
# The three-step scale conferences used before the common one (data migrations).
LEGACY_CODES: dict[str, Level] = {"low": Level.LOW, "medium": Level.MEDIUM, "high": Level.HIGH}


def clamp(value: int) -> Level:
    """``value`` forced into 1…4."""
    return Level(min(max(int(value), Level.LOW), Level.CRITICAL))

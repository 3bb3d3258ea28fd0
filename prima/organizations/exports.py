"""CSV exports people open in a spreadsheet: in Indonesian (column names in words, times
in the office's zone, e.g. WIB) when that is the reader's language; otherwise the stable
English column codes and UTC times that scripts expect."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import override as translation_override

from prima.lib import dates


@dataclass(frozen=True)
class Column:
    code: str  # the English header scripts rely on
    label: Promise | str  # the header in words (translated)
    is_time: bool = False


class CsvFormat:
    """How an export writes its header and its times for one reader."""

    def __init__(self, language: str | None = None, tz_name: str = dates.DEFAULT_TZ) -> None:
        self.language = language or get_language() or "id"
        self.localised = self.language.startswith("id")
        self.tz_name = tz_name or dates.DEFAULT_TZ

    def header(self, columns: Sequence[Column]) -> list[str]:
        if not self.localised:
            return [c.code for c in columns]
        zone = dates.zone_abbreviation(self.tz_name)
        with translation_override(self.language):
            return [f"{c.label} ({zone})" if c.is_time else str(c.label) for c in columns]

    def time(self, value: datetime | None) -> str:
        """ "2025-11-19 10:00:00" in the reader's zone (sortable, read by spreadsheets),
        or ISO 8601 UTC for English readers and scripts."""
        if value is None:
            return ""
        if not self.localised:
            return value.astimezone(UTC).isoformat(timespec="seconds")
        return value.astimezone(ZoneInfo(self.tz_name)).strftime("%Y-%m-%d %H:%M:%S")

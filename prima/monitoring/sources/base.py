"""What every source kind returns: a stream of parsed items and rejections."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from ..parsers.base import ParsedItem, ParseResult, Rejected

Entry = ParsedItem | Rejected


class EntryStream:
    """Entries of one input, in a stable order, plus file-level errors and warnings.

    ``errors``/``warnings`` are complete once iteration has ended; ``total`` is the number
    of entries when known beforehand (for progress), else None.
    """

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        total: int | None = None,
        errors: list[str] | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        self._entries = entries
        self.total = total
        self.errors: list[str] = errors if errors is not None else []
        self.warnings: list[str] = warnings if warnings is not None else []

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)


def from_result(result: ParseResult, start: int = 0) -> EntryStream:
    """Entries of a whole-file parse (items and rejections in file order) after ``start``."""
    ordered: list[Entry] = list(result.items)
    # Items carry no position; rejections do: put each rejection back where it was read.
    for rejection in sorted(result.rejected, key=lambda r: r.position):
        ordered.insert(min(len(ordered), max(0, rejection.position - 1)), rejection)
    return EntryStream(
        ordered[start:],
        total=len(ordered),
        errors=list(result.errors),
        warnings=list(result.warnings),
    )


def skip(entries: Iterable[Entry], start: int) -> Iterator[Entry]:
    """``entries`` without the first ``start`` (already processed before a restart)."""
    return islice(entries, start, None)

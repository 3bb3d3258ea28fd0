"""Social-media exports: the uploaded file stored with the job, streamed through
:func:`prima.monitoring.parsers.social.iter_social` with the job's column mapping."""

from __future__ import annotations

from collections.abc import Iterator

from ...parsers.mapping import PRESETS, ColumnMapping
from ...parsers.social import iter_social
from ..base import Entry, EntryStream, skip

KIND = "social_import"


def mapping_of(job) -> ColumnMapping | None:
    """The job's mapping: its own, else a built-in preset by name, else None (suggest)."""
    if job.mapping:
        return ColumnMapping.from_dict(job.mapping)
    if job.preset in PRESETS:
        return PRESETS[job.preset]
    if job.source.mapping:
        return ColumnMapping.from_dict(job.source.mapping)
    return None


def count_lines(job) -> int | None:
    """Rough number of entries for progress: lines of a CSV/NDJSON file (one pass)."""
    if job.format not in ("csv", "ndjson"):
        return None
    lines = 0
    with job.file.storage.open(job.file.name, "rb") as fh:
        while block := fh.read(1 << 20):
            lines += block.count(b"\n")
    return max(0, lines - (1 if job.format == "csv" else 0)) or None


class _Stream(EntryStream):
    def __init__(self, job, start: int) -> None:
        self._fh = job.file.storage.open(job.file.name, "rb")
        self._social = iter_social(self._fh, filename=job.filename, mapping=mapping_of(job))
        super().__init__(
            self._run(start),
            total=job.total or count_lines(job),
            errors=self._social.errors,
            warnings=self._social.warnings,
        )

    def _run(self, start: int) -> Iterator[Entry]:
        try:
            yield from skip(self._social, start)
        finally:
            self._fh.close()


def open_entries(job, start: int = 0) -> EntryStream:
    return _Stream(job, start)

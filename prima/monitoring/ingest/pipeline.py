"""The pipeline: chunks of entries through preparation, analysis and one transaction each.

A chunk goes through two halves. :meth:`Pipeline.begin` prepares its rows
(:mod:`.rows`), drops repeats and rows already stored, and starts their analysis — in the
helper process (:mod:`.helper`) from the second chunk on, so that it overlaps with
storing the previous chunk. :meth:`Pipeline.finish` waits for the analysis and stores the
chunk (:mod:`.store`) together with its checkpoint (:mod:`.checkpoint`) in one
transaction. The order of commits and checkpoints is the order of the input.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import analysis
from ..models import IngestJob, Source
from ..parsers.base import ParsedItem, Rejected
from . import rows as rowprep
from .checkpoint import Checkpoint
from .helper import Analysed, AnalysisHelper, Payload
from .results import ACCEPTED, DUPLICATE, REJECTED, ChunkReport, ItemResult
from .rows import Row
from .store import Store

Entry = ParsedItem | Rejected


@dataclass
class Chunk:
    """A chunk between its two halves (analysis started; not stored yet)."""

    entries: Sequence[tuple[int, Entry]]
    position_after: int
    now: datetime
    rows: list[Row] = field(default_factory=list)
    results: dict[int, ItemResult] = field(default_factory=dict)
    rejections: list[tuple[int, str, str]] = field(default_factory=list)
    future: Future[Analysed] | None = None
    analysed: Analysed = field(default_factory=list)


# Python's cycle collector runs after every 700 net allocations; a chunk allocates millions
# of small objects while the caches of the run stay alive, so each pass walks them again
# (about a tenth of the ingestion time). During a run it runs about 70 times less often;
# ingestion makes few reference cycles.
RUN_GC_THRESHOLD = (50_000, 20, 100)


@contextmanager
def _rarer_collections() -> Iterator[None]:
    old = gc.get_threshold()
    gc.set_threshold(*RUN_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _payload(rows: list[Row]) -> Payload:
    return [(r.title, r.text, r.summary, r.item.lang_hint, r.words) for r in rows]


def _apply_analysis(rows: list[Row], analysed: Analysed) -> None:
    for row, (lang, label, score, search_text, bands) in zip(rows, analysed, strict=True):
        row.language, row.sentiment, row.score = lang, label, score
        row.search_text, row.bands = search_text, bands


class Pipeline:
    """Stores parsed entries of one source, chunk by chunk (see the package docstring).

    ``job`` (optional) receives the checkpoint and counters with each chunk; ``worker``
    must hold the job's claim (the chunk is refused otherwise). With ``collect=True`` the
    per-entry :class:`ItemResult` list is kept in ``results`` (push API).
    """

    def __init__(
        self,
        source: Source,
        *,
        job: IngestJob | None = None,
        worker: str = "",
        chunk_size: int | None = None,
        collect: bool = False,
    ) -> None:
        self.source = source
        self.office = source.office
        self.job = job
        self.worker = worker
        self.chunk_size = chunk_size or settings.MONITORING_CHUNK_SIZE
        self.collect = collect
        self.results: list[ItemResult] = []
        self.report = ChunkReport()
        self.zone = ZoneInfo(self.office.timezone)
        self.item_warnings: list[str] = []
        self.store = Store(source, job)
        self.checkpoint = Checkpoint(job, worker)
        self.helper = AnalysisHelper()

    # Driving ---------------------------------------------------------------------------

    def run(
        self,
        entries: Iterable[Entry],
        *,
        start: int = 0,
        progress: Callable[[int], None] | None = None,
    ) -> ChunkReport:
        """Process ``entries`` (already positioned after ``start`` processed ones).

        ``progress`` is called with the position after each stored chunk.
        """
        position = start
        pending: Chunk | None = None
        chunk: list[tuple[int, Entry]] = []

        def submit(entries_: list[tuple[int, Entry]], after: int) -> None:
            nonlocal pending
            begun = self.begin(entries_, after, parallel=pending is not None)
            if pending is not None:
                self.finish(pending)
                if progress:
                    progress(pending.position_after)
            pending = begun

        with _rarer_collections():
            try:
                for entry in entries:
                    position += 1
                    chunk.append((position, entry))
                    if len(chunk) >= self.chunk_size:
                        submit(chunk, position)
                        chunk = []
                if chunk:
                    submit(chunk, position)
                if pending is not None:
                    self.finish(pending)
                    if progress:
                        progress(pending.position_after)
            finally:
                self.helper.close()
        return self.report

    def process_chunk(
        self, entries: Sequence[tuple[int, Entry]], position_after: int
    ) -> ChunkReport:
        """Analyse and store one chunk; commit it with the checkpoint ``position_after``."""
        return self.finish(self.begin(entries, position_after, parallel=False))

    # The two halves of a chunk ---------------------------------------------------------

    def begin(
        self, entries: Sequence[tuple[int, Entry]], position_after: int, *, parallel: bool
    ) -> Chunk:
        """Validate and normalise a chunk, drop known repeats, start its analysis (in the
        helper process with ``parallel``)."""
        chunk = Chunk(entries, position_after, timezone.now())
        for index, entry in entries:
            if isinstance(entry, Rejected):
                chunk.rejections.append((entry.position, entry.source, entry.reason))
                chunk.results[index] = ItemResult(index, "", REJECTED, entry.reason)
                continue
            row, reason = rowprep.prepare(index, entry, chunk.now, source=self.source,
                                          zone=self.zone, warnings=self.item_warnings)  # fmt: skip
            if row is None:
                position = int(entry.raw.get("_position", index)) if entry.raw else index
                member = str(entry.raw.get("_source", "")) if entry.raw else ""
                chunk.rejections.append((position, member, reason))
                chunk.results[index] = ItemResult(index, entry.external_id, REJECTED, reason)
                continue
            chunk.rows.append(row)
        # Exact duplicates inside the chunk, then (optimistically) against the database:
        # a cheap check that catches re-runs of an import before any analysis.
        chunk.rows = rowprep.unique_in_chunk(chunk.rows, chunk.results)
        chunk.rows = self.store.drop_known(chunk.rows, chunk.results, full=False)
        payload = _payload(chunk.rows)
        if parallel and payload:
            chunk.future = self.helper.submit(payload)
        if chunk.future is None:
            chunk.analysed = analysis.analyse_texts(payload)
        return chunk

    def finish(self, chunk: Chunk) -> ChunkReport:
        """Finish the analysis of a chunk and store it with its checkpoint (one
        transaction)."""
        if chunk.future is not None:
            chunk.analysed = self.helper.result(chunk.future, _payload(chunk.rows))
        _apply_analysis(chunk.rows, chunk.analysed)
        try:
            report = self._store(chunk)
        except BaseException:
            self.store.forget()
            raise
        self.report.add(report)
        if self.collect:
            self.results.extend(chunk.results[i] for i, _e in chunk.entries)
        return report

    def _store(self, chunk: Chunk) -> ChunkReport:
        store, results = self.store, chunk.results
        report = ChunkReport()
        with transaction.atomic():
            # Again, inside the transaction: another writer may have stored some meanwhile.
            rows = store.drop_known(chunk.rows, results)
            new_bands = store.group_near_duplicates(rows)
            store.assign_issues(rows)
            inserted = store.insert(rows, chunk.now)
            for row in rows:
                if row.mention_id is not None and row in inserted:
                    results[row.index] = ItemResult(row.index, row.external_id, ACCEPTED, "",
                                                    row.mention_id)  # fmt: skip
                else:
                    results[row.index] = ItemResult(row.index, row.external_id, DUPLICATE,
                                                    "already stored", row.mention_id)  # fmt: skip
            store.write_side_tables(inserted, new_bands)
            report.accepted = len(inserted)
            report.rejected = len(chunk.rejections)
            report.duplicates = len(chunk.entries) - report.accepted - report.rejected
            self.checkpoint.save(chunk.position_after, report, chunk.rejections, chunk.now)
        return report

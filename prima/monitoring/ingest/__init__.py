"""The ingestion pipeline: parse → normalise → dedup (exact, near) → language → sentiment
(batched) → watch-list tagging → issue assignment → store.

Input is processed in chunks (``MONITORING_CHUNK_SIZE`` entries). The analysis of a chunk
runs outside any transaction; then everything the chunk writes — mentions, watch-list
matches, issues, rollups, dedup bands, rejections — and the job's checkpoint
(``IngestJob.position`` and counters) commit in ONE transaction. A worker killed mid-job
therefore leaves whole chunks only, and the next worker resumes at the checkpoint: every
item ends up stored exactly once. Inserts are idempotent as well (unique keys with
``bulk_create(ignore_conflicts=True)``, then the ids read back), so re-running an import
adds nothing twice, and two workers racing on the same data cannot store it twice.

Bad entries are rejected with a reason (kept as :class:`~..models.IngestRejection` rows);
good ones are kept; stored data is never modified by an import.

Machine ingestion is not audited mention by mention: the audit trail gets one entry per
import started by a person (``import.start``, see :mod:`..services`); feed polls, push
batches and the demo loader are recorded as :class:`~..models.IngestJob` rows instead.

One job per module:

- :mod:`.jobs` — claiming a job, running it from its checkpoint, synchronous batches;
- :mod:`.pipeline` — the orchestration of chunks;
- :mod:`.rows` — preparing one entry (checks, normalisation, dedup keys);
- :mod:`.helper` — the analysis helper process;
- :mod:`.store` — the database writes of a chunk (rollups: :mod:`..rollups`);
- :mod:`.checkpoint` — the job's checkpoint in the chunk's transaction.
"""

from __future__ import annotations

from .checkpoint import LostClaim
from .jobs import Cancelled, claim_job, ingest_items, open_job_entries, process_job, worker_id
from .pipeline import Pipeline
from .results import ACCEPTED, DUPLICATE, REJECTED, ChunkReport, ItemResult
from .rows import FUTURE_TOLERANCE, MAX_COUNT, OLDEST
from .store import MENTION_COLUMNS, WatchListMatcher

__all__ = [
    "ACCEPTED",
    "DUPLICATE",
    "FUTURE_TOLERANCE",
    "MAX_COUNT",
    "MENTION_COLUMNS",
    "OLDEST",
    "REJECTED",
    "Cancelled",
    "ChunkReport",
    "ItemResult",
    "LostClaim",
    "Pipeline",
    "WatchListMatcher",
    "claim_job",
    "ingest_items",
    "open_job_entries",
    "process_job",
    "worker_id",
]

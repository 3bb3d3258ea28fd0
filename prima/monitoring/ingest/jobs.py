"""Import jobs: claiming one, running it from its checkpoint, and synchronous batches.

A job is claimed with one conditional UPDATE (of several workers exactly one wins; a job
whose worker stopped reporting is taken over once its lease expires) and then processed
by a :class:`.pipeline.Pipeline` from its checkpoint to the end.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from .. import hooks
from ..models import IngestJob, JobKind, JobStatus, Source
from ..parsers.base import ParsedItem, Rejected
from ..sources import transport
from ..sources.base import EntryStream
from .checkpoint import LostClaim
from .pipeline import Pipeline
from .results import ItemResult

logger = logging.getLogger(__name__)


class Cancelled(Exception):
    """Staff cancelled the job."""


def worker_id() -> str:
    """A name for this worker process, unique enough to tell claimants apart."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim_job(job_id: int, worker: str, *, now: datetime | None = None) -> bool:
    """Claim a queued job, or a running one whose worker stopped reporting (lease expired).

    One conditional UPDATE: of several workers (processes, machines) exactly one wins.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.MONITORING_JOB_LEASE_SECONDS)
    claimable = (
        Q(status=JobStatus.QUEUED)
        | Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale)
        | Q(status=JobStatus.RUNNING, heartbeat_at__isnull=True)
    )
    updated = (
        IngestJob.objects.filter(claimable, pk=job_id, cancel_requested=False)
        .update(status=JobStatus.RUNNING, claimed_by=worker, heartbeat_at=now,
                attempts=F("attempts") + 1)
    )  # fmt: skip
    if updated:
        IngestJob.objects.filter(pk=job_id, started_at__isnull=True).update(started_at=now)
    return bool(updated)


def open_job_entries(job: IngestJob) -> EntryStream:
    """The job's input from its checkpoint on, through its source kind's transport."""
    # Push batches, clippings and demo data were processed in the request that made them:
    # a job of theirs left running (the process died) has nothing more to read.
    kinds: dict[str, str] = {
        JobKind.URLS: "article",
        JobKind.FEED: "rss",
        JobKind.FILE: "social_import",
    }
    kind = kinds.get(job.kind, "push")
    return transport(kind).open_entries(job, job.position)


def process_job(
    job_id: int,
    *,
    worker: str | None = None,
    progress: Callable[[IngestJob], None] | None = None,
) -> IngestJob | None:
    """Claim the job and process it from its checkpoint to the end; returns the job
    (reloaded), or None when another worker holds it or it is finished/cancelled.

    Exceptions other than losing the claim mark the job failed with the message; the
    checkpoint is kept, so ``retry_job`` resumes where it stopped.
    """
    worker = worker or worker_id()
    if not claim_job(job_id, worker):
        return None
    job = IngestJob.objects.select_related("source", "source__office").get(pk=job_id)
    try:
        stream = open_job_entries(job)
        # Transports report the size of the whole input (not of what is left).
        if stream.total and job.total != stream.total:
            IngestJob.objects.filter(pk=job.pk).update(total=stream.total)
            job.total = stream.total
        pipeline = Pipeline(job.source, job=job, worker=worker)

        def on_chunk(position: int) -> None:
            if IngestJob.objects.filter(pk=job.pk, cancel_requested=True).exists():
                raise Cancelled
            if progress:
                job.refresh_from_db()
                progress(job)

        pipeline.run(stream, start=job.position, progress=on_chunk)
        errors = [e[:1000] for e in stream.errors][:50]
        warnings = [w[:1000] for w in [*stream.warnings, *pipeline.item_warnings]][:100]
        job.refresh_from_db()
        status = JobStatus.DONE
        if errors and not (job.accepted or job.duplicates):
            status = JobStatus.FAILED
        IngestJob.objects.filter(pk=job.pk, claimed_by=worker).update(
            status=status,
            finished_at=timezone.now(),
            errors=errors,
            warnings=warnings,
            total=job.position,
        )
    except LostClaim:
        logger.warning("job %s: lost the claim to another worker", job_id)
        return None
    except Cancelled:
        IngestJob.objects.filter(pk=job.pk, claimed_by=worker).update(
            status=JobStatus.CANCELLED, finished_at=timezone.now()
        )
    except Exception as exc:
        logger.exception("ingestion job %s failed", job_id)
        IngestJob.objects.filter(pk=job.pk, claimed_by=worker).update(
            status=JobStatus.FAILED, finished_at=timezone.now(),
            errors=[f"Stopped after {job.position} entries: {str(exc)[:500]} "
                    "(retrying continues from there)."],
        )  # fmt: skip
    job.refresh_from_db()
    hooks.announce_mentions_stored(job.office_id, job.pk, job.accepted)
    return job


def ingest_items(
    source: Source,
    items: Iterable[ParsedItem | Rejected],
    *,
    kind: str = JobKind.PUSH,
    user: Any = None,
    collect: bool = False,
    chunk_size: int | None = None,
) -> tuple[IngestJob, list[ItemResult]]:
    """Store items synchronously as one job of ``kind`` (push batches, clippings, demo data).

    Returns the finished job and, with ``collect``, the result of every entry. An error
    (e.g. :class:`..analysis.ModelUnavailable`) marks the job failed and is raised.
    """
    worker = worker_id()
    now = timezone.now()
    job = IngestJob.objects.create(
        office=source.office,
        source=source,
        kind=kind,
        status=JobStatus.RUNNING,
        claimed_by=worker,
        heartbeat_at=now,
        started_at=now,
        attempts=1,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    job.source = source
    pipeline = Pipeline(source, job=job, worker=worker, collect=collect, chunk_size=chunk_size)
    try:
        pipeline.run(items)
    except Exception as exc:
        # Whole chunks stored so far stay (with the checkpoint); the job says why it stopped.
        IngestJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), total=F("position"),
            errors=[f"Stopped after {job.position} entries: {str(exc)[:500]}"],
        )  # fmt: skip
        raise
    IngestJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        finished_at=timezone.now(),
        total=F("position"),
        warnings=pipeline.item_warnings[:100],
    )
    job.refresh_from_db()
    hooks.announce_mentions_stored(job.office_id, job.pk, job.accepted)
    return job, pipeline.results

"""Checkpointing: a job's position and counters, written in each chunk's transaction.

A chunk's mentions and its checkpoint commit together, so a worker killed mid-job leaves
whole chunks only and the next worker resumes at :attr:`IngestJob.position`. The update
is conditional on the worker still holding the job's claim; if another worker took the
job over (our lease ran out), :class:`LostClaim` rolls the chunk back.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F

from ..models import IngestJob, IngestRejection
from .results import ChunkReport
from .rows import MAX_COUNT, db_text


class LostClaim(Exception):
    """Another worker took the job over (our lease ran out): stop without writing."""


class Checkpoint:
    """Writes one job's checkpoints (no-op without a job)."""

    def __init__(self, job: IngestJob | None, worker: str) -> None:
        self.job = job
        self.worker = worker
        # Rejection rows kept so far (read on first use; a new job has none).
        self._rejections_kept: int | None = 0 if job is None else None

    def save(
        self,
        position: int,
        report: ChunkReport,
        rejections: list[tuple[int, str, str]],
        now: datetime,
    ) -> None:
        """Record the chunk: its rejections (up to ``IngestRejection.MAX_PER_JOB`` per job),
        the position after it and the counters. Raises :class:`LostClaim`."""
        job = self.job
        if job is None:
            return
        if self._rejections_kept is None:
            self._rejections_kept = job.rejections.count()
        keep = max(0, IngestRejection.MAX_PER_JOB - self._rejections_kept)
        if rejections and keep:
            IngestRejection.objects.bulk_create([
                IngestRejection(job=job, position=min(pos, MAX_COUNT),
                                member=db_text(member, 255), reason=db_text(reason, 500))
                for pos, member, reason in rejections[:keep]
            ])  # fmt: skip
            self._rejections_kept += min(keep, len(rejections))
        updated = IngestJob.objects.filter(pk=job.pk, claimed_by=self.worker).update(
            position=position,
            heartbeat_at=now,
            accepted=F("accepted") + report.accepted,
            duplicates=F("duplicates") + report.duplicates,
            rejected=F("rejected") + report.rejected,
        )
        if not updated:
            raise LostClaim(f"job {job.pk} was taken over by another worker")
        job.position = position

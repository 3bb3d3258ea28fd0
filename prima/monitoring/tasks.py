"""Background work for monitoring (django-tasks; ``manage.py db_worker`` runs it).

- :func:`run_ingest_job` processes an :class:`~.models.IngestJob` from its checkpoint;
  the job row is claimed with a conditional UPDATE, so several workers never process it
  twice, and a job whose worker died is taken over once its lease expires.
- :func:`poll_source` polls one feed (conditional GET, exponential back-off).
- :func:`retag_watchlist` tags existing mentions after a watch-list changes.
- :func:`monitoring_tick` is the scheduler: every ``MONITORING_TICK_SECONDS`` it claims
  due feeds and enqueues their polls, re-enqueues stale jobs and prunes old data, then
  enqueues itself again. Its single :class:`~.models.SchedulerState` row is advanced
  with a conditional UPDATE, so duplicate chains die out; :func:`ensure_scheduler`
  (called when sources or imports are created, by ``prima poll-feeds`` and by the demo)
  restarts a chain that stopped. ``prima poll-feeds --loop`` does the same work in a
  plain process for deployments that prefer one.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

try:  # Django ≥ 6 ships the tasks framework; 5.2 uses the django-tasks backport.
    from django.tasks import default_task_backend, task
except ImportError:
    from django_tasks import default_task_backend, task

from prima.organizations import files

from . import hooks, ingest
from .models import (
    DupBand,
    IngestJob,
    JobKind,
    JobStatus,
    Mention,
    SchedulerState,
    Source,
    SourceKind,
    WatchList,
    WatchListMatch,
)
from .query import Document, QuerySyntaxError
from .query import parse as parse_query
from .search import search_tokens
from .sources import transport
from .sources.rss import transport as rss_transport

logger = logging.getLogger(__name__)


@task()
def run_ingest_job(job_id: int) -> dict:
    """Process one ingestion job from its checkpoint (no-op if another worker holds it)."""
    job = ingest.process_job(job_id)
    if job is None:
        return {"job": job_id, "claimed": False}
    return {"job": job_id, "status": job.status, "accepted": job.accepted,
            "duplicates": job.duplicates, "rejected": job.rejected}  # fmt: skip


def enqueue_job(job: IngestJob) -> None:
    """Enqueue the job's processing once the surrounding transaction has committed."""
    transaction.on_commit(lambda: run_ingest_job.enqueue(job.pk))


# --- feeds ----------------------------------------------------------------------------------


def backoff(source: Source, failures: int) -> timedelta:
    """Delay before the next poll after ``failures`` failures in a row (0: the interval).

    Doubles with each failure, capped at ``MONITORING_FEED_MAX_BACKOFF_MINUTES``.
    """
    minutes = max(1, source.poll_interval_minutes) * (2 ** min(failures, 16))
    return timedelta(minutes=min(minutes, settings.MONITORING_FEED_MAX_BACKOFF_MINUTES))


def claim_feed(source_id: int, *, now: datetime | None = None, force: bool = False) -> bool:
    """Claim a due feed for one poll (conditional UPDATE pushing ``next_poll_at`` past the
    lease), so that two ticks or two workers never poll it twice at once."""
    now = now or timezone.now()
    lease = now + timedelta(seconds=settings.MONITORING_JOB_LEASE_SECONDS)
    qs = Source.objects.filter(pk=source_id, kind=SourceKind.RSS, is_active=True)
    if not force:
        qs = qs.filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
    return bool(qs.update(next_poll_at=lease))


def poll_feed_now(source: Source, *, now: datetime | None = None) -> IngestJob | None:
    """Poll one (claimed) feed: fetch, store the bytes as a job, ingest, schedule the next.

    Network and parse errors are recorded on the source (``last_error``) and push the
    next poll back exponentially. Returns the job, or None when nothing new was fetched.
    """
    now = now or timezone.now()
    fetched = transport("rss").fetch(source)
    if fetched.error:
        _feed_failed(source, fetched.error, now)
        return None
    if fetched.not_modified:
        _feed_ok(source, now, fetched.etag or source.etag,
                 fetched.last_modified or source.last_modified)  # fmt: skip
        return None
    try:
        job = rss_transport.store_fetch(source, fetched, now=now)
    except files.StorageError as exc:
        _feed_failed(source, exc.messages[0], now)  # polled again later: nothing lost
        return None
    done = ingest.process_job(job.pk)
    if done is None or done.status != JobStatus.DONE:
        message = "; ".join(done.errors) if done is not None and done.errors else "not processed"
        _feed_failed(source, message, now)
    else:
        _feed_ok(source, now, fetched.etag, fetched.last_modified)
    return done


def _feed_ok(source: Source, now: datetime, etag: str, last_modified: str) -> None:
    Source.objects.filter(pk=source.pk).update(
        etag=etag[:500],
        last_modified=last_modified[:100],
        last_polled_at=now,
        last_success_at=now,
        failure_count=0,
        last_error="",
        next_poll_at=now + backoff(source, 0),
    )


def _feed_failed(source: Source, message: str, now: datetime) -> None:
    failures = source.failure_count + 1
    Source.objects.filter(pk=source.pk).update(
        last_polled_at=now,
        failure_count=failures,
        last_error=message[:2000],
        last_error_at=now,
        next_poll_at=now + backoff(source, failures),
    )
    logger.info("feed %s failed (%s in a row): %s", source.pk, failures, message)


@task()
def poll_source(source_id: int) -> dict:
    """Poll one feed. Whoever enqueued it (the scheduler, ``poll_now``) claimed it first."""
    source = Source.objects.select_related("office").filter(pk=source_id).first()
    if source is None or source.kind != SourceKind.RSS or not source.is_active:
        return {"source": source_id, "polled": False}
    job = poll_feed_now(source)
    return {"source": source_id, "polled": True, "job": job.pk if job else None}


FEED_FILES_KEPT = timedelta(days=7)


def prune_feed_jobs(*, now: datetime | None = None, limit: int = 500) -> int:
    """Forget old feed polls: after a week, polls that stored nothing new (and had no
    error) are deleted, and the fetched bytes of the others are removed (their counters
    stay). Returns the number of jobs touched."""
    cutoff = (now or timezone.now()) - FEED_FILES_KEPT
    old = IngestJob.objects.filter(kind=JobKind.FEED, finished_at__lt=cutoff).exclude(file="")
    touched = 0
    for job in old[:limit]:
        job.file.delete(save=False)
        if job.accepted == 0 and not job.errors:
            job.delete()
        else:
            IngestJob.objects.filter(pk=job.pk).update(file="")
        touched += 1
    return touched


def poll_due_feeds(*, enqueue: bool = True, now: datetime | None = None) -> list[int]:
    """Claim every due feed; enqueue its poll (or poll it here with ``enqueue=False``)."""
    now = now or timezone.now()
    due = Source.objects.filter(kind=SourceKind.RSS, is_active=True).filter(
        Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
    )
    claimed = []
    for source_id in due.values_list("pk", flat=True):
        if not claim_feed(source_id, now=now):
            continue
        claimed.append(source_id)
        if enqueue:
            poll_source.enqueue(source_id)
        else:
            source = Source.objects.select_related("office").get(pk=source_id)
            poll_feed_now(source, now=now)
    return claimed


# --- watch-lists ------------------------------------------------------------------------------


@task()
def retag_watchlist(watchlist_id: int, batch: int = 2000) -> dict:
    """Re-tag the office's stored mentions against the watch-list's current query."""
    watchlist = WatchList.objects.filter(pk=watchlist_id).first()
    if watchlist is None:
        return {"watchlist": watchlist_id, "matched": 0}
    return {"watchlist": watchlist_id, "matched": retag(watchlist, batch=batch)}


def retag(watchlist: WatchList, *, batch: int = 2000) -> int:
    """Replace the watch-list's matches by a fresh pass over the office's mentions.

    Reads mention ids and search text in batches (memory stays flat); one transaction per
    batch. Returns the number of matches.
    """
    try:
        query = parse_query(watchlist.query) if watchlist.is_active else None
    except QuerySyntaxError:
        query = None
    WatchListMatch.objects.filter(watchlist=watchlist).delete()
    matched = 0
    last_id = 0
    while query is not None:
        rows = list(
            Mention.objects.filter(office_id=watchlist.office_id, pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", "search_text")[:batch]
        )
        if not rows:
            break
        found = [
            WatchListMatch(watchlist=watchlist, mention_id=pk)
            for pk, text in rows
            if query.matches(Document(text.split()), search_tokens)
        ]
        WatchListMatch.objects.bulk_create(found, ignore_conflicts=True)
        matched += len(found)
        last_id = rows[-1][0]
    WatchList.objects.filter(pk=watchlist.pk).update(retagged_at=timezone.now())
    return matched


# --- re-analysis ------------------------------------------------------------------------------


@task()
def reclassify_sentiment(office_id: int | None = None, batch: int = 2000) -> dict:
    """Score stored mentions again with the current sentiment model (after a new
    ``train-sentiment``); staff corrections are kept. See :func:`reclassify`."""
    return {"changed": reclassify(office_id=office_id, batch=batch)}


def reclassify(*, office_id: int | None = None, batch: int = 2000) -> int:
    """Re-run sentiment over mentions not corrected by staff and move the ones whose label
    changed in the rollups (:func:`.rollups.move_sentiment`). One transaction per batch;
    returns the number of mentions whose sentiment changed."""
    from . import analysis, rollups

    qs = Mention.objects.filter(sentiment_corrected=False)
    if office_id is not None:
        qs = qs.filter(office_id=office_id)
    changed_total, last_id = 0, 0
    while True:
        fields = ("pk", "title", "text", *rollups.FACT_FIELDS)
        mentions = list(qs.filter(pk__gt=last_id).order_by("pk").only(*fields)[:batch])
        if not mentions:
            return changed_total
        last_id = mentions[-1].pk
        predictions = analysis.classify_sentiments(
            [analysis.analysed_text(m.title, m.text) for m in mentions],
            [m.language for m in mentions],
        )
        changed = [
            (m, label, score)
            for m, (label, score) in zip(mentions, predictions, strict=True)
            if label != m.sentiment
        ]
        if not changed:
            continue
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE monitoring_mention SET sentiment = %s, sentiment_score = %s "
                    "WHERE id = %s AND sentiment_corrected = %s",
                    [(label, round(score, 4), m.pk, False) for m, label, score in changed],
                )
            rollups.move_sentiment([(rollups.Facts.of(m), label) for m, label, _s in changed])
        changed_total += len(changed)


# --- the scheduler ----------------------------------------------------------------------------


def _tick_interval() -> timedelta:
    return timedelta(seconds=max(5, settings.MONITORING_TICK_SECONDS))


def _supports_defer() -> bool:
    return bool(getattr(default_task_backend, "supports_defer", False))


def run_tick(now: datetime | None = None) -> dict:
    """One round of scheduled work (what :func:`monitoring_tick` and ``poll-feeds`` do)."""
    from .issues import prune_small_issues

    now = now or timezone.now()
    feeds = poll_due_feeds(now=now)
    stale = now - timedelta(seconds=settings.MONITORING_JOB_LEASE_SECONDS)
    requeued = []
    for job_id in IngestJob.objects.filter(
        Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale)
        | Q(status=JobStatus.QUEUED, created_at__lt=stale),
        cancel_requested=False,
    ).values_list("pk", flat=True)[:50]:
        run_ingest_job.enqueue(job_id)
        requeued.append(job_id)
    window = now - timedelta(days=settings.MONITORING_DEDUP_WINDOW_DAYS)
    bands = DupBand.objects.filter(day__lt=window.date()).delete()[0]
    issues = prune_small_issues(now=now)
    feed_jobs = prune_feed_jobs(now=now)
    from .analytics import compact_authors

    compacted = compact_authors(now=now)
    from .retraining import maybe_enqueue

    retraining = maybe_enqueue(now)
    if connection.vendor == "sqlite":
        # Keeps the query planner's statistics fresh as the tables grow (cheap when not
        # needed); without them SQLite may pick a poor index for dashboard queries.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
    hooks.announce_tick(now)
    return {"feeds": feeds, "requeued": requeued, "bands_pruned": bands,
            "feed_jobs_pruned": feed_jobs, "author_days_compacted": compacted,
            "issues_pruned": issues,
            "sentiment_retraining": retraining}  # fmt: skip


@task()
def monitoring_tick() -> dict:
    """Run the scheduler once if this chain owns the next tick, then schedule the next."""
    now = timezone.now()
    interval = _tick_interval()
    SchedulerState.objects.bulk_create([SchedulerState(id=1)], ignore_conflicts=True)
    owned = SchedulerState.objects.filter(
        Q(next_tick_at__isnull=True) | Q(next_tick_at__lte=now + timedelta(seconds=1)), id=1
    ).update(next_tick_at=now + interval, last_tick_at=now)
    if not owned:
        return {"ran": False}  # another chain has the next tick: let this one end
    try:
        result = run_tick(now)
    finally:
        if _supports_defer():
            monitoring_tick.using(run_after=now + interval).enqueue()
    return {"ran": True, **{k: len(v) if isinstance(v, list) else v for k, v in result.items()}}


def ensure_scheduler(*, now: datetime | None = None) -> bool:
    """Start a tick chain if none seems alive (its next tick is overdue). Returns True if
    one was started. Cheap: one conditional UPDATE."""
    now = now or timezone.now()
    SchedulerState.objects.bulk_create([SchedulerState(id=1)], ignore_conflicts=True)
    overdue = now - 2 * _tick_interval()
    started = SchedulerState.objects.filter(
        Q(next_tick_at__isnull=True) | Q(next_tick_at__lt=overdue), id=1
    ).update(next_tick_at=now)
    if started and _supports_defer():
        transaction.on_commit(monitoring_tick.enqueue)
    return bool(started)

"""Deleting monitored personal data when its retention period ends (UU No. 27/2022).

Mentions carry personal data (author names, handles, follower counts, what people
wrote). They are kept for ``MONITORING_RETENTION_DAYS`` after publication and then
deleted with their watch-list matches; aggregate rollups (counts without persons) stay,
except the per-author daily rows, which are deleted at the same age. Sentiment
corrections keep their text for training but no author data.

The period is declared on the models (``Mention.personal_data``); the personal-data
retention run (``prima apply-retention``, :mod:`prima.organizations.privacy.retention`)
calls :func:`apply_mentions` and :func:`apply_author_rows` with the cut-off;
``prima purge-mentions`` calls :func:`purge_expired`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import ActorRole, DailyActor, Mention


def cutoff(*, days: int | None = None, now: datetime | None = None) -> datetime:
    """Mentions published before this moment are expired."""
    days = settings.MONITORING_RETENTION_DAYS if days is None else days
    return (now or timezone.now()) - timedelta(days=days)


def expired(*, days: int | None = None, now: datetime | None = None) -> QuerySet[Mention]:
    return Mention.objects.filter(published_at__lt=cutoff(days=days, now=now))


def _delete_mentions_before(limit_at: datetime, *, limit: int | None, batch: int) -> int:
    """Delete mentions published before ``limit_at`` in batches of ``batch`` rows, one
    transaction each; at most ``limit``. Issue counters are not rewritten: an issue keeps
    its history as aggregate numbers."""
    deleted = 0
    while limit is None or deleted < limit:
        size = batch if limit is None else min(batch, limit - deleted)
        ids = list(
            Mention.objects.filter(published_at__lt=limit_at)
            .order_by("published_at")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            break
        with transaction.atomic():
            Mention.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    return deleted


def _author_rows_before(limit_at: datetime) -> QuerySet[DailyActor]:
    return DailyActor.objects.filter(role=ActorRole.AUTHOR, day__lt=limit_at.date())


def apply_mentions(limit_at: datetime, *, dry_run: bool = False) -> int:
    """Retention of mentions: delete (or count) those published before ``limit_at``."""
    if dry_run:
        return Mention.objects.filter(published_at__lt=limit_at).count()
    return _delete_mentions_before(limit_at, limit=None, batch=1000)


def apply_author_rows(limit_at: datetime, *, dry_run: bool = False) -> int:
    """Retention of the per-author daily rows older than ``limit_at``."""
    rows = _author_rows_before(limit_at)
    if dry_run:
        return rows.count()
    return rows.delete()[0]


def purge_expired(
    *,
    days: int | None = None,
    now: datetime | None = None,
    limit: int | None = None,
    batch: int = 1000,
) -> int:
    """Delete expired mentions (and per-author rollups of the same age) in batches of
    ``batch`` rows, one transaction each; at most ``limit`` mentions. Returns the count."""
    limit_at = cutoff(days=days, now=now)
    deleted = _delete_mentions_before(limit_at, limit=limit, batch=batch)
    _author_rows_before(limit_at).delete()
    return deleted

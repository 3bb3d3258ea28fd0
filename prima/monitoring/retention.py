"""Deleting monitored personal data when its retention period ends (UU No. 27/2022).

Mentions carry personal data (author names, handles, follower counts, what people
wrote). They are kept for ``MONITORING_RETENTION_DAYS`` after publication and then
deleted with their watch-list matches; aggregate rollups (counts without persons) stay,
except the per-author daily rows, which are deleted at the same age. Sentiment
corrections keep their text for training but no author data.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ActorRole, DailyActor, Mention


def cutoff(*, days: int | None = None, now: datetime | None = None) -> datetime:
    """Mentions published before this moment are expired."""
    days = settings.MONITORING_RETENTION_DAYS if days is None else days
    return (now or timezone.now()) - timedelta(days=days)


def expired(*, days: int | None = None, now: datetime | None = None):
    return Mention.objects.filter(published_at__lt=cutoff(days=days, now=now))


def purge_expired(
    *,
    days: int | None = None,
    now: datetime | None = None,
    limit: int | None = None,
    batch: int = 1000,
) -> int:
    """Delete expired mentions (and per-author rollups of the same age) in batches of
    ``batch`` rows, one transaction each; at most ``limit`` mentions. Returns the count.

    Issue counters are not rewritten: an issue keeps its history as aggregate numbers.
    """
    limit_at = cutoff(days=days, now=now)
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
    DailyActor.objects.filter(role=ActorRole.AUTHOR, day__lt=limit_at.date()).delete()
    return deleted

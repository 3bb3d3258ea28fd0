"""The retention schedule (django-tasks; ``manage.py db_worker`` runs it).

:func:`retention_tick` runs :func:`.retention.run_retention` every
``PDP_RETENTION_INTERVAL_HOURS``, then enqueues itself again — the pattern of the other
periodic chains (monitoring, portal, indicators): its single
:class:`~.models.RetentionSchedulerState` row is advanced with a conditional UPDATE, so
duplicate chains die out; :func:`ensure_chain` (called by ``prima apply-retention``, the
demo and the record-of-processing page when the chain seems dead) restarts one that
stopped.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

try:  # Django ≥ 6 ships the tasks framework; 5.2 uses the django-tasks backport.
    from django.tasks import default_task_backend, task
except ImportError:
    from django_tasks import default_task_backend, task

from .models import RetentionSchedulerState
from .retention import run_retention


def interval() -> timedelta:
    return timedelta(hours=max(1, settings.PDP_RETENTION_INTERVAL_HOURS))


def _supports_defer() -> bool:
    return bool(getattr(default_task_backend, "supports_defer", False))


@task()  # type: ignore[untyped-decorator]
def retention_tick() -> dict[str, Any]:
    """Apply retention once if this chain owns the next run, then schedule the next."""
    now = timezone.now()
    step = interval()
    RetentionSchedulerState.objects.bulk_create(
        [RetentionSchedulerState(id=1)], ignore_conflicts=True
    )
    owned = RetentionSchedulerState.objects.filter(
        Q(next_tick_at__isnull=True) | Q(next_tick_at__lte=now + timedelta(seconds=1)), id=1
    ).update(next_tick_at=now + step, last_tick_at=now)
    if not owned:
        return {"ran": False}
    try:
        report = run_retention(now)
    finally:
        if _supports_defer():
            retention_tick.using(run_after=now + step).enqueue()
    return {"ran": True, "removed": report.total}


def chain_seems_dead(now: datetime | None = None) -> bool:
    """Is the chain's next run overdue (or was it never started)? One query."""
    now = now or timezone.now()
    next_tick = (
        RetentionSchedulerState.objects.filter(id=1).values_list("next_tick_at", flat=True).first()
    )
    return next_tick is None or next_tick < now - 2 * interval()


def ensure_chain(*, now: datetime | None = None) -> bool:
    """Start a retention chain if none seems alive; the first run is at once. Returns True
    if one was started."""
    now = now or timezone.now()
    overdue = now - 2 * interval()
    started = RetentionSchedulerState.objects.filter(
        Q(next_tick_at__isnull=True) | Q(next_tick_at__lt=overdue), id=1
    ).update(next_tick_at=now)
    if not started and not RetentionSchedulerState.objects.filter(id=1).exists():
        RetentionSchedulerState.objects.bulk_create(
            [RetentionSchedulerState(id=1, next_tick_at=now)], ignore_conflicts=True
        )
        started = 1
    if started:
        transaction.on_commit(retention_tick.enqueue)
    return bool(started)

"""Background refresh of the indicator figures (django-tasks; ``manage.py db_worker``).

:func:`indicators_tick` recomputes the current and the previous month of every office
(:func:`prima.evaluation.indicators.refresh`, what ``prima recompute-indicators
--recent`` does) every ``EVALUATION_REFRESH_MINUTES``, then enqueues itself again. Its
single :class:`IndicatorSchedulerState` row is advanced with a conditional UPDATE, so
duplicate chains die out; :func:`ensure_chain` (called by the indicator pages when the
chain seems dead, by the demo and by the command) restarts one that stopped.
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

from . import indicators as ind
from .indicators_models import IndicatorSchedulerState


def interval() -> timedelta:
    return timedelta(minutes=max(1, settings.EVALUATION_REFRESH_MINUTES))


def _supports_defer() -> bool:
    return bool(getattr(default_task_backend, "supports_defer", False))


@task()  # type: ignore[untyped-decorator]
def indicators_tick() -> dict[str, Any]:
    """Refresh the recent months if this chain owns the next tick, then schedule the next."""
    now = timezone.now()
    step = interval()
    IndicatorSchedulerState.objects.bulk_create(
        [IndicatorSchedulerState(id=1)], ignore_conflicts=True
    )
    owned = IndicatorSchedulerState.objects.filter(
        Q(next_tick_at__isnull=True) | Q(next_tick_at__lte=now + timedelta(seconds=1)), id=1
    ).update(next_tick_at=now + step, last_tick_at=now)
    if not owned:
        return {"ran": False}
    try:
        written = ind.refresh(ind.recent_months(now))
    finally:
        if _supports_defer():
            indicators_tick.using(run_after=now + step).enqueue()
    return {"ran": True, "rows": written}


def chain_seems_dead(now: datetime | None = None) -> bool:
    """Is the refresh chain's next tick overdue (or was it never started)? One query."""
    now = now or timezone.now()
    next_tick = (
        IndicatorSchedulerState.objects.filter(id=1).values_list("next_tick_at", flat=True).first()
    )
    return next_tick is None or next_tick < now - 2 * interval()


def ensure_chain(*, now: datetime | None = None) -> bool:
    """Start a refresh chain if none seems alive. Returns True if one was started."""
    now = now or timezone.now()
    overdue = now - 2 * interval()
    started = IndicatorSchedulerState.objects.filter(
        Q(next_tick_at__isnull=True) | Q(next_tick_at__lt=overdue), id=1
    ).update(next_tick_at=now)
    if not started and not IndicatorSchedulerState.objects.filter(id=1).exists():
        IndicatorSchedulerState.objects.bulk_create(
            [IndicatorSchedulerState(id=1, next_tick_at=now)], ignore_conflicts=True
        )
        started = 1
    if started:
        transaction.on_commit(indicators_tick.enqueue)
    return bool(started)

"""Background work of the portal (django-tasks; ``manage.py db_worker`` runs it).

:func:`portal_tick` runs :func:`prima.portal.services.run_tick` every
``PORTAL_TICK_SECONDS`` — hand the public's new messages over to media monitoring, erase
expired personal data — then enqueues itself again. Its single
:class:`~.models.PortalSchedulerState` row is advanced with a conditional UPDATE, so
duplicate chains die out; :func:`ensure_chain` (called after each public submission, by
the demo and by ``prima portal-maintain``) restarts a chain that stopped.
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

from .models import PortalSchedulerState


def _interval() -> timedelta:
    return timedelta(seconds=max(5, settings.PORTAL_TICK_SECONDS))


def _supports_defer() -> bool:
    return bool(getattr(default_task_backend, "supports_defer", False))


@task()  # type: ignore[untyped-decorator]
def portal_tick() -> dict[str, Any]:
    """Run the periodic work once if this chain owns the next tick, then schedule the next."""
    from .services import run_tick

    now = timezone.now()
    interval = _interval()
    PortalSchedulerState.objects.bulk_create([PortalSchedulerState(id=1)], ignore_conflicts=True)
    owned = PortalSchedulerState.objects.filter(
        Q(next_tick_at__isnull=True) | Q(next_tick_at__lte=now + timedelta(seconds=1)), id=1
    ).update(next_tick_at=now + interval, last_tick_at=now)
    if not owned:
        return {"ran": False}
    try:
        result = run_tick(now)
    finally:
        if _supports_defer():
            portal_tick.using(run_after=now + interval).enqueue()
    return {"ran": True, **result}


def ensure_chain(*, now: datetime | None = None) -> bool:
    """Start a tick chain if none seems alive (its next tick is overdue). Returns True if
    one was started."""
    now = now or timezone.now()
    overdue = now - 2 * _interval()
    started = PortalSchedulerState.objects.filter(
        Q(next_tick_at__isnull=True) | Q(next_tick_at__lt=overdue), id=1
    ).update(next_tick_at=now)
    if not started and not PortalSchedulerState.objects.filter(id=1).exists():
        PortalSchedulerState.objects.bulk_create(
            [PortalSchedulerState(id=1, next_tick_at=now)], ignore_conflicts=True
        )
        started = 1
    if started:
        transaction.on_commit(portal_tick.enqueue)
    return bool(started)

"""Background workers that die are replaced without losing or repeating work.

A task that ``db_worker`` claims is marked RUNNING with the worker's id; if the process
is killed (SIGKILL, out of memory, power), the row stays RUNNING for ever and
django-tasks-db never runs it again. PRIMA's ``db_worker`` therefore starts with
:func:`recover_abandoned`: a worker id is unique across the running workers (systemd
``--worker-id %H-%i``), so RUNNING tasks under this worker's own id were left by its
previous life: each is marked failed ("worker died") and queued again with the same
arguments. Every task kind is written to be run again safely — the work is rows claimed
atomically (imports resume from their checkpoint, notifications are sent once,
recomputations replace their results) — so a task is never lost and its effect never
doubled.

The scheduler chains (monitoring's and the public portal's periodic tick) re-enqueue
themselves at the end of each tick; a tick killed in the middle leaves no next tick, and
running it again would find the tick already taken. An abandoned tick is therefore only
marked failed, and :func:`revive_chains` starts its chain afresh (a chain is alive while
one of its ticks is queued or running).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

try:  # Django ≥ 6 ships the tasks framework; 5.2 uses the django-tasks backport.
    from django.tasks import TaskResultStatus
except ImportError:
    from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from prima.monitoring import tasks as monitoring_tasks
from prima.monitoring.models import SchedulerState
from prima.portal import tasks as portal_tasks
from prima.portal.models import PortalSchedulerState

logger = logging.getLogger("prima.workers")


class WorkerDied(Exception):
    """Recorded on a task whose worker process died while running it."""


def _chains() -> list[tuple[Any, Any]]:
    return [
        (monitoring_tasks.monitoring_tick, SchedulerState),
        (portal_tasks.portal_tick, PortalSchedulerState),
    ]


def recover_abandoned(worker_id: str, backend_name: str = "default") -> list[str]:
    """Queue again every task left RUNNING by an earlier process with this worker id
    (marked failed with :class:`WorkerDied`); returns their task paths."""
    recovered: list[str] = []
    ticks = {tick.module_path for tick, _state in _chains()}
    with transaction.atomic():
        abandoned = DBTaskResult.objects.select_for_update().filter(
            status=TaskResultStatus.RUNNING, backend_name=backend_name
        )
        for result in abandoned:
            if not result.worker_ids or result.worker_ids[-1] != worker_id:
                continue  # another worker's, alive
            task: Any = result.task
            args, kwargs = result.args_kwargs["args"], result.args_kwargs["kwargs"]
            result.set_failed(WorkerDied(f"worker {worker_id} died while running it"))
            recovered.append(result.task_path)
            if result.task_path in ticks:
                continue  # revive_chains starts the chain again
            task.using(queue_name=result.queue_name, priority=result.priority).enqueue(
                *args, **kwargs
            )
            logger.warning(
                "Task %s (%s) queued again: its worker died", result.pk, result.task_path
            )
    return recovered


def revive_chains() -> list[str]:
    """Start each scheduler chain that has no tick queued or running; returns the ticks
    started."""
    started = []
    for tick, state in _chains():
        alive = DBTaskResult.objects.filter(
            task_path=tick.module_path,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).exists()
        if alive:
            continue
        with transaction.atomic():
            state.objects.bulk_create([state(id=1)], ignore_conflicts=True)
            state.objects.filter(id=1).update(next_tick_at=None)
            tick.enqueue()
        started.append(tick.module_path)
    return started

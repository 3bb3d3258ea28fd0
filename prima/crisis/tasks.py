"""Background work of the crisis playbook (django-tasks; ``manage.py db_worker``).

:func:`run_tick` is one round: read the closed buckets of every series (signals), group
pending signals into cases (assessment, escalation), call the next tier of escalations
whose target passed, copy approved holding statements of conferences opened from cases,
and deliver due notifications. It runs

- after every round of the monitoring scheduler (the ``scheduler_ticked`` hook,
  connected in ``CrisisConfig.ready``), inside that worker;
- for one office after each ingestion job (the ``mentions_stored`` hook enqueues
  :func:`advance_office_task`), so a storm arriving through the push API is seen without
  waiting for the next tick;
- from ``prima crisis-tick`` (once, or in a loop).

E-mail and webhook messages created between rounds (a staff assessment raising a level)
are delivered at once by :func:`prima.crisis.delivery.deliver_notifications`, enqueued
when they are stored.

Every step claims its rows atomically, so rounds running at the same time (two workers,
a tick and an ingest hook) do nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

try:  # Django ≥ 6 ships the tasks framework; 5.2 uses the django-tasks backport.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from . import cases, delivery, escalation, playbook, streaming

logger = logging.getLogger(__name__)


def run_tick(now: datetime | None = None, *, deliver: bool = True) -> dict[str, Any]:
    """One round of the crisis playbook's scheduled work (see the module docstring)."""
    now = now or timezone.now()
    signals = streaming.advance(now)
    touched = cases.group_pending(now)
    called = escalation.advance(now)
    statements = playbook.sync_conferences(now)
    sent = delivery.deliver_pending(now) if deliver else {}
    return {"signals": signals, "cases": len(set(touched)), "tiers_called": called,
            "statements": statements, **sent}  # fmt: skip


def advance_office(office_id: int, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    signals = streaming.advance(now, office_ids=[office_id])
    touched = cases.group_pending(now)
    sent = delivery.deliver_pending(now)
    return {"signals": signals, "cases": len(set(touched)), **sent}


@task()  # type: ignore[untyped-decorator]
def crisis_tick() -> dict[str, Any]:
    return run_tick()


@task()  # type: ignore[untyped-decorator]
def advance_office_task(office_id: int) -> dict[str, Any]:
    return advance_office(office_id)


# --- receivers of monitoring's hooks (connected in CrisisConfig.ready) ------------------------
def on_scheduler_tick(sender: Any, now: datetime, **kwargs: Any) -> None:
    run_tick(now)


def on_mentions_stored(sender: Any, office_id: int, **kwargs: Any) -> None:
    transaction.on_commit(lambda: advance_office_task.enqueue(office_id))

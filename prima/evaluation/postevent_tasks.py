"""Background work of the post-event evaluation (django-tasks; ``manage.py db_worker``).

Coverage proposals are computed

- when a conference reaches post-event evaluation (a receiver of the conference's
  ``post_save`` enqueues :func:`compute_proposals_task` after the commit);
- after every round of the monitoring scheduler (the ``scheduler_ticked`` hook): every
  held conference whose coverage window was still open at its last computation
  (:func:`prima.evaluation.coverage.refresh_due`), so late coverage is found and the
  final pass runs once the window has closed;
- from the report page's "look again" button (:func:`prima.evaluation.coverage.refresh`).

The computation is idempotent, so overlapping runs do no harm.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction

try:  # Django ≥ 6 ships the tasks framework; 5.2 uses the django-tasks backport.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from prima.conferences.models import Conference, Stage

from . import coverage
from .coverage_models import CoverageQuery

logger = logging.getLogger(__name__)


@task()  # type: ignore[untyped-decorator]
def compute_proposals_task(conference_id: int) -> int:
    """Compute one conference's proposals; returns how many it has."""
    conference = Conference.objects.select_related("office").filter(pk=conference_id).first()
    if conference is None:
        return 0
    return coverage.compute_proposals(conference).total


def on_scheduler_tick(sender: Any, now: datetime, **kwargs: Any) -> None:
    coverage.refresh_due(now)


def on_conference_saved(sender: Any, instance: Conference, **kwargs: Any) -> None:
    """Once a conference is at post-event evaluation, look for its coverage (the first
    time only: later saves, e.g. of the lessons learned, leave it to the scheduler)."""
    if instance.stage != Stage.EVALUATION or instance.is_exercise:
        return
    pk = instance.pk
    if CoverageQuery.objects.filter(conference_id=pk, computed_at__isnull=False).exists():
        return
    transaction.on_commit(lambda: compute_proposals_task.enqueue(pk))

"""The background refresh of the recent months: one chain, restarted when it stopped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from prima.evaluation import indicators as ind
from prima.evaluation import indicators_tasks
from prima.evaluation.models import IndicatorSchedulerState, OfficeMonth


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_the_tick_refreshes_the_recent_months_once_per_interval(offices):
    result = indicators_tasks.indicators_tick.enqueue().return_value
    assert result["ran"] is True
    months = set(OfficeMonth.objects.values_list("month", flat=True))
    assert months == set(ind.recent_months())
    assert OfficeMonth.objects.count() == 2 * len(offices)
    # a second chain within the interval does nothing
    assert indicators_tasks.indicators_tick.enqueue().return_value == {"ran": False}


def test_a_stopped_chain_is_restarted_by_the_page(
    offices, dg_supervisor, django_capture_on_commit_callbacks
):
    from prima.conftest import client_for

    assert indicators_tasks.chain_seems_dead()
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(dg_supervisor).get("/evaluation/indicators/").status_code == 200
    state = IndicatorSchedulerState.objects.get(id=1)
    assert state.last_tick_at is not None
    assert not indicators_tasks.chain_seems_dead()
    # overdue by more than two intervals: dead again, and restarted
    IndicatorSchedulerState.objects.filter(id=1).update(
        next_tick_at=timezone.now() - 3 * indicators_tasks.interval() - timedelta(minutes=1)
    )
    assert indicators_tasks.chain_seems_dead()
    with django_capture_on_commit_callbacks(execute=True):
        assert indicators_tasks.ensure_chain() is True
    assert indicators_tasks.ensure_chain() is False

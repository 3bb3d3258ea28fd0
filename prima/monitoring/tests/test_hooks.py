"""Monitoring announces stored mentions and scheduler rounds to the layers above."""

from __future__ import annotations

import pytest

from prima.monitoring import hooks
from prima.monitoring.ingest import ingest_items
from prima.monitoring.tasks import run_tick
from prima.monitoring.tests.conftest import NOW, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls: list[tuple[str, dict]] = []

    def on_stored(sender, **kwargs):
        calls.append(("stored", kwargs))

    def on_tick(sender, **kwargs):
        calls.append(("tick", kwargs))

    hooks.mentions_stored.connect(on_stored, dispatch_uid="test.stored")
    hooks.scheduler_ticked.connect(on_tick, dispatch_uid="test.tick")
    yield calls
    hooks.mentions_stored.disconnect(dispatch_uid="test.stored")
    hooks.scheduler_ticked.disconnect(dispatch_uid="test.tick")


def test_an_ingestion_job_announces_what_it_stored(push_source, heard):
    job, _results = ingest_items(push_source, [post(1), post(2)])
    stored = [kwargs for name, kwargs in heard if name == "stored"]
    assert stored and stored[-1]["office_id"] == push_source.office_id
    assert stored[-1]["job_id"] == job.pk and stored[-1]["accepted"] == 2
    heard.clear()
    ingest_items(push_source, [post(1)])  # a duplicate: nothing new, nothing announced
    assert not [name for name, _kwargs in heard if name == "stored"]


def test_the_scheduler_announces_its_rounds(heard):
    run_tick(NOW)
    assert ("tick", {"now": NOW, "signal": hooks.scheduler_ticked}) in [
        (name, kwargs) for name, kwargs in heard
    ]


def test_a_failing_receiver_is_logged_and_never_breaks_monitoring(push_source, caplog):
    def broken(sender, **kwargs):
        raise RuntimeError("boom")

    hooks.mentions_stored.connect(broken, dispatch_uid="test.broken")
    try:
        job, _results = ingest_items(push_source, [post(3)])
    finally:
        hooks.mentions_stored.disconnect(dispatch_uid="test.broken")
    assert job.accepted == 1
    assert "monitoring hook receiver" in caplog.text

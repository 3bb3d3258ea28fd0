"""Two people acting on the same conference at the same moment: exactly one succeeds, the
other gets a conflict — with real concurrent transactions on separate connections.

The winner is held inside its transaction (at its audit entry, the last step before
commit) until the loser is provably waiting for the conference row: on PostgreSQL we see
its lock request in ``pg_locks``; on SQLite, which serialises writers, the loser waits at
``BEGIN IMMEDIATE`` and we can only wait until it has started. Either way the outcome must
be the same.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from prima.conferences import workflow
from prima.conferences.models import Conference, MaterialKind, MaterialState, Stage
from prima.organizations import audit
from prima.organizations.models import AuditEntry

from .helpers import NOW, complete_stage_items, walk_to

pytestmark = pytest.mark.django_db(transaction=True)
WAIT_SECONDS = 10


def _someone_waits_for_a_lock() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        # Activity statistics are cached for the rest of a transaction unless cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.fixture
def run_together(monkeypatch):
    """Run calls in threads (each with its own connection) at the same moment; return what
    each returned or raised. The first to reach audit.log waits there, inside its
    transaction, until every thread has started and (PostgreSQL) one is blocked."""

    def run(*calls: Callable[[], object]) -> list:
        arrived = threading.Semaphore(0)
        first = threading.Lock()
        real_log = audit.log

        def log(*args, **kwargs):
            if first.acquire(blocking=False):
                for _ in calls:
                    arrived.acquire(timeout=WAIT_SECONDS)
                deadline = time.monotonic() + WAIT_SECONDS
                while not _someone_waits_for_a_lock() and time.monotonic() < deadline:
                    time.sleep(0.01)  # polling the server's lock waits, not hoping for luck
            return real_log(*args, **kwargs)

        results: list = [None] * len(calls)
        barrier = threading.Barrier(len(calls))

        def worker(i: int, call: Callable[[], object]) -> None:
            try:
                barrier.wait(WAIT_SECONDS)
                arrived.release()
                results[i] = call()
            except Exception as exc:  # noqa: BLE001 - the test inspects what each raised
                results[i] = exc
            finally:
                connection.close()

        monkeypatch.setattr(audit, "log", log)
        try:
            threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        finally:
            monkeypatch.setattr(audit, "log", real_log)
        return results

    return run


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)  # before the race: logging in writes its own audit entry
    return client


def test_two_simultaneous_advances_through_the_api_one_wins(conference, personas, run_together):
    complete_stage_items(conference, Stage.INFORMATION, personas["pr_staff"])
    url = f"/api/v1/conferences/{conference.pk}/advance"
    before = AuditEntry.objects.filter(action="conference.advance").count()
    body, json_type = json.dumps({"expected_version": 1}), "application/json"
    staff, lead = logged_in(personas["pr_staff"]), logged_in(personas["pr_lead"])
    responses = run_together(
        lambda: staff.post(url, body, content_type=json_type),
        lambda: lead.post(url, body, content_type=json_type),
    )
    assert sorted(r.status_code for r in responses) == [200, 409], responses
    conflict = next(r for r in responses if r.status_code == 409)
    with translation.override("id"):
        assert conflict.json()["detail"] == workflow.ConflictError().message
    conf = Conference.objects.get(pk=conference.pk)
    assert (conf.stage, conf.version) == (Stage.PLANNING, 2)
    assert AuditEntry.objects.filter(action="conference.advance").count() == before + 1
    assert audit.verify() == []


def test_two_simultaneous_advances_without_a_version_still_move_one_stage(
    conference, personas, run_together
):
    """Without expected_version the second advance re-checks the gates on fresh data."""
    complete_stage_items(conference, Stage.INFORMATION, personas["pr_staff"])
    results = run_together(
        lambda: workflow.advance(personas["pr_staff"], conference, now=NOW),
        lambda: workflow.advance(personas["pr_staff2"], conference, now=NOW),
    )
    assert sum(isinstance(r, Conference) for r in results) == 1
    assert sum(isinstance(r, workflow.GateError) for r in results) == 1  # planning is open
    assert Conference.objects.get(pk=conference.pk).stage == Stage.PLANNING


def test_two_simultaneous_approvals_one_wins(conference, personas, offices, run_together):
    head, lead = personas["head"], personas["pr_lead"]
    workflow.grant_delegation(
        head,
        office=offices["soetta"],
        delegate=lead,
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=3650),
    )
    material = workflow.edit_material(
        personas["pr_staff"], conference, MaterialKind.KEY_MESSAGES, items=["Satu"]
    )
    material = workflow.submit_material(personas["pr_staff"], material)
    version = material.version
    results = run_together(
        lambda: workflow.approve_material(head, material, expected_version=version),
        lambda: workflow.approve_material(lead, material, expected_version=version),
    )
    assert sum(isinstance(r, workflow.ConflictError) for r in results) == 1, results
    winner = next(r for r in results if not isinstance(r, Exception))
    assert winner.state == MaterialState.APPROVED
    assert AuditEntry.objects.filter(action="material.approve").count() == 1


def test_an_edit_racing_an_advance_into_execution_never_leaves_unapproved_material_behind(
    conference, personas, jubir, run_together
):
    conf = walk_to(conference, Stage.SPOKESPERSON, personas, spokesperson=jubir)
    workflow.appoint_spokesperson(personas["pr_lead"], conf, jubir, now=NOW)
    complete_stage_items(conf, Stage.SPOKESPERSON, personas["pr_staff"])
    key = conf.materials.get(kind=MaterialKind.KEY_MESSAGES)
    results = run_together(
        lambda: workflow.advance(personas["pr_lead"], conf, now=NOW),
        lambda: workflow.edit_material(
            personas["pr_staff"],
            conf,
            MaterialKind.KEY_MESSAGES,
            items=["Pesan baru"],
            expected_version=key.version,
        ),
    )
    assert sum(isinstance(r, Exception) for r in results) == 1, results
    conf = Conference.objects.get(pk=conf.pk)
    key.refresh_from_db()
    if conf.stage == Stage.EXECUTION:
        assert key.state == MaterialState.APPROVED  # the edit came too late and was refused
    else:
        assert conf.stage == Stage.SPOKESPERSON and key.state == MaterialState.DRAFT

"""``prima db_worker`` when SQLite's write lock stays taken longer than the busy timeout
(an import's chunk, a long write elsewhere): the worker waits and goes on instead of
ending, and a task whose end could not be recorded is run again, never left "running"
(issue 14, "SQLite busy under concurrent web, worker and import writers")."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError
from django_tasks import task
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult

from prima.front.management.commands import db_worker

pytestmark = pytest.mark.django_db(transaction=True)

RUNS: list[str] = []


@task()
def remember_run(label: str) -> str:
    RUNS.append(label)
    return label


@pytest.fixture(autouse=True)
def _quick(monkeypatch):
    RUNS.clear()
    monkeypatch.setattr(db_worker, "BUSY_PAUSE", 0.01)


def _work(**options: Any) -> None:
    call_command("db_worker", batch=True, interval=0.01, startup_delay=False,
                 worker_id="busy-test", verbosity=0, **options)  # fmt: skip


def test_a_busy_database_while_claiming_does_not_end_the_worker(monkeypatch):
    real = upstream.exclusive_transaction  # type: ignore[attr-defined]
    busy = {"left": 3}

    @contextmanager
    def sometimes_busy(using: str | None = None) -> Iterator[None]:
        if busy["left"]:
            busy["left"] -= 1
            raise OperationalError("database is locked")
        with real(using):
            yield

    monkeypatch.setattr(upstream, "exclusive_transaction", sometimes_busy)
    result = remember_run.enqueue("first")
    _work()
    assert busy["left"] == 0
    assert RUNS == ["first"]
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"


def test_a_task_whose_end_could_not_be_recorded_is_run_again(monkeypatch):
    real_successful, real_failed = DBTaskResult.set_successful, DBTaskResult.set_failed
    busy = {"successful": 1, "failed": 1}  # the lock taken while the end is recorded

    def set_successful(self: DBTaskResult, value: Any) -> None:
        if busy["successful"]:
            busy["successful"] -= 1
            raise OperationalError("database is locked")
        real_successful(self, value)

    def set_failed(self: DBTaskResult, exc: BaseException) -> None:
        if busy["failed"]:
            busy["failed"] -= 1
            raise OperationalError("database is locked")
        real_failed(self, exc)

    monkeypatch.setattr(DBTaskResult, "set_successful", set_successful)
    monkeypatch.setattr(DBTaskResult, "set_failed", set_failed)
    first = remember_run.enqueue("again")
    _work()
    assert RUNS == ["again", "again"]  # run again, as after a crash
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    assert DBTaskResult.objects.get(pk=first.id).status == "FAILED"  # "its worker died"
    again = DBTaskResult.objects.filter(task_path=first.task.module_path).exclude(pk=first.id)
    assert again.get().status == "SUCCESSFUL"


def test_any_other_database_error_still_ends_the_worker(monkeypatch):
    @contextmanager
    def broken(using: str | None = None) -> Iterator[None]:
        raise OperationalError("disk I/O error")
        yield

    monkeypatch.setattr(upstream, "exclusive_transaction", broken)
    remember_run.enqueue("never")
    with pytest.raises(OperationalError, match="disk I/O"):
        _work()
    assert RUNS == []

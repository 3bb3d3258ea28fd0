"""``prima db_worker``: django-tasks-db's worker, after recovering what a dead
predecessor left behind (see :mod:`prima.front.workers`), and kept alive when SQLite is
busy (see :class:`BusyTolerantWorker`)."""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from django.core.management.base import CommandError
from django.db import close_old_connections
from django.db.utils import OperationalError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import is_locked_database_exception

from prima.front import workers

logger = logging.getLogger("prima.front.workers")

# Seconds to wait after "database is locked" before claiming again.
BUSY_PAUSE = 1.0


class BusyTolerantWorker(db_worker.Worker):
    """django-tasks-db's worker, which ends with "database is locked" when SQLite's write
    lock stays taken longer than the busy timeout as it *starts* the transaction that
    claims a task (its own loop only forgives the error inside that transaction), or as
    it records a task's end. Here the worker waits a moment and goes on, as a restart by
    systemd would but without losing the process: it first queues again whatever it left
    marked running under its own id (a task whose end could not be recorded: run again,
    as after a crash — every PRIMA task is safe to run twice), then claims the next task.
    Any other error still ends the process."""

    def run(self) -> None:
        while True:
            try:
                super().run()
                return
            except OperationalError as error:
                if not (self.running and is_locked_database_exception(error)):
                    raise
                logger.warning(
                    "Database busy in worker %s (%s): trying again", self.worker_id, error
                )
            self._recover_after_busy()

    def _recover_after_busy(self) -> None:
        while self.running:
            time.sleep(BUSY_PAUSE)
            close_old_connections()
            try:
                workers.recover_abandoned(self.worker_id, self.backend_name)
                return
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise


class Command(db_worker.Command):
    help = (
        "Run queued background tasks. First queues again the tasks an earlier process "
        "with the same --worker-id left running when it died, and restarts the scheduler "
        "chains if none is queued; keeps running when the database is busy for a while."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        recovered = workers.recover_abandoned(options["worker_id"], options["backend_name"])
        if recovered:
            self.stderr.write(
                f"Queued again {len(recovered)} task(s) left running when worker "
                f"{options['worker_id']} died: {', '.join(sorted(set(recovered)))}"
            )
        workers.revive_chains()
        self.run_worker(**options)

    def run_worker(
        self,
        *,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        """django-tasks-db's ``handle`` with :class:`BusyTolerantWorker` (its checks of
        the options kept: ``super().handle`` would make its own worker)."""
        if reload and batch:
            logger.warning("--reload and --batch cannot be specified together: no reload.")
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = BusyTolerantWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()

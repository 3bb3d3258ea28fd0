"""``prima db_worker``: django-tasks-db's worker, after recovering what a dead
predecessor left behind (see :mod:`prima.front.workers`)."""

from typing import Any

from django_tasks_db.management.commands import db_worker

from prima.front import workers


class Command(db_worker.Command):
    help = (
        "Run queued background tasks. First queues again the tasks an earlier process "
        "with the same --worker-id left running when it died, and restarts the scheduler "
        "chains if none is queued."
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
        super().handle(*args, **options)

"""``prima crisis-tick``: one round of the crisis playbook's work, or a loop of them.

Reads the closed 5-minute buckets of every volume series (signals), groups signals into
cases (assessment, escalation), calls the next responders of escalations whose target
passed, copies approved holding statements into the cases' logs and delivers due
notifications. The monitoring scheduler (``monitoring_tick`` under ``db_worker``, or
``prima poll-feeds --loop``) already runs the same round after each of its own; this
command is for deployments that want the crisis work in a process of its own, and for
operators checking what it does.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from ...tasks import run_tick


class Command(BaseCommand):
    help = "Run the crisis playbook's scheduled work once (or --loop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument(
            "--interval",
            type=int,
            default=None,
            help="seconds between rounds with --loop (default: MONITORING_TICK_SECONDS)",
        )
        parser.add_argument(
            "--no-deliver", action="store_true", help="do not send e-mail or webhook messages"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["interval"] or max(5, settings.MONITORING_TICK_SECONDS)
        while True:
            result = run_tick(deliver=not options["no_deliver"])
            self.stdout.write(
                "{signals} signal(s), {cases} case(s) updated, {tiers_called} escalation(s) "
                "moved on, {statements} statement(s) logged, {sent} message(s) sent, "
                "{failed} failed".format(**{"sent": 0, "failed": 0, **result})
            )
            if not options["loop"]:
                return
            time.sleep(interval)

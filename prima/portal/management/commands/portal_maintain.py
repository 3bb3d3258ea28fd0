from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from prima.portal import services


class Command(BaseCommand):
    help = (
        "Run the portal's periodic work now: hand new public questions and reports over to "
        "media monitoring and erase the address hashes older than a day (names, phones and "
        "e-mails past their retention period: prima apply-retention)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            action="store_true",
            help="Repeat every PRIMA_PORTAL_TICK_SECONDS until stopped (instead of the worker).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            result = services.run_tick()
            self.stdout.write(
                f"{result['forwarded']} message(s) handed over to media monitoring, "
                f"address hashes of {result['hashes_erased']} message(s) erased"
            )
            if not options["loop"]:
                return
            time.sleep(max(5, settings.PORTAL_TICK_SECONDS))

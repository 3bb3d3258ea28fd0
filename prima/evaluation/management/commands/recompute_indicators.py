"""``prima recompute-indicators``: recompute the monthly indicator figures from their rows
(or, with ``--check``, compare them with what is stored without writing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.evaluation import indicators as ind
from prima.evaluation.rollups import Period, PeriodError
from prima.organizations.models import Office


class Command(BaseCommand):
    help = (
        "Recompute the monthly indicator figures of every office from their rows "
        "(conferences, crisis cases, clarifications, public questions, monitoring rollups); "
        "--check compares instead of writing and exits 1 on any difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the stored figures with a fresh computation; write nothing.",
        )
        parser.add_argument(
            "--period",
            help="Only this period (2026, 2026-Q2 or 2026-05). Default: every month with data.",
        )
        parser.add_argument(
            "--recent",
            action="store_true",
            help="Only the current and the previous month (what an hourly timer runs).",
        )
        parser.add_argument("--office", help="Only this office (its code).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["period"]:
            try:
                months = Period.parse(options["period"]).months
            except PeriodError as err:
                raise CommandError(str(err)) from None
        elif options["recent"]:
            months = ind.recent_months()
        else:
            months = ind.data_months()
        offices = None
        if options["office"]:
            found = list(Office.objects.filter(code=options["office"]))
            if not found:
                raise CommandError(f"No office with the code {options['office']!r}.")
            offices = found
        if options["check"]:
            differences = ind.check(months, offices)
            for d in differences[:50]:
                self.stdout.write(
                    f"{d.office.code} {d.month:%Y-%m} {d.column}: stored {d.stored}, "
                    f"computed {d.computed}"
                )
            if differences:
                raise CommandError(
                    f"{len(differences)} figure(s) differ from their rows "
                    f"({len(months)} month(s) checked); run without --check to recompute."
                )
            self.stdout.write(f"All figures match their rows ({len(months)} month(s) checked).")
            return
        written = ind.refresh(months, offices)
        self.stdout.write(f"{written} office-month row(s) recomputed ({len(months)} month(s)).")

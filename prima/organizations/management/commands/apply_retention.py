"""``prima apply-retention``: remove personal data whose retention period has ended."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from prima.organizations.privacy.retention import run_retention
from prima.organizations.privacy.tasks import ensure_chain


class Command(BaseCommand):
    help = (
        "Remove personal data past its declared retention period, category by category "
        "(UU No. 27/2022), and print what was removed; --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be removed, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        report = run_retention(dry_run=dry_run)
        verb = "would be removed" if dry_run else "removed"
        for o in report.outcomes:
            self.stdout.write(
                f"{o.label}: {o.removed:,} {verb} (older than {o.days} days, "
                f"before {o.cutoff:%Y-%m-%d %H:%M} UTC)"
            )
        self.stdout.write(f"Total: {report.total:,} {verb}.")
        if not dry_run:
            ensure_chain()

"""``prima purge-mentions``: delete mentions older than the retention period (UU PDP)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from ...retention import cutoff, expired, purge_expired


class Command(BaseCommand):
    help = (
        "Delete monitored mentions (with their author data) published before the retention "
        "period (MONITORING_RETENTION_DAYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"retention in days (default {settings.MONITORING_RETENTION_DAYS})",
        )
        parser.add_argument("--dry-run", action="store_true", help="only count")

    def handle(self, *args, **options):
        days = options["days"]
        limit = cutoff(days=days)
        if options["dry_run"]:
            count = expired(days=days).count()
            self.stdout.write(
                f"{count:,} mention(s) published before {limit:%Y-%m-%d} would be deleted."
            )
            return
        count = purge_expired(days=days)
        self.stdout.write(f"{count:,} mention(s) published before {limit:%Y-%m-%d} deleted.")

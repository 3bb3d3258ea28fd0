"""``prima poll-feeds``: poll the feeds that are due, and do the scheduler's housekeeping.

Polls in this process (no worker needed). ``--loop`` keeps running, one round every
``MONITORING_TICK_SECONDS``: an alternative to the self-scheduling ``monitoring_tick``
task for deployments that prefer a plain process (systemd, a container).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from ...models import Source, SourceKind
from ...tasks import claim_feed, ensure_scheduler, poll_due_feeds, poll_feed_now, run_tick


class Command(BaseCommand):
    help = "Poll due RSS/Atom feeds (and prune old data); --loop to keep polling."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--all", action="store_true", help="poll every active feed now")

    def handle(self, *args, **options):
        from django.conf import settings

        while True:
            self._round(force=options["all"])
            if not options["loop"]:
                ensure_scheduler()
                return
            time.sleep(max(5, settings.MONITORING_TICK_SECONDS))

    def _round(self, *, force: bool) -> None:
        now = timezone.now()
        if force:
            polled = []
            for source in Source.objects.filter(kind=SourceKind.RSS, is_active=True):
                if claim_feed(source.pk, now=now, force=True):
                    poll_feed_now(source, now=now)
                    polled.append(source.pk)
        else:
            polled = poll_due_feeds(enqueue=False, now=now)
        for source in Source.objects.filter(pk__in=polled).order_by("name"):
            state = f"error: {source.last_error}" if source.failure_count else "ok"
            self.stdout.write(f"{source.name}: {state}")
        housekeeping = run_tick(now)
        self.stdout.write(
            f"{len(polled)} feed(s) polled; {housekeeping['bands_pruned']} dedup bands and "
            f"{housekeeping['issues_pruned']} small issues removed."
        )

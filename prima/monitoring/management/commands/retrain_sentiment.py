"""``prima retrain-sentiment``: retrain with staff corrections now (what the background
task does, through the same function)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from prima.monitoring import retraining


class Command(BaseCommand):
    help = (
        "Retrain the sentiment model on the shipped training data plus every staff "
        "correction, store it as the newest model version (every worker switches to it) "
        "and re-classify the stored mentions; about a minute plus the re-classification."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-reclassify",
            action="store_true",
            help="store the new version without re-classifying the stored mentions",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        version = retraining.retrain(reclassify=not options["no_reclassify"])
        version.refresh_from_db()
        self.stdout.write(f"Sentiment model version {version.pk} stored.\n")
        self.stdout.write(version.card)

"""``prima train-sentiment``: retrain the sentiment model and rewrite its artefact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.monitoring import analysis
from prima.monitoring.nlp.sentiment import ARTEFACT_DIR, train
from prima.monitoring.nlp.sentiment.corrections import load_corrections


class Command(BaseCommand):
    help = (
        "Train the Indonesian/English sentiment model from SmSA and NusaX plus staff "
        "corrections, and write the artefact and its MODEL_CARD.md (about 4 minutes)."
    )
    # It must run when the shipped model is missing or broken: it makes a new one.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=Path(settings.MONITORING_SHARED_DATA),
            help="folder holding sentiment/smsa and sentiment/nusax (default: "
            "PRIMA_SHARED_DATA, else ../shared/data)",
        )
        parser.add_argument(
            "--out",
            type=Path,
            default=ARTEFACT_DIR,
            help="artefact folder to write (default: the one shipped in the package)",
        )
        parser.add_argument(
            "--no-baseline",
            action="store_true",
            help="skip training the TF-IDF baseline that the model card compares against",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir: Path = options["data_dir"]
        if not data_dir.is_dir():
            raise CommandError(f"data folder not found: {data_dir}")
        corrections = load_corrections()
        verbose = options["verbosity"] > 1
        report = train(
            data_dir,
            corrections,
            options["out"],
            compare_baseline=not options["no_baseline"],
            log=(lambda msg: self.stderr.write(msg)) if verbose else None,
        )
        analysis.reload_models()
        self.stdout.write(report.summary())

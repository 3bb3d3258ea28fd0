"""``prima detect-storms IN.csv OUT.csv``: the shipped storm detector over one series."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.crisis.detection import SHIPPED_SETTINGS, Detector
from prima.crisis.detection.series import (
    Series,
    SeriesError,
    read_series,
    score,
    write_scores,
)


class Command(BaseCommand):
    help = (
        "Score one 'timestamp,value' series with the shipped storm detector and write "
        "'timestamp,value,anomaly_score' (NAB's results format)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="CSV with the columns timestamp,value ('-': stdin)")
        parser.add_argument("output", help="CSV to write ('-': stdout)")
        parser.add_argument(
            "--file-order",
            action="store_true",
            help="take the rows in file order even where a timestamp steps back",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source, target = options["input"], options["output"]
        try:
            if source == "-":
                series = read_series(sys.stdin, options["file_order"])
            else:
                with open(source, newline="", encoding="utf-8-sig") as handle:
                    series = read_series(handle, options["file_order"])
        except SeriesError as error:
            raise CommandError(f"{source}: {error}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{source}: not a UTF-8 text file") from None
        except OSError as error:
            raise CommandError(f"{source}: {error.strerror or error}") from None

        detector = Detector(SHIPPED_SETTINGS)
        try:
            scores = score(series, detector)
        except ValueError as error:  # the reader already refuses what the detector does
            raise CommandError(f"{source}: {error}") from None
        # Alarms are exactly the points whose score reaches the threshold.
        alarms = [i for i, value in enumerate(scores) if value >= SHIPPED_SETTINGS.threshold]

        if target == "-":
            write_scores(self.stdout, series, scores)
            return
        _write_atomically(Path(target), series, scores)
        first = f", the first at {series.raw_timestamps[alarms[0]]}" if alarms else ""
        self.stderr.write(
            f"{len(scores)} points scored, {len(alarms)} storm alarm(s){first} -> {target}"
        )


def _write_atomically(path: Path, series: Series, scores: list[float]) -> None:
    """Write next to the target, then rename: a failure leaves no half-written file."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
            write_scores(stream, series, scores)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

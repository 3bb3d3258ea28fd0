"""``prima detect-storms IN.csv OUT.csv``: the shipped storm detector over one series."""

from __future__ import annotations

import argparse
import io
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
        "'timestamp,value,anomaly_score' (NAB's results format), one score per row in "
        "file order."
    )
    # Nothing here reads the database or the language models: a system check failing
    # elsewhere (a missing sentiment model) must not stop the detector, which fails
    # loudly by itself.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="CSV with the columns timestamp,value ('-': stdin)")
        parser.add_argument("output", help="CSV to write ('-': stdout)")
        order = parser.add_mutually_exclusive_group()
        order.add_argument(
            "--strict-order",
            action="store_true",
            help=(
                "refuse a file whose timestamps step back (by default such a row is "
                "scored at the time before it, and stderr says so)"
            ),
        )
        # The default since rows are always taken in file order; kept for old scripts.
        order.add_argument("--file-order", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        source, target = options["input"], options["output"]
        strict = options["strict_order"]
        try:
            if source == "-":
                series = read_series(sys.stdin, strict)
            else:
                with open(source, newline="", encoding="utf-8-sig") as handle:
                    series = read_series(handle, strict)
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
            try:
                write_scores(self.stdout, series, scores)
                self.stdout.flush()
            except BrokenPipeError:  # e.g. `| head`: the reader has gone
                _silence(self.stdout)
                raise CommandError(
                    "standard output was closed before every score was written"
                ) from None
        else:
            _write_atomically(Path(target), series, scores)
        if series.steps_back:
            first = series.steps_back[0]
            self.stderr.write(
                f"{len(series.steps_back)} row(s) step back in time, each scored at the latest "
                f"time before it (rows in file order); the first at line {first.line}: "
                f"{first.timestamp} after {first.previous}"
            )
        first_alarm = f", the first at {series.raw_timestamps[alarms[0]]}" if alarms else ""
        self.stderr.write(
            f"{len(scores)} points scored, {len(alarms)} storm alarm(s){first_alarm} -> "
            f"{'standard output' if target == '-' else target}"
        )


def _silence(stream: Any) -> None:
    """Point the closed stream's file descriptor (the process's standard output) at
    /dev/null, so that the interpreter's flush at exit does not fail a second time."""
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):
        return  # not a file (a test's StringIO): nothing is flushed at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)


def _write_atomically(path: Path, series: Series, scores: list[float]) -> None:
    """Write next to the target, then rename: a failure leaves no half-written file. The
    file gets the mode a plain ``open`` would give it (mkstemp's is private), or keeps
    the mode of the file it replaces."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise CommandError(f"{path}: is a folder (give the name of the file to write)")
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror or error}") from None
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
            write_scores(stream, series, scores)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CommandError(f"{path}: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

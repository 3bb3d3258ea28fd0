"""Reading and writing one series as CSV: ``timestamp,value`` in, NAB's results format
``timestamp,value,anomaly_score`` out. Used by ``prima detect-storms`` and by anything
that replays a recorded series."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from .detector import Detector


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SeriesError(ValueError):
    """Bad input, with the line (1-based, the header is line 1) where it was found."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class Series:
    """A series as read: the original text of each timestamp and value (written back
    unchanged) and their parsed forms."""

    raw_timestamps: list[str]
    raw_values: list[str]
    timestamps: list[datetime]
    values: list[float]


def _parse_time(text: str, line: int) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise SeriesError(
            line, f"cannot read the timestamp {text!r} (expected e.g. 2026-01-05 08:15:00)"
        ) from None


def _parse_value(text: str, line: int) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise SeriesError(line, f"the value {text!r} is not a number") from None
    if not math.isfinite(value):
        raise SeriesError(line, f"the value {text!r} is not a finite number")
    return value


def in_time_order(timestamps: Sequence[datetime]) -> list[datetime]:
    """The timestamps with each step back replaced by the time before it, for series
    whose rows are in order but whose clock once went back (NAB's
    machine_temperature_system_failure.csv steps back 55 minutes at row 10,151)."""
    fixed: list[datetime] = []
    for moment in timestamps:
        fixed.append(max(moment, fixed[-1]) if fixed else moment)
    return fixed


def read_series(stream: Iterable[str], file_order: bool = False) -> Series:
    """Read a ``timestamp,value`` CSV (a header naming both columns; other columns are
    ignored; blank lines are skipped). Timestamps must not go backwards (a repeated one
    is allowed) unless ``file_order``: then the rows are taken in file order and a step
    back counts as the time before it (see in_time_order). Raises SeriesError for the
    first problem found."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise SeriesError(1, "the file is empty (expected a 'timestamp,value' header)") from None
    except csv.Error as error:
        raise SeriesError(1, f"not a CSV file ({error})") from None
    names = [name.strip().lstrip("\ufeff").lower() for name in header]
    missing = [column for column in ("timestamp", "value") if column not in names]
    if missing:
        raise SeriesError(
            1,
            f"missing column {' and '.join(missing)}: the header must name the columns "
            f"timestamp and value (found {','.join(header) or 'nothing'})",
        )
    at_time, at_value = names.index("timestamp"), names.index("value")
    series = Series([], [], [], [])
    previous: datetime | None = None
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) <= max(at_time, at_value):
                raise SeriesError(line, f"expected {len(header)} columns, found {len(row)}")
            raw_time, raw_value = row[at_time].strip(), row[at_value].strip()
            moment = _parse_time(raw_time, line)
            value = _parse_value(raw_value, line)
            if previous is not None:
                try:
                    backwards = moment < previous
                except TypeError:
                    raise SeriesError(
                        line, "timestamps with and without a time zone are mixed"
                    ) from None
                if backwards and file_order:
                    moment = previous
                elif backwards:
                    raise SeriesError(
                        line,
                        f"the timestamp {raw_time} is earlier than the one before it "
                        f"({series.raw_timestamps[-1]}): the rows must be sorted by time "
                        "(--file-order takes them as they come)",
                    )
            previous = moment
            series.raw_timestamps.append(raw_time)
            series.raw_values.append(raw_value)
            series.timestamps.append(moment)
            series.values.append(value)
    except csv.Error as error:
        raise SeriesError(reader.line_num, f"not valid CSV ({error})") from None
    if not series.values:
        raise SeriesError(reader.line_num or 1, "no data rows after the header")
    return series


def score(series: Series, detector: Detector) -> list[float]:
    return detector.score_series(series.timestamps, series.values)


def write_scores(stream: Writable, series: Series, scores: Sequence[float]) -> None:
    """NAB's results format: ``timestamp,value,anomaly_score``, timestamps and values as
    they were read."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["timestamp", "value", "anomaly_score"])
    for row in zip(series.raw_timestamps, series.raw_values, scores, strict=True):
        writer.writerow([row[0], row[1], repr(float(row[2]))])

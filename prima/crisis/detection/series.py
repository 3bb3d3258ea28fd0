"""Reading and writing one series as CSV: ``timestamp,value`` in, NAB's results format
``timestamp,value,anomaly_score`` out. Used by ``prima detect-storms`` and by anything
that replays a recorded series."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
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
class StepBack:
    """A row whose timestamp is earlier than the time before it: the line (1-based, the
    header is line 1), its timestamp and the previous row's, as written."""

    line: int
    timestamp: str
    previous: str


@dataclass(frozen=True)
class Series:
    """A series as read: the original text of each timestamp and value (written back
    unchanged) and their parsed forms. ``timestamps`` are the times the rows are scored
    at, in file order: a row whose timestamp steps back takes the time before it (see
    in_time_order); ``steps_back`` lists those rows."""

    raw_timestamps: list[str]
    raw_values: list[str]
    timestamps: list[datetime]
    values: list[float]
    steps_back: list[StepBack] = field(default_factory=list)


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


def _without_bom(stream: Iterable[str]) -> Iterator[str]:
    """The lines of ``stream``, a byte order mark at the very start removed (standard
    input is not opened as ``utf-8-sig``)."""
    lines = iter(stream)
    first = next(lines, None)
    if first is None:
        return
    yield first.removeprefix("\ufeff")
    yield from lines


def read_series(stream: Iterable[str], strict_order: bool = False) -> Series:
    """Read a ``timestamp,value`` CSV (a header naming both columns, in any case and
    order; other columns are ignored; blank lines are skipped). The rows are taken in
    file order, one point each; a row whose timestamp steps back is scored at the time
    before it (in_time_order) and listed in ``steps_back``. With ``strict_order`` such a
    file is refused instead (a repeated timestamp is allowed either way). Raises
    SeriesError for the first problem found (an unreadable row before a step back)."""
    reader = csv.reader(_without_bom(stream))
    try:
        header = next(reader)
    except StopIteration:
        raise SeriesError(1, "the file is empty (expected a 'timestamp,value' header)") from None
    except csv.Error as error:
        raise SeriesError(1, f"not a CSV file ({error})") from None
    names = [name.strip().lower() for name in header]
    missing = [column for column in ("timestamp", "value") if column not in names]
    if missing:
        raise SeriesError(
            1,
            f"missing column {' and '.join(missing)}: the header must name the columns "
            f"timestamp and value (found {','.join(header) or 'nothing'})",
        )
    at_time, at_value = names.index("timestamp"), names.index("value")
    raw_timestamps: list[str] = []
    raw_values: list[str] = []
    moments: list[datetime] = []
    values: list[float] = []
    lines: list[int] = []
    zoned: bool | None = None
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
            has_zone = moment.utcoffset() is not None
            if zoned is None:
                zoned = has_zone
            elif has_zone != zoned:
                raise SeriesError(line, "timestamps with and without a time zone are mixed")
            raw_timestamps.append(raw_time)
            raw_values.append(raw_value)
            moments.append(moment)
            values.append(value)
            lines.append(line)
    except csv.Error as error:
        raise SeriesError(reader.line_num, f"not valid CSV ({error})") from None
    if not values:
        raise SeriesError(reader.line_num or 1, "no data rows after the header")
    scored = in_time_order(moments)
    steps_back = [
        StepBack(lines[i], raw_timestamps[i], raw_timestamps[i - 1])
        for i, (moment, at) in enumerate(zip(moments, scored, strict=True))
        if at != moment
    ]
    if strict_order and steps_back:
        first = steps_back[0]
        raise SeriesError(
            first.line,
            f"the timestamp {first.timestamp} is earlier than the one before it "
            f"({first.previous}): the rows must be sorted by time",
        )
    return Series(raw_timestamps, raw_values, scored, values, steps_back)


def score(series: Series, detector: Detector) -> list[float]:
    return detector.score_series(series.timestamps, series.values)


def write_scores(stream: Writable, series: Series, scores: Sequence[float]) -> None:
    """NAB's results format: ``timestamp,value,anomaly_score``, timestamps and values as
    they were read."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["timestamp", "value", "anomaly_score"])
    for row in zip(series.raw_timestamps, series.raw_values, scores, strict=True):
        writer.writerow([row[0], row[1], repr(float(row[2]))])

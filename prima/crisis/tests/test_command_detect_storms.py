"""``prima detect-storms IN.csv OUT.csv``: NAB's results format out, clear errors (with
the line) for bad input, nothing written when the input is bad."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from prima.crisis.detection import SHIPPED_SETTINGS, Detector

from .storms import mention_series


def write_series(path: Path, timestamps, values) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "value"])
        for t, v in zip(timestamps, values, strict=True):
            writer.writerow([t.strftime("%Y-%m-%d %H:%M:%S"), f"{v:g}"])


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def detect(*args: str) -> str:
    err = io.StringIO()
    call_command("detect_storms", *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def test_it_writes_timestamp_value_and_the_detectors_score(tmp_path):
    start = 10 * 288 + 12 * 12
    timestamps, values = mention_series(days=11, bursts=((start, 24, 150.0),), seed=3)
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    write_series(source, timestamps, values)
    summary = detect(str(source), str(target))

    rows = read_rows(target)
    assert list(rows[0]) == ["timestamp", "value", "anomaly_score"]
    assert len(rows) == len(values)
    # Timestamps and values exactly as in the input.
    assert rows[0]["timestamp"] == timestamps[0].strftime("%Y-%m-%d %H:%M:%S")
    assert [r["value"] for r in rows] == [f"{v:g}" for v in values]
    scores = [float(r["anomaly_score"]) for r in rows]
    assert scores == Detector(SHIPPED_SETTINGS).score_series(timestamps, values)
    assert all(0.0 <= s <= 1.0 for s in scores)
    alarms = [i for i, s in enumerate(scores) if s >= SHIPPED_SETTINGS.threshold]
    assert [i for i in alarms if i >= 4 * 288] == [start]
    assert f"{len(values)} points scored, {len(alarms)} storm alarm(s)" in summary


def test_timestamps_are_written_as_they_came(tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(
        "timestamp,value\n2015-02-26T21:42:53Z,104\n2015-02-26T21:47:53Z,100.50\n",
        encoding="utf-8",
    )
    detect(str(source), str(target))
    rows = read_rows(target)
    assert [(r["timestamp"], r["value"]) for r in rows] == [
        ("2015-02-26T21:42:53Z", "104"),
        ("2015-02-26T21:47:53Z", "100.50"),
    ]


def test_extra_columns_and_column_order_do_not_matter(tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(
        "\ufeffvalue,label,timestamp\n5,0,2026-01-01 00:00:00\n7,0,2026-01-01 00:05:00\n\n",
        encoding="utf-8",
    )
    detect(str(source), str(target))
    assert [r["value"] for r in read_rows(target)] == ["5", "7"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "line 1: the file is empty"),
        ("time,count\n2026-01-01 00:00:00,3\n", "line 1: missing column timestamp and value"),
        ("timestamp,count\n2026-01-01 00:00:00,3\n", "line 1: missing column value"),
        ("timestamp,value\n", "no data rows"),
        (
            "timestamp,value\n2026-01-01 00:00:00,3\n2026-01-01 00:05:00,tiga\n",
            "line 3: the value 'tiga' is not a number",
        ),
        (
            "timestamp,value\n2026-01-01 00:00:00,3\n2026-01-01 00:05:00,nan\n",
            "line 3: the value 'nan' is not a finite number",
        ),
        (
            "timestamp,value\n2026-01-01 00:00:00,3\n01/02/2026 10:00,4\n",
            "line 3: cannot read the timestamp '01/02/2026 10:00'",
        ),
        ("timestamp,value\n2026-01-01 00:00:00\n", "line 2: expected 2 columns, found 1"),
        (
            "timestamp,value\n2026-01-01 00:10:00,3\n2026-01-01 00:15:00,3\n"
            "2026-01-01 00:05:00,4\n",
            "line 4: the timestamp 2026-01-01 00:05:00 is earlier than the one before it",
        ),
        (
            "timestamp,value\n2026-01-01 00:00:00,3\n2026-01-01 00:05:00+07:00,4\n",
            "line 3: timestamps with and without a time zone are mixed",
        ),
    ],
)
def test_bad_input_is_refused_with_the_line_and_nothing_is_written(tmp_path, content, message):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(content, encoding="utf-8")
    target.write_text("kept", encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        detect(str(source), str(target))
    assert target.read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_a_missing_input_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        detect(str(tmp_path / "absent.csv"), str(tmp_path / "out.csv"))


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(b"timestamp,value\n2026-01-01 00:00:00,\xff\xfe\n")
    with pytest.raises(CommandError, match="not a UTF-8 text file"):
        detect(str(source), str(tmp_path / "out.csv"))


def test_file_order_takes_a_step_back_in_time_as_the_time_before_it(tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(
        "timestamp,value\n2026-01-01 00:10:00,3\n2026-01-01 00:05:00,4\n2026-01-01 00:15:00,5\n",
        encoding="utf-8",
    )
    detect(str(source), str(target), "--file-order")
    rows = read_rows(target)
    assert [r["timestamp"] for r in rows] == [
        "2026-01-01 00:10:00",
        "2026-01-01 00:05:00",
        "2026-01-01 00:15:00",
    ]


def test_it_reads_stdin_and_writes_stdout(monkeypatch):
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("timestamp,value\n2026-01-01 00:00:00,3\n2026-01-01 00:05:00,4\n")
    )
    out = io.StringIO()
    call_command("detect_storms", "-", "-", stdout=out, stderr=io.StringIO())
    assert out.getvalue().splitlines() == [
        "timestamp,value,anomaly_score",
        "2026-01-01 00:00:00,3,0.0",
        "2026-01-01 00:05:00,4,0.0",
    ]

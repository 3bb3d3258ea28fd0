"""Tests for lenient date and count reading (prima.monitoring.parsers.values)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prima.monitoring.parsers import parse_count, parse_datetime


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-11-19T10:00:00Z", utc(2025, 11, 19, 10)),
        ("2025-11-19T10:00:00+07:00", utc(2025, 11, 19, 3)),
        ("2025-11-19 10:00", utc(2025, 11, 19, 3)),  # no zone: Jakarta
        ("2025-11-19", utc(2025, 11, 18, 17)),
        ("1763546400", utc(2025, 11, 19, 10)),
        ("1763546400000", utc(2025, 11, 19, 10)),
        (1763546400, utc(2025, 11, 19, 10)),
        (1763546400000.0, utc(2025, 11, 19, 10)),
        ("19/11/2025 10:00", utc(2025, 11, 19, 3)),
        ("19-11-2025 10.00", utc(2025, 11, 19, 3)),
        ("19/11/25", utc(2025, 11, 18, 17)),
        ("2025/11/19 08:00:00", utc(2025, 11, 19, 1)),
        ("19 Nov 2025", utc(2025, 11, 18, 17)),
        ("19 November 2025 10.00 WIB", utc(2025, 11, 19, 3)),
        ("Rabu, 19 November 2025 10:00 WIB", utc(2025, 11, 19, 3)),
        ("19 Agustus 2025 pukul 14.30 WITA", utc(2025, 8, 19, 6, 30)),
        ("1 Mei 2025 08:00 WIT", utc(2025, 4, 30, 23)),
        ("5 Desember 2025", utc(2025, 12, 4, 17)),
        ("19 Okt 2025 10:00 UTC", utc(2025, 10, 19, 10)),
        ("Nov 19, 2025 10:00 PM", utc(2025, 11, 19, 15)),
        ("Wed Oct 10 20:19:24 +0000 2018", utc(2018, 10, 10, 20, 19, 24)),
        ("Wed, 19 Nov 2025 10:00:00 +0700", utc(2025, 11, 19, 3)),
        ("Wed, 19 Nov 2025 03:00:00 GMT", utc(2025, 11, 19, 3)),
    ],
)
def test_dates(value: object, expected: datetime) -> None:
    assert parse_datetime(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "besok", "32/13/2025", "19 Foo 2025", "99999999999999999999", "12", None, True, [], "0"],
)
def test_unreadable_dates_give_none(value: object) -> None:
    assert parse_datetime(value) is None


def test_the_default_zone_can_be_changed() -> None:
    assert parse_datetime("19/11/2025 10:00", "Asia/Makassar") == utc(2025, 11, 19, 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.234", 1234),
        ("1,234", 1234),
        ("1.234.567", 1234567),
        ("1 234", 1234),
        ("1,2K", 1200),
        ("1.2k", 1200),
        ("3 rb", 3000),
        ("3rb", 3000),
        ("12,5 ribu", 12500),
        ("1,5 jt", 1500000),
        ("2 juta", 2000000),
        ("2M", 2000000),
        ("1,1 miliar", 1100000000),
        ("42", 42),
        (42, 42),
        (4.9, 4),
        ("12.5", 12),
        ("1.234,5", 1234),
    ],
)
def test_counts(value: object, expected: int) -> None:
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", ["", "-3", -3, "abc", "1,2 xyz", None, True, float("nan"), "—"])
def test_unreadable_counts_give_none(value: object) -> None:
    assert parse_count(value) is None

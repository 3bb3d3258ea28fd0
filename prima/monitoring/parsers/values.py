"""Lenient readers for the dates and counts found in exports: never raise, return None.

Indonesian conventions come first: day-first dates, ``19 November 2025 10.00 WIB``,
``1.234`` meaning one thousand two hundred and thirty-four, ``3 rb`` (ribu) and ``1,5 jt``
(juta). A date without a zone is taken as Asia/Jakarta (WIB) unless told otherwise.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from prima.lib.dates import month_number

JAKARTA = ZoneInfo("Asia/Jakarta")

_ZONES: dict[str, tzinfo] = {
    "wib": timezone(timedelta(hours=7)),
    "wita": timezone(timedelta(hours=8)),
    "wit": timezone(timedelta(hours=9)),
    "utc": UTC,
    "gmt": UTC,
    "z": UTC,
}

_WEEKDAYS = (
    r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|"
    r"mon|tue|wed|thu|fri|sat|sun)[a-z]*"
)
_TIME = r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2})(?:[.,]\d+)?)?\s*(?P<ampm>am|pm)?"
_ZONE = r"(?P<zone>wib|wita|wit|utc|gmt|z|[+-]\d{2}:?\d{2})?"
_TAIL = rf"(?:[\s,T]+(?:pukul\s+|jam\s+)?{_TIME})?\s*{_ZONE}"

# 19/11/2025, 19-11-2025, 19.11.2025 (day first, the Indonesian order)
_NUMERIC_DMY = re.compile(
    rf"^(?:{_WEEKDAYS},?\s*)?(?P<d>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-](?P<y>\d{{4}}|\d{{2}}){_TAIL}$"
)
# 2025/11/19 10:00 (year first with slashes; ISO with dashes is handled by fromisoformat)
_NUMERIC_YMD = re.compile(rf"^(?P<y>\d{{4}})[/.-](?P<m>\d{{1,2}})[/.-](?P<d>\d{{1,2}}){_TAIL}$")
# 19 Nov 2025, Rabu, 19 November 2025 10.00 WIB
_TEXT_DMY = re.compile(
    rf"^(?:{_WEEKDAYS},?\s*)?(?P<d>\d{{1,2}})\s+(?P<mon>[a-z']+)\.?,?\s+(?P<y>\d{{4}}){_TAIL}$"
)
# Nov 19, 2025 10:00 AM (English order)
_TEXT_MDY = re.compile(
    rf"^(?:{_WEEKDAYS},?\s*)?(?P<mon>[a-z]+)\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}}){_TAIL}$"
)

# Epoch values outside ~1990..2100 are not plausible for a post.
_EPOCH_MIN = 631_152_000
_EPOCH_MAX = 4_102_444_800


def _zone(value: str | None, default: tzinfo) -> tzinfo | None:
    if not value:
        return default
    value = value.lower()
    if value in _ZONES:
        return _ZONES[value]
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", value)
    if not match:
        return None
    hours, minutes = int(match.group(2)), int(match.group(3))
    if hours > 14 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if match.group(1) == "-" else delta)


def _build(
    year: int, month: int, day: int, match: re.Match[str], default_tz: tzinfo
) -> datetime | None:
    if year < 100:
        year += 2000
    hour = int(match.group("h") or 0)
    minute = int(match.group("mi") or 0)
    second = int(match.group("s") or 0)
    ampm = match.group("ampm")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    zone = _zone(match.group("zone"), default_tz)
    if zone is None:
        return None
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _from_epoch(number: float) -> datetime | None:
    if not math.isfinite(number):
        return None
    if abs(number) > _EPOCH_MAX * 10:  # milliseconds
        number /= 1000
    if not _EPOCH_MIN <= number <= _EPOCH_MAX:
        return None
    return datetime.fromtimestamp(number, tz=UTC)


def parse_datetime(value: object, default_tz: tzinfo | str = JAKARTA) -> datetime | None:
    """Read a date/time from an export cell; return an aware UTC datetime or None.

    Accepts datetimes, epoch seconds or milliseconds (numbers or digit strings), ISO 8601,
    RFC 2822 (feeds, e-mail), the X/Twitter v1 format, day-first numeric dates
    (``19/11/2025 10:00``, ``19-11-2025 10.00``) and dates with Indonesian or English month
    names (``Rabu, 19 November 2025 10.00 WIB``, ``19 Nov 2025``). Values without a zone
    are in ``default_tz`` (Asia/Jakarta). Pure string work; costs a few microseconds.
    """
    tz: tzinfo = ZoneInfo(default_tz) if isinstance(default_tz, str) else default_tz
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=tz)).astimezone(UTC)
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = " ".join(value.strip().lower().split())
    if not text or len(text) > 80:
        return None
    if re.fullmatch(r"\d{9,14}(\.\d+)?", text):
        return _from_epoch(float(text))
    iso = text.upper().replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2}", text) else ""
    if iso:
        try:
            parsed = datetime.fromisoformat(iso)
        except ValueError:
            parsed = None
        if parsed is not None:
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(UTC)
    match = _NUMERIC_DMY.match(text)
    if match:
        return _build(int(match["y"]), int(match["m"]), int(match["d"]), match, tz)
    match = _NUMERIC_YMD.match(text)
    if match:
        return _build(int(match["y"]), int(match["m"]), int(match["d"]), match, tz)
    for pattern in (_TEXT_DMY, _TEXT_MDY):
        match = pattern.match(text)
        if match:
            month = month_number(match["mon"])
            if month is None:
                return None
            return _build(int(match["y"]), month, int(match["d"]), match, tz)
    try:
        # X/Twitter API v1: "Wed Oct 10 20:19:24 +0000 2018"
        return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)
    except ValueError:
        pass
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(UTC)


_MULTIPLIERS = {
    "": 1,
    "k": 1_000, "rb": 1_000, "ribu": 1_000, "r": 1_000,
    "m": 1_000_000, "jt": 1_000_000, "juta": 1_000_000, "mio": 1_000_000,
    "b": 1_000_000_000, "miliar": 1_000_000_000, "milyar": 1_000_000_000, "mlyr": 1_000_000_000,
}  # fmt: skip
_COUNT = re.compile(r"^(?P<num>\d[\d.,\s]*)\s*(?P<suffix>[a-z]*)\.?$", re.ASCII)
_MAX_COUNT = 10**15
_GROUPED = re.compile(r"\d{1,3}([.,]\d{3})+")
_SEPARATORS = re.compile(r"[.,]")
_DECIMAL = re.compile(r"\d+[.,]\d+")
_GROUPED_DOT_DECIMAL_COMMA = re.compile(r"\d{1,3}(\.\d{3})+,\d+")
_GROUPED_COMMA_DECIMAL_DOT = re.compile(r"\d{1,3}(,\d{3})+\.\d+")


def parse_count(value: object) -> int | None:
    """Read a non-negative count such as likes or followers; None when it is not one.

    ``1.234`` and ``1,234`` are thousands separators (1234); with a suffix the separator is
    decimal: ``1,2K`` and ``1.2K`` are 1200, ``3 rb`` is 3000, ``1,5 jt`` is 1,500,000.
    ``M`` is read as million (the English UI meaning), ``miliar``/``B`` as a billion.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= _MAX_COUNT else None
    if isinstance(value, float):
        if not math.isfinite(value) or not 0 <= value <= _MAX_COUNT:
            return None
        return int(value)
    if not isinstance(value, str):
        return None
    text = value.strip().lower().replace("\u00a0", " ")
    if not text or len(text) > 40:
        return None
    match = _COUNT.match(text)
    if not match:
        return None
    suffix = match["suffix"]
    if suffix not in _MULTIPLIERS:
        return None
    number = match["num"].strip().replace(" ", "")
    if suffix:
        # With a suffix, the last separator is the decimal point: 1,2K / 1.2K / 1.234,5 rb.
        head, sep, tail = number.replace(",", ".").rpartition(".")
        digits = (head.replace(".", "") + "." + tail) if sep else tail
        try:
            amount = float(digits) * _MULTIPLIERS[suffix]
        except ValueError:
            return None
        return int(round(amount)) if amount <= _MAX_COUNT else None
    if number.isdigit():
        amount_int = int(number)
        return amount_int if amount_int <= _MAX_COUNT else None
    if _GROUPED.fullmatch(number) and len(set(_SEPARATORS.findall(number))) == 1:
        return int(_SEPARATORS.sub("", number))
    if _DECIMAL.fullmatch(number):  # a decimal count such as "12.5": round down
        return int(float(number.replace(",", ".")))
    if _GROUPED_DOT_DECIMAL_COMMA.fullmatch(number):  # 1.234,5
        return int(float(number.replace(".", "").replace(",", ".")))
    if _GROUPED_COMMA_DECIMAL_DOT.fullmatch(number):  # 1,234.5
        return int(float(number.replace(",", "")))
    return None

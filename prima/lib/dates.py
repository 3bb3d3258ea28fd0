"""Indonesian-style dates and times ("Rabu, 19 November 2025, 10.00 WIB").

Pure functions: no Django import, so documents and tests can use them anywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

DAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# Short and old spellings found in exports and news pages ("Agt", "Nopember", "Sept").
_MONTH_VARIANTS = {
    "pebruari": 2, "nopember": 11, "agt": 8, "ags": 8, "agu": 8, "agus": 8, "peb": 2,
    "nop": 11, "des": 12, "okt": 10, "sept": 9,
}  # fmt: skip
# Month names (Indonesian and English, full and three-letter) → month number.
MONTH_NUMBERS: dict[str, int] = {
    **{name.lower(): i for names in (MONTHS_ID, MONTHS_EN) for i, name in enumerate(names, 1)},
    **{name[:3].lower(): i for names in (MONTHS_ID, MONTHS_EN) for i, name in enumerate(names, 1)},
    **_MONTH_VARIANTS,
}
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
DEFAULT_TZ = "Asia/Jakarta"


def month_number(name: str) -> int | None:
    """``"November"``, ``"Nop"``, ``"agustus"``, ``"Aug."`` → 11, 11, 8, 8; None if unknown."""
    return MONTH_NUMBERS.get(name.strip().lower().rstrip("."))


def zone_abbreviation(tz_name: str) -> str:
    return ZONE_ABBREVIATIONS.get(tz_name, tz_name)


def to_local(value: datetime, tz_name: str = DEFAULT_TZ) -> datetime:
    """Convert an aware datetime to the office's zone (naive values are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(ZoneInfo(tz_name))


def format_date(
    value: date | datetime, lang: str = "id", *, weekday: bool = True, tz_name: str = DEFAULT_TZ
) -> str:
    """ "Rabu, 19 November 2025" (id) or "Wednesday, 19 November 2025" (en)."""
    if isinstance(value, datetime):
        value = to_local(value, tz_name).date()
    days, months = (DAYS_EN, MONTHS_EN) if lang.startswith("en") else (DAYS_ID, MONTHS_ID)
    text = f"{value.day} {months[value.month - 1]} {value.year}"
    return f"{days[value.weekday()]}, {text}" if weekday else text


def format_time(value: datetime, lang: str = "id", *, tz_name: str = DEFAULT_TZ) -> str:
    """ "10.00 WIB" (id) or "10:00 WIB" (en)."""
    local = to_local(value, tz_name)
    sep = ":" if lang.startswith("en") else "."
    return f"{local.hour:02d}{sep}{local.minute:02d} {zone_abbreviation(tz_name)}"


def format_datetime(
    value: datetime, lang: str = "id", *, weekday: bool = True, tz_name: str = DEFAULT_TZ
) -> str:
    """ "Rabu, 19 November 2025, 10.00 WIB"."""
    return (
        f"{format_date(value, lang, weekday=weekday, tz_name=tz_name)}, "
        f"{format_time(value, lang, tz_name=tz_name)}"
    )


def format_news_date(value: date | datetime, *, tz_name: str = DEFAULT_TZ) -> str:
    """News style "Rabu (19/11/2025)"."""
    if isinstance(value, datetime):
        value = to_local(value, tz_name).date()
    return f"{DAYS_ID[value.weekday()]} ({value.day:02d}/{value.month:02d}/{value.year})"


def format_duration(seconds: float, lang: str = "id") -> str:
    """A short duration: "2 jam 5 menit" / "2 h 5 min"; negative values are "-…"."""
    sign = "-" if seconds < 0 else ""
    seconds = abs(int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    units = ("hari", "jam", "menit") if not lang.startswith("en") else ("d", "h", "min")
    parts = []
    if days:
        parts.append(f"{days} {units[0]}")
    if hours:
        parts.append(f"{hours} {units[1]}")
    if minutes or not parts:
        parts.append(f"{minutes} {units[2]}")
    return sign + " ".join(parts[:2])

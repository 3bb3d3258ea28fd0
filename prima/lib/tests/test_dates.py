from datetime import UTC, date, datetime

from prima.lib.dates import (
    format_date,
    format_datetime,
    format_duration,
    format_news_date,
    format_time,
)


def test_it_formats_wib_datetime_in_indonesian():
    # 03.00 UTC is 10.00 WIB
    value = datetime(2025, 11, 19, 3, 0, tzinfo=UTC)
    assert format_datetime(value) == "Rabu, 19 November 2025, 10.00 WIB"


def test_it_formats_english():
    value = datetime(2025, 11, 19, 3, 0, tzinfo=UTC)
    assert format_datetime(value, "en") == "Wednesday, 19 November 2025, 10:00 WIB"


def test_it_crosses_midnight_into_local_day():
    value = datetime(2025, 11, 18, 18, 30, tzinfo=UTC)  # 01.30 WIB on the 19th
    assert format_date(value) == "Rabu, 19 November 2025"


def test_other_zones():
    value = datetime(2025, 11, 19, 3, 0, tzinfo=UTC)
    assert format_time(value, tz_name="Asia/Makassar") == "11.00 WITA"
    assert format_time(value, tz_name="Asia/Jayapura") == "12.00 WIT"


def test_news_style_and_plain_dates():
    assert format_news_date(date(2025, 11, 19)) == "Rabu (19/11/2025)"
    assert format_date(date(2026, 1, 4), weekday=False) == "4 Januari 2026"


def test_durations():
    assert format_duration(3900) == "1 jam 5 menit"
    assert format_duration(-120, "en") == "-2 min"
    assert format_duration(90000) == "1 hari 1 jam"


def test_month_names_read_in_both_languages_and_old_spellings():
    from prima.lib.dates import MONTHS_EN, MONTHS_ID, month_number

    for number, (indonesian, english) in enumerate(zip(MONTHS_ID, MONTHS_EN, strict=True), 1):
        assert month_number(indonesian) == month_number(english) == number
        assert month_number(indonesian[:3].upper()) == number
    assert [month_number(n) for n in ("Nopember", "Pebruari", "Agt", "Sept.", "mei")] == [
        11, 2, 8, 9, 5,
    ]  # fmt: skip
    assert month_number("Brumaire") is None

"""Template filters for Indonesian-style dates, times and money.

Loaded as a builtin: ``{{ value|tanggal }}``, ``{{ value|tanggal_jam }}``, ``{{ fee|rupiah }}``.
The active language decides Indonesian or English names; the zone defaults to WIB and can be
given: ``{{ value|tanggal_jam:office.timezone }}``.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils.translation import get_language

from prima.lib import dates, money

register = template.Library()


def _lang() -> str:
    return get_language() or "id"


@register.filter
def tanggal(value: date | datetime | None, tz_name: str = dates.DEFAULT_TZ) -> str:
    if not value:  # None or "" (a date is never false)
        return ""
    return dates.format_date(value, _lang(), tz_name=tz_name or dates.DEFAULT_TZ)


@register.filter
def tanggal_jam(value: datetime | None, tz_name: str = dates.DEFAULT_TZ) -> str:
    if not value:  # None or "" (a date is never false)
        return ""
    return dates.format_datetime(value, _lang(), tz_name=tz_name or dates.DEFAULT_TZ)


@register.filter
def jam(value: datetime | None, tz_name: str = dates.DEFAULT_TZ) -> str:
    if not value:  # None or "" (a date is never false)
        return ""
    return dates.format_time(value, _lang(), tz_name=tz_name or dates.DEFAULT_TZ)


@register.filter
def rupiah(value) -> str:
    if value in (None, ""):
        return ""
    return money.format_rupiah(value)


@register.filter
def angka(value, decimals: int = 0) -> str:
    if value in (None, ""):
        return ""
    return money.format_number(value, int(decimals))


@register.filter
def durasi(seconds) -> str:
    if seconds in (None, ""):
        return ""
    return dates.format_duration(float(seconds), _lang())

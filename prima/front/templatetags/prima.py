"""Template filters for Indonesian-style dates, times, numbers and money.

Loaded as a builtin: ``{{ value|tanggal }}``, ``{{ value|tanggal_jam }}``, ``{{ fee|rupiah }}``.
The active language decides Indonesian or English names; the zone defaults to WIB and can be
given: ``{{ value|tanggal_jam:office.timezone }}``.

A filter never breaks a page: a value it cannot format (a placeholder such as "–", text,
NaN, a wrong type) is shown as it is, and a bad argument falls back to the default. None
and "" give "".
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import get_language

from prima.lib import dates, masking, money, urls, useragent
from prima.organizations import links, policy

register = template.Library()
logger = logging.getLogger(__name__)


def _lang() -> str:
    return get_language() or "id"


def _shown_as_is(value: Any, formatter: Callable[[], str]) -> str:
    """``formatter()``, or the value as text when it cannot be formatted."""
    try:
        return formatter()
    except (ArithmeticError, InvalidOperation, ValueError, TypeError, AttributeError):
        if not isinstance(value, str):
            # A placeholder string is expected; anything else is worth a look.
            logger.warning("template filter could not format %r", value)
        return str(value)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | Decimal):
        return not (isinstance(value, Decimal) and not value.is_finite())
    if isinstance(value, float):
        return math.isfinite(value)
    return False


def _number(value: Any) -> Decimal | int | float:
    """A number from a number or numeric text ("1234", "12.5"); ValueError otherwise."""
    if _is_number(value):
        return value
    if isinstance(value, str):
        try:
            parsed = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(value) from None
        if parsed.is_finite():
            return parsed
    raise ValueError(value)


def _int_arg(arg: Any, default: int) -> int:
    try:
        return max(0, min(int(arg), 10))
    except (TypeError, ValueError):
        return default


def _zone(tz_name: Any) -> str:
    return tz_name if isinstance(tz_name, str) and tz_name else dates.DEFAULT_TZ


@register.filter
def pk_url(pk: Any, name: str) -> str:
    """``{{ row.pk|pk_url:"app:view-name" }}`` = ``{% url "app:view-name" row.pk %}`` for
    a URL with only an integer id, at a fraction of the cost (lists of rows)."""
    return urls.pk_url(name, int(pk))


@register.filter
def tanggal(value: date | datetime | None, tz_name: str = dates.DEFAULT_TZ) -> str:
    if not value:  # None or "" (a date is never false)
        return ""
    return _shown_as_is(value, lambda: dates.format_date(value, _lang(), tz_name=_zone(tz_name)))


@register.filter
def tanggal_jam(value: datetime | None, tz_name: str = dates.DEFAULT_TZ) -> str:
    if not value:  # None or "" (a date is never false)
        return ""
    return _shown_as_is(
        value, lambda: dates.format_datetime(value, _lang(), tz_name=_zone(tz_name))
    )


@register.filter
def jam(value: datetime | None, tz_name: str = dates.DEFAULT_TZ) -> str:
    if not value:  # None or "" (a date is never false)
        return ""
    return _shown_as_is(value, lambda: dates.format_time(value, _lang(), tz_name=_zone(tz_name)))


@register.filter
def rupiah(value: Any) -> str:
    if value in (None, ""):
        return ""
    return _shown_as_is(value, lambda: money.format_rupiah(_number(value)))


@register.filter
def angka(value: Any, decimals: Any = 0) -> str:
    if value in (None, ""):
        return ""
    return _shown_as_is(value, lambda: money.format_number(_number(value), _int_arg(decimals, 0)))


@register.filter
def durasi(seconds: Any) -> str:
    if seconds in (None, ""):
        return ""
    return _shown_as_is(seconds, lambda: dates.format_duration(float(_number(seconds)), _lang()))


@register.simple_tag(takes_context=True)
def page_links(context: template.Context, page: str, obj: Any) -> list[Any]:
    """Links that higher apps add to ``page`` about ``obj`` (``prima.organizations.links``):
    ``{% page_links "conference" conference as links %}``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return links.links(page, obj, user) if user is not None else []


# --- Personal contact data ---------------------------------------------------------------


@register.filter
def mask_phone(value: Any) -> str:
    """``{{ contact.phone|mask_phone }}`` → "0812****5678" (lists never show a full number)."""
    return masking.mask_phone(value if isinstance(value, str) else None)


@register.filter
def mask_email(value: Any) -> str:
    """``{{ contact.email|mask_email }}`` → "ra***@tempo.co"."""
    return masking.mask_email(value if isinstance(value, str) else None)


@register.filter
def mask_contacts(value: Any) -> str:
    """``{{ report.message|mask_contacts }}``: free text with its e-mail addresses and
    phone numbers masked (list excerpts of public reports)."""
    return masking.mask_in_text(value if isinstance(value, str) else None)


@register.simple_tag(takes_context=True)
def personal(context: template.Context, obj: Any, field: str) -> str:
    """``{% personal contact "phone" %}``: the full value for a user whose roles carry
    ``personal_data.view`` in the object's office, masked for everyone else."""
    value = getattr(obj, field, "") or ""
    try:
        allowed = policy.can(context.get("user"), "personal_data.view", policy.office_of(obj))
    except TypeError:  # an object without an office: nobody gets the full value here
        allowed = False
    return str(value) if allowed else masking.mask_contact(str(value))


@register.filter
def device(user_agent: Any) -> str:
    """``{{ session.user_agent|device }}`` → "Chrome · Android" ("" when unknown)."""
    return useragent.describe(user_agent if isinstance(user_agent, str) else None)

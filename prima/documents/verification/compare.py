"""Whether a figure of a draft says the same as a figure of a fact.

Values are compared as the draft writes them: a rounded draft figure ("1,6 juta", "71%")
agrees with a precise fact (1.612.405, 70,8%) when the fact rounds to it. Durations are
compared in one unit ("2 x 24 jam" = 2 days = 48 hours); working days are their own unit,
and "4 hari" against "4 hari kerja" is a unit mismatch rather than a contradiction. A range
agrees with a fact when its upper bound is the fact ("3–4 hari kerja" for 4 working days).
Dates written without a year take the year that puts them nearest the day checked.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from prima.lib.figures import Figure, Kind


class Verdict(Enum):
    AGREE = "agree"
    DISAGREE = "disagree"
    UNIT = "unit"  # same number, different unit (days / working days)
    NONE = "none"  # not comparable (other kind, currency, unit, noun)


_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}
_PEOPLE = {"orang", "people", "persons", "person", ""}
_ZONES = {"WIB": 7, "WITA": 8, "WIT": 9, "UTC": 0, "GMT": 0}


def zone_offset(zone: str, default: str) -> int | None:
    """Hours ahead of UTC for a written zone ("WIB" → 7, "UTC+7" → 7); ``default`` for
    none or "local"."""
    if not zone or zone == "local":
        zone = default
    if zone in _ZONES:
        return _ZONES[zone]
    m = re.fullmatch(r"(?:UTC|GMT)([+-])(\d{1,2})", zone)
    if m:
        return int(m.group(2)) * (1 if m.group(1) == "+" else -1)
    return None


def _round_like(value: Decimal, model: Decimal, *, significant: bool) -> Decimal:
    """``value`` rounded as precisely as ``model`` is written."""
    if model == 0:
        return value
    if significant:
        digits = len(model.normalize().as_tuple().digits)
        shift = value.adjusted() - digits + 1
        quantum = Decimal(1).scaleb(max(shift, 0))
    else:
        exponent = model.normalize().as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        quantum = Decimal(1).scaleb(-places)
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def _same_number(draft: Figure, fact: Figure, a: Decimal, b: Decimal) -> bool:
    if a == b:
        return True
    if draft.scaled and not fact.scaled:
        return _round_like(b, a, significant=True) == a
    if draft.kind == Kind.PERCENT:
        return _round_like(b, a, significant=False) == a
    return False


def _unit_key(unit: str) -> tuple[str, int]:
    if unit in _SECONDS:
        return "time", _SECONDS[unit]
    return unit, 1


def _noun(unit: str) -> str:
    unit = unit.lower()
    return unit[:-1] if len(unit) > 3 and unit.endswith("s") and unit.isascii() else unit


def full_date(figure: Figure, day: date) -> date | None:
    """The day a date figure names, taking the year nearest ``day`` when none is written."""
    if not figure.valid or figure.day is None or figure.month is None:
        return None
    if figure.year:
        return date(figure.year, figure.month, figure.day)
    best: date | None = None
    for year in (day.year - 1, day.year, day.year + 1):
        try:
            candidate = date(year, figure.month, figure.day)
        except ValueError:
            continue
        if best is None or abs((candidate - day).days) < abs((best - day).days):
            best = candidate
    return best


def _bounds(figure: Figure, factor: Decimal) -> tuple[Decimal, Decimal]:
    low = (figure.value or Decimal(0)) * factor
    high = (figure.upper * factor) if figure.upper is not None else low
    return low, high


def compare(draft: Figure, fact: Figure, *, day: date, zone: str = "WIB") -> Verdict:
    if draft.kind != fact.kind:
        return Verdict.NONE
    kind = draft.kind
    if kind == Kind.DATE:
        da, db = full_date(draft, day), full_date(fact, day)
        if da is None or db is None:
            return Verdict.NONE
        return Verdict.AGREE if da == db else Verdict.DISAGREE
    if kind == Kind.TIME:
        za, zb = zone_offset(draft.zone, zone), zone_offset(fact.zone, zone)
        if za is None or zb is None or draft.hour is None or fact.hour is None:
            return Verdict.NONE
        ma = (draft.hour - za) * 60 + (draft.minute or 0)
        mb = (fact.hour - zb) * 60 + (fact.minute or 0)
        return Verdict.AGREE if ma % 1440 == mb % 1440 else Verdict.DISAGREE
    if draft.value is None or fact.value is None:
        return Verdict.NONE
    if kind == Kind.MONEY:
        if draft.unit != fact.unit:
            return Verdict.NONE
        return (
            Verdict.AGREE
            if _same_number(draft, fact, draft.value, fact.value)
            else Verdict.DISAGREE
        )
    if kind == Kind.COUNT:
        na, nb = _noun(draft.unit), _noun(fact.unit)
        if na != nb and na not in _PEOPLE and nb not in _PEOPLE:
            return Verdict.NONE
    factor_a = factor_b = Decimal(1)
    if kind == Kind.DURATION:
        (ua, fa), (ub, fb) = _unit_key(draft.unit), _unit_key(fact.unit)
        if ua != ub:
            days = {("working_days", "time"), ("time", "working_days")}
            if (ua, ub) in days and 86400 in (fa, fb):
                same = draft.value == fact.value and draft.upper == fact.upper
                return Verdict.UNIT if same else Verdict.DISAGREE
            return Verdict.NONE
        factor_a, factor_b = Decimal(fa), Decimal(fb)
    a_low, a_high = _bounds(draft, factor_a)
    b_low, b_high = _bounds(fact, factor_b)
    if draft.upper is None and fact.upper is None:
        return Verdict.AGREE if _same_number(draft, fact, a_low, b_low) else Verdict.DISAGREE
    # A range agrees when it ends at the fact (the fact is the most it takes).
    if _same_number(draft, fact, a_high, b_high) and (draft.upper is not None or a_low == b_high):
        return Verdict.AGREE
    return Verdict.DISAGREE

"""Template filters of the crisis pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils.translation import get_language

from prima.lib import dates

from .. import playbook, responders
from ..forms import factor_label

register = template.Library()


@register.filter
def lamanya(value: timedelta | None) -> str:
    """A duration as people say it ("1 jam 5 menit")."""
    if value is None:
        return ""
    seconds = max(0.0, value.total_seconds())
    if seconds < 60:
        seconds = 60.0 if seconds else 0.0
    return dates.format_duration(seconds, get_language() or "id")


@register.filter
def target_minutes(minutes: Any) -> str:
    if minutes in (None, ""):
        return ""
    return dates.format_duration(float(minutes) * 60, get_language() or "id")


@register.filter
def level_class(level: Any) -> str:
    return f"crisis-level-{int(level)}" if level not in (None, "") else ""


@register.filter
def factor(code: str) -> str:
    return factor_label(code)


@register.filter
def responder(code: str) -> str:
    return responders.label(code)


@register.filter
def action_label(code: str) -> str:
    return playbook.action_label(code)


@register.filter
def percent(value: Any) -> str:
    if value in (None, ""):
        return "—"
    return f"{round(float(value) * 100):d}%"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return ""


@register.filter
def timing_state(timing: Any, now: Any) -> str:
    """``met``, ``missed`` or ``waiting`` (CSS class of a timing box)."""
    met = timing.met(now)
    if met is True:
        return "met"
    if met is False:
        return "missed"
    return "waiting" if timing.start is not None else ""

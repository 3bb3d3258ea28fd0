"""Template tags of the conference pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from ..forms import LocalDateTimeField

register = template.Library()

# Rendered fields of the blank forms that render alike (see ``form_fields``), per form
# class, language and time zones: a handful of entries per process.
_blank: dict[tuple, SafeString] = {}
_MAX_BLANK = 256


def _fields(form: Any) -> SafeString:
    return SafeString(render_to_string("conferences/_form_fields.html", {"form": form}))


@register.simple_tag
def form_fields(form: Any) -> SafeString:
    """The form's fields as ``_form.html`` lays them out. A blank form (not bound, no
    initial data) of a class marked ``renders_alike`` (its choices are not read from the
    database) looks the same every time: it is rendered once per language and time zone in
    each process — Django's form rendering costs about half a millisecond a field."""
    if not getattr(form, "renders_alike", False) or form.is_bound or form.initial:
        return _fields(form)
    zones = tuple(
        field.tz_name for field in form.fields.values() if isinstance(field, LocalDateTimeField)
    )
    key = (type(form), get_language(), zones)
    html = _blank.get(key)
    if html is None:
        if len(_blank) >= _MAX_BLANK:
            _blank.clear()
        html = _blank[key] = _fields(form)
    return html

"""Date and time form fields that say which format they expect.

Browsers draw ``<input type="date">`` in the format of their own language (an English
browser shows "mm/dd/yyyy" on an Indonesian page, and 05/12 is then read as 12 May).
These fields are plain text inputs in the Indonesian order — ``dd/mm/yyyy`` and
``dd/mm/yyyy hh.mm`` — with the format as the placeholder and an example under the field,
in the user's language. They also accept ISO dates (``2025-11-19``, ``2025-11-19T10:00``),
which links and API clients use.

Used by the forms of every app (a foundation helper, like the policy).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H.%M"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H.%M",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H.%M",
    "%d-%m-%Y %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
]


class DateInput(forms.DateInput):
    """A text input for dd/mm/yyyy, its format as the placeholder."""

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        attrs = {
            "placeholder": pgettext_lazy("date format", "dd/mm/yyyy"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": 12,
            **(attrs or {}),
        }
        super().__init__(attrs, format=format or DATE_FORMAT)


class DateTimeInput(forms.DateTimeInput):
    """A text input for dd/mm/yyyy hh.mm, its format as the placeholder."""

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        attrs = {
            "placeholder": pgettext_lazy("date format", "dd/mm/yyyy hh.mm"),
            "autocomplete": "off",
            "size": 18,
            **(attrs or {}),
        }
        super().__init__(attrs, format=format or DATETIME_FORMAT)


DATE_HELP = _("Day/month/year, e.g. 19/11/2025.")
DATETIME_HELP = _("Day/month/year and time, e.g. 19/11/2025 10.00.")


class DateField(forms.DateField):
    """A date in the Indonesian order; says so in its help text."""

    widget = DateInput
    default_error_messages = {
        "invalid": _("Enter the date as day/month/year, e.g. 19/11/2025."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("help_text", DATE_HELP)
        super().__init__(*args, **kwargs)


class DateTimeField(forms.DateTimeField):
    """A date and time in the Indonesian order; says so in its help text."""

    widget = DateTimeInput
    default_error_messages = {
        "invalid": _(
            "Enter the date and time as day/month/year hour.minute, e.g. 19/11/2025 10.00."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATETIME_INPUT_FORMATS)
        kwargs.setdefault("help_text", DATETIME_HELP)
        super().__init__(*args, **kwargs)

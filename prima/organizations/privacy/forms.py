"""The breach form: the affected records, data and people are chosen from the record of
processing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import datefields
from . import record
from .declarations import DataCategory, Subject
from .models import Breach


def record_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The kinds of record holding personal data, grouped by processing activity."""
    return [(str(a.activity.label), [(e.label, e.name) for e in a.entries]) for a in record.build()]


class BreachForm(forms.ModelForm[Breach]):
    discovered_at = datefields.DateTimeField(label=_("Discovered"))
    occurred_at = datefields.DateTimeField(label=_("Happened (if known)"), required=False)
    records = forms.MultipleChoiceField(
        label=_("Kinds of record affected"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the record of processing."),
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Personal data affected"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=DataCategory.choices,
    )
    subjects = forms.MultipleChoiceField(
        label=_("Data subjects affected"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=Subject.choices,
    )

    class Meta:
        model = Breach
        fields = (
            "title",
            "discovered_at",
            "occurred_at",
            "description",
            "records",
            "data_categories",
            "subjects",
            "systems",
            "estimated_people",
            "consequences",
            "measures",
            "contact",
        )
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "consequences": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "contact": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        records = self.fields["records"]
        assert isinstance(records, forms.MultipleChoiceField)  # noqa: S101 - declared above
        records.choices = record_choices()
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("discovered_at", timezone.localtime())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        discovered, occurred = data.get("discovered_at"), data.get("occurred_at")
        if discovered and discovered > timezone.now() + timedelta(minutes=5):
            self.add_error("discovered_at", _("The discovery cannot be in the future."))
        if discovered and occurred and occurred > discovered:
            self.add_error("occurred_at", _("It cannot have happened after it was discovered."))
        return data


class NoticeForm(forms.ModelForm[Breach]):
    """The two notifications, as edited before they are sent."""

    class Meta:
        model = Breach
        fields = ("notice_subjects", "notice_authority")
        widgets = {
            "notice_subjects": forms.Textarea(attrs={"rows": 18}),
            "notice_authority": forms.Textarea(attrs={"rows": 18}),
        }

"""Forms of the data-subject request pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prima.organizations import datefields
from prima.organizations.models import Office

from .request_models import DataSubjectRequest, RequestStatus


class RequestForm(forms.ModelForm[DataSubjectRequest]):
    received_at = datefields.DateTimeField(label=_("received"))

    class Meta:
        model = DataSubjectRequest
        fields = [
            "office",
            "kind",
            "subject_kind",
            "subject_query",
            "requester",
            "requester_contact",
            "identification",
            "details",
            "received_at",
        ]
        widgets = {"details": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office_field = cast(forms.ModelChoiceField[Office], self.fields["office"])
        office_field.queryset = offices
        first = offices.first()
        if first is not None and offices.count() == 1:
            self.initial.setdefault("office", first.pk)
        self.initial.setdefault(
            "received_at", timezone.localtime().replace(second=0, microsecond=0)
        )

    def clean_received_at(self) -> Any:
        value = self.cleaned_data["received_at"]
        if value and value > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("A request cannot be received in the future."))
        return value


class CorrectionForm(forms.Form):
    old = forms.CharField(label=_("Wrong value"), max_length=300)
    new = forms.CharField(label=_("Correct value"), max_length=300)


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I checked the list above: erase or pseudonymise the person's data as shown."),
        required=True,
    )
    outcome = forms.CharField(
        label=_("What the person is told"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (RequestStatus.COMPLETED, RequestStatus.COMPLETED.label),
            (RequestStatus.REFUSED, RequestStatus.REFUSED.label),
        ],
    )
    outcome = forms.CharField(
        label=_("What the person is told"), widget=forms.Textarea(attrs={"rows": 3})
    )

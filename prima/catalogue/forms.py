"""Forms of the catalogue pages. They only collect values: the rules are in
:mod:`prima.catalogue.services`, which the views call with ``cleaned_data``."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from prima.organizations.models import Office

from .models import Category, DurationUnit, FeeUnit, ServiceVersion
from .services import LIST_FIELDS, version_content

LINES_HELP = _("One per line.")


def _lines(label: Any, *, required: bool = False, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=LINES_HELP,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class VersionForm(forms.Form):
    """The content of a service version (fees come in :data:`FeeFormSet`)."""

    name = forms.CharField(label=_("Name (Indonesian)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    effective_from = forms.DateField(
        label=_("In force from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date from which the public page shows this version."),
    )
    summary = forms.CharField(
        label=_("Summary (Indonesian)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    summary_en = forms.CharField(
        label=_("Summary (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    requirements = _lines(_("Requirements"), required=True, rows=6)
    requirements_en = _lines(_("Requirements (English)"), rows=6)
    procedure = _lines(_("Procedure (one step per line)"), required=True, rows=6)
    procedure_en = _lines(_("Procedure (English)"), rows=6)
    duration_value = forms.IntegerField(label=_("Completion time"), min_value=1, max_value=10000)
    duration_unit = forms.ChoiceField(label=_("Unit"), choices=DurationUnit.choices)
    duration_note = forms.CharField(label=_("Note on the time"), max_length=300, required=False)
    legal_basis = forms.CharField(
        label=_("Legal basis of the fees"),
        max_length=300,
        help_text=_("e.g. PP No. 45 Tahun 2024"),
    )
    product = forms.CharField(label=_("Product (Indonesian)"), max_length=300)
    product_en = forms.CharField(label=_("Product (English)"), max_length=300, required=False)
    complaint_channels = _lines(_("Complaint channels"), required=True, rows=3)
    rights = _lines(_("Rights of the applicant"), required=True)
    rights_en = _lines(_("Rights (English)"))
    obligations = _lines(_("Obligations of the applicant"), required=True)
    obligations_en = _lines(_("Obligations (English)"))
    change_note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("Shown in the public history, e.g. new fees under PP No. 45 Tahun 2024."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_from(cls, version: ServiceVersion) -> dict[str, Any]:
        content, _fees = version_content(version)
        initial = dict(content)
        for name in LIST_FIELDS:
            initial[name] = "\n".join(content[name])
        initial["revision"] = version.revision
        return initial

    def content(self) -> dict[str, Any]:
        """The cleaned values as :func:`prima.catalogue.services.clean_content` takes them."""
        data = dict(self.cleaned_data)
        data.pop("revision", None)
        return data


class FeeForm(forms.Form):
    label = forms.CharField(label=_("Fee (Indonesian)"), max_length=200, required=False)
    label_en = forms.CharField(label=_("Fee (English)"), max_length=200, required=False)
    amount = forms.CharField(
        label=_("Amount"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "350.000"}),
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="IDR", required=False)
    unit = forms.ChoiceField(label=_("Unit"), choices=FeeUnit.choices, required=False)
    legal_basis = forms.CharField(
        label=_("Legal basis (if different)"), max_length=300, required=False
    )
    code = forms.SlugField(label=_("Code"), max_length=80, required=False)
    is_surcharge = forms.BooleanField(label=_("On top of another fee"), required=False)


FeeFormSet = forms.formset_factory(FeeForm, extra=2, can_delete=True, max_num=30)


def fee_initial(version: ServiceVersion) -> list[dict[str, Any]]:
    _content, fees = version_content(version)
    for fee in fees:
        fee["amount"] = f"{fee['amount']:f}".rstrip("0").rstrip(".")
    return fees


def fees_from(formset: Any) -> list[dict[str, Any]]:
    """The filled rows of a valid fee formset (deleted and empty rows left out)."""
    fees = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        if not (data.get("label") or data.get("amount")):
            continue
        fees.append({k: v for k, v in data.items() if k != "DELETE"})
    return fees


class ServiceForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    code = forms.SlugField(
        label=_("Code"),
        max_length=80,
        help_text=_("Short name in the page address, e.g. paspor-biasa."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0, required=False)

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Office]", self.fields["office"])
        field.queryset = offices
        if offices.count() == 1:
            field.initial = offices.first()


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 3})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RevisionForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

"""Forms of the portal. They only collect values; the rules are in :mod:`.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import InquiryKind, PublicationKind


class InquiryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to send?"), choices=InquiryKind.choices, widget=forms.RadioSelect
    )
    service = forms.TypedChoiceField(
        label=_("Which service is it about? (optional)"), required=False, coerce=int,
        empty_value=None,
    )  # fmt: skip
    message = forms.CharField(
        label=_("Your message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 4000}),
        help_text=_("For a report: when, where, what happened, how much was asked."),
    )
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone or WhatsApp (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A honeypot: hidden from people (CSS and aria-hidden), filled in by robots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, services: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 - declared above
        field.choices = [("", _("— none in particular —")), *services]


class ReleaseForm(forms.Form):
    material_version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Publish as"),
        choices=[c for c in PublicationKind.choices if c[0] != PublicationKind.STORY],
    )
    title = forms.CharField(label=_("Public title"), max_length=300, required=False)
    lead = forms.CharField(
        label=_("Lead"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    lead = forms.CharField(
        label=_("Lead"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(label=_("Story"), widget=forms.Textarea(attrs={"rows": 10}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it withdrawn?"), widget=forms.Textarea(attrs={"rows": 2})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RevisionForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Public answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Anyone with the reference number can read it: no personal data."),
    )
    close = forms.BooleanField(label=_("Close the case with this answer"), required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AnnounceForm(forms.Form):
    conference = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Public title"), max_length=300)
    note = forms.CharField(
        label=_("Note for journalists"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProfileForm(forms.Form):
    introduction = forms.CharField(
        label=_("Introduction (Indonesian)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    introduction_en = forms.CharField(
        label=_("Introduction (English)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    press_contact_name = forms.CharField(label=_("Press contact"), max_length=200, required=False)
    press_contact_title = forms.CharField(label=_("Title"), max_length=200, required=False)
    press_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    press_whatsapp = forms.CharField(label=_("WhatsApp"), max_length=40, required=False)
    press_email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    press_hours = forms.CharField(label=_("Hours"), max_length=200, required=False)
    report_channels = forms.CharField(
        label=_("Where else to report extortion or brokers"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One per line."),
    )  # fmt: skip

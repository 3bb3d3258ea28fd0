"""Forms of the media-relations pages: the media-contacts register, the spokesperson
registry and delegations. They only read input; the workflow's register functions
(``save_media_contact``, ``save_spokesperson``, ``grant_delegation``) check the rules, the
policy and write the audit entry, as they do for the admin site."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from prima.organizations.datefields import DateField, DateTimeField
from prima.organizations.forms import model_choice
from prima.organizations.models import Office, User

from .models import DelegatedRight, IssueLevel, MediaType, Topic


class OfficeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Office) -> str:
        return obj.short_name or obj.name


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.title})" if obj.title else str(obj)


class RegisterForm(forms.Form):
    """A register row: the office it belongs to (when the person manages several) and the
    version they saw (an edit made meanwhile by someone else is refused)."""

    office = OfficeField(label=_("Office"), queryset=Office.objects.none(), empty_label=None)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, offices: QuerySet[Office] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if offices is None:
            del self.fields["office"]
        else:
            model_choice(self, "office").queryset = offices

    def values(self, names: set[str]) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in names}


class ContactFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    media_type = forms.ChoiceField(
        label=_("Media type"), required=False, choices=[("", _("All")), *MediaType.choices]
    )
    office = OfficeField(
        label=_("Office"), required=False, queryset=Office.objects.none(), empty_label=_("All")
    )
    inactive = forms.BooleanField(label=_("Also inactive"), required=False)

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "office").queryset = offices
        if offices.count() < 2:
            del self.fields["office"]


class MediaContactForm(RegisterForm):
    journalist = forms.CharField(label=_("Journalist"), max_length=200)
    outlet = forms.CharField(label=_("Outlet"), max_length=200)
    media_type = forms.ChoiceField(label=_("Media type"), choices=MediaType.choices)
    beat = forms.CharField(
        label=_("Beat"),
        max_length=200,
        required=False,
        help_text=_("e.g. law and crime, aviation, public services"),
    )
    phone = forms.CharField(
        label=_("Phone / WhatsApp"),
        max_length=40,
        required=False,
        help_text=_("e.g. 0812-1000-2001 or +62 812 1000 2001"),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    dewan_pers_verified = forms.BooleanField(
        label=_("Outlet verified by Dewan Pers"), required=False
    )
    last_contact_on = DateField(label=_("Last contact"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class SpokespersonForm(RegisterForm):
    user = PersonField(
        label=_("PRIMA account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Empty for a spokesperson without a PRIMA account."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("As written in the decree; taken from the account when empty."),
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    decree_number = forms.CharField(label=_("Decree number (Surat Keputusan)"), max_length=120)
    decree_date = DateField(label=_("Decree date"), required=False)
    valid_from = DateField(label=_("Valid from"))
    valid_until = DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("Day/month/year; empty: until revoked."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    levels = forms.MultipleChoiceField(
        label=_("Issue levels"), choices=IssueLevel.choices, widget=forms.CheckboxSelectMultiple
    )
    last_media_training_on = DateField(label=_("Last media training"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "user").queryset = people


class DelegationForm(RegisterForm):
    delegate = PersonField(label=_("Delegate"), queryset=User.objects.none())
    right = forms.ChoiceField(
        label=_("Right"), choices=DelegatedRight.choices, initial=DelegatedRight.APPROVE_MATERIAL
    )
    valid_from = DateTimeField(label=_("From"))
    valid_until = DateTimeField(label=_("Until"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("e.g. head of office on official travel"),
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "delegate").queryset = people

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .datefields import DateField
from .middleware import client_ip
from .throttle import is_busy, is_locked


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The model-choice field ``name`` of ``form`` (typed, to set its queryset)."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The choice field ``name`` of ``form`` (typed, to set its choices)."""
    return cast(forms.ChoiceField, form.fields[name])


def label_choices(form: forms.BaseForm, name: str, label: Callable[[Any], str]) -> None:
    """Show the choices of the model-choice field ``name`` of ``form`` with ``label``."""
    # An instance attribute in place of the method (Django documents this use).
    setattr(model_choice(form, name), "label_from_instance", label)


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The user name or password is wrong. Both are case-sensitive."),
        "locked": _(
            "Too many failed log-in attempts. Log-in is locked for %(minutes)s minutes; "
            "ask your administrator if you forgot your password."
        ),
        "busy": _("Many people are logging in right now. Please try again in a few seconds."),
    }

    def clean(self) -> dict[str, Any]:
        from django.conf import settings

        username = self.cleaned_data.get("username")
        if username and is_locked(username, client_ip(self.request) if self.request else None):
            # Still record the attempt and refuse it through the backend.
            try:
                super().clean()
            except ValidationError:
                pass
            raise ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        try:
            return super().clean()
        except ValidationError:
            if is_busy(self.request):
                raise ValidationError(self.error_messages["busy"], code="busy") from None
            raise


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=100)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)


class CodeForm(forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class ResetTwoFactorForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('e.g. "Phone lost, confirmed by phone call with the person on 5 Dec"'),
    )

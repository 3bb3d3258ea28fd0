"""Back-office admin. Access, querysets and every save go through the policy and the
audit trail, exactly as the pages do; audit entries are read-only here."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import accounts, audit, policy, reauth, twofactor
from .models import (
    ApiToken,
    AuditEntry,
    LoginFailure,
    Membership,
    Office,
    Role,
    TwoFactorRequirement,
    User,
)

_M = TypeVar("_M", bound=models.Model)


class PolicyAdmin(admin.ModelAdmin[_M]):
    """A ModelAdmin whose permissions come from ``policy`` and whose saves are audited.

    ``policy_action`` is the action needed to see and change objects here; ``office_field``
    the foreign key that places an object in an office ("" for Office itself).
    """

    policy_action = "office.change"
    office_field = "office"
    audit_kind = ""
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    allow_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[_M]:
        q = policy.office_q(request.user, self.policy_action, self.office_field)
        if self.office_field and policy.can_at_top(request.user, self.policy_action):
            # Objects without an office (e.g. an account made with createsuperuser) belong
            # to the top of the tree.
            q |= Q(**{f"{self.office_field}__isnull": True})
        return super().get_queryset(request).filter(q)

    def _office(self, obj: models.Model) -> Office | None:
        """The office that governs ``obj`` (follows ``office_field``; None = the top)."""
        value: Any = obj
        for part in self.office_field.split("__") if self.office_field else ():
            value = getattr(value, part, None)
            if value is None:
                return None
        return value if isinstance(value, Office) else None

    def _may_act_in(self, request: HttpRequest, office: Office | None) -> bool:
        if office is None:
            return policy.can_at_top(request.user, self.policy_action)
        return policy.can(request.user, self.policy_action, office)

    def _allowed(self, request: HttpRequest, obj: _M | None = None) -> bool:
        if obj is None:
            return policy.can_anywhere(request.user, self.policy_action)
        return self._may_act_in(request, self._office(obj))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return self.allow_delete and self._allowed(request, obj)

    def _kind(self, obj: models.Model) -> str:
        return self.audit_kind or str(obj._meta.model_name)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        # Choices are limited to what the policy lets this person manage, so a regional
        # administrator cannot attach people or offices to another region.
        if db_field.related_model is Office:
            kwargs["queryset"] = policy.offices(request.user, self.policy_action)
        elif db_field.related_model is User:
            kwargs["queryset"] = policy.scope(request.user, self.policy_action, User.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _check_save(self, request: HttpRequest, obj: _M, change: bool) -> None:
        """Refuse (403) saving ``obj`` where the policy does not allow it: the stored
        object's office before the change, and the office it is placed in after it (for an
        office that is created or moved: its parent; None = the top of the tree)."""
        stored = type(obj)._default_manager.get(pk=obj.pk) if change else None
        if stored is not None and not self._may_act_in(request, self._office(stored)):
            raise PermissionDenied
        target: Office | None
        if isinstance(obj, Office):
            moved = stored is None or getattr(stored, "parent_id", None) != obj.parent_id
            target = obj.parent if moved else obj
        else:
            target = self._office(obj)
        if not self._may_act_in(request, target):
            raise PermissionDenied

    def save_model(self, request: HttpRequest, obj: _M, form: Any, change: bool) -> None:
        self._check_save(request, obj, change)
        with transaction.atomic():
            before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            audit.log(
                request.user,
                f"{self._kind(obj)}.{'update' if change else 'create'}",
                obj,
                before=before,
                after=audit.snapshot(obj),
            )

    def delete_model(self, request: HttpRequest, obj: _M) -> None:
        audit.log_deletion(request.user, f"{self._kind(obj)}.delete", obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[_M]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                # Deleted rows skip form validation (and so the limited choices): a role
                # held outside the user's scope must not be taken away either.
                office = getattr(obj, "office", None)
                if isinstance(office, Office) and not policy.can(
                    request.user, self.policy_action, office
                ):
                    raise PermissionDenied
                audit.log_deletion(request.user, f"{obj._meta.model_name}.delete", obj)
            for obj in instances:
                is_new = obj.pk is None
                before = (
                    None if is_new else audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
                )
                obj.save()
                audit.log(
                    request.user,
                    f"{obj._meta.model_name}.{'create' if is_new else 'update'}",
                    obj,
                    before=before,
                    after=audit.snapshot(obj),
                )
            formset.save_m2m()


@admin.register(Office)
class OfficeAdmin(PolicyAdmin[Office]):
    policy_action = "office.change"
    office_field = ""
    list_display = ["name", "short_name", "code", "level", "parent", "timezone", "is_active"]
    list_filter = ["level", "is_active", "timezone"]
    search_fields = ["name", "short_name", "code", "city"]
    autocomplete_fields = ["parent"]

    def get_form(
        self, request: HttpRequest, obj: Office | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Office]]:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.parent_id and "parent" in form.base_fields:
            # Keep the current parent selectable: a regional administrator edits their
            # regional office although its parent (the DG) is outside their scope.
            field = form.base_fields["parent"]
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                field.queryset = field.queryset | Office.objects.filter(pk=obj.parent_id)
        return form


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    autocomplete_fields = ["office"]

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.related_model is Office:
            kwargs["queryset"] = policy.offices(request.user, "user.manage")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_anywhere(request.user, "user.manage")

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class ReauthAdmin(admin.ModelAdmin[_M]):
    """A ModelAdmin whose changes are sensitive: saving, deleting and bulk actions need a
    fresh confirmation of identity (``prima.organizations.reauth``); with
    ``reauth_to_open`` the change and delete forms ask for it before they open, so that
    nothing typed is lost."""

    reauth_to_open = False

    def _needs_reauth(self, request: HttpRequest, *, form: bool) -> bool:
        asks = request.method == "POST" or (form and self.reauth_to_open)
        return asks and not reauth.is_fresh(request)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if self._needs_reauth(request, form=False):
            return reauth.redirect_to_reauth(request)
        return super().changelist_view(request, extra_context)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if self._needs_reauth(request, form=True):
            return reauth.redirect_to_reauth(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if self._needs_reauth(request, form=True):
            return reauth.redirect_to_reauth(request)
        return super().delete_view(request, object_id, extra_context)


@admin.register(User)
class UserAdmin(ReauthAdmin[User], PolicyAdmin[User], DjangoUserAdmin[User]):
    policy_action = "user.manage"
    office_field = "office"
    audit_kind = "user"
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "title", "office", "is_active", "last_login"]
    list_filter = ["is_active", "office", "memberships__role"]
    search_fields = ["username", "full_name", "email", "title"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "email", "phone", "office")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
        (_("Two-step verification"), {"fields": ("two_factor",)}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "office", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined", "two_factor"]
    # Roles are given and taken here (the membership inline): the form opens only after a
    # recent second factor (or password).
    reauth_to_open = True
    actions = [
        "deactivate_selected",
        "reactivate_selected",
        "reset_password_selected",
        "end_sessions_selected",
    ]

    @admin.display(description=_("Two-step verification"))
    def two_factor(self, obj: User) -> str:
        if obj.pk is None:
            return "—"
        status = _("On") if twofactor.has_device(obj) else _("Off")
        url = reverse("twofactor-reset", args=[obj.pk])
        return format_html('{} · <a href="{}">{}</a>', status, url, _("Reset"))

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """A change of *active* goes through the lifecycle functions (sessions end and API
        tokens are revoked on deactivation, audited once); the rest is saved as usual."""
        if not change or "is_active" not in getattr(form, "changed_data", ()):
            super().save_model(request, obj, form, change)
            return
        wanted = obj.is_active
        obj.is_active = not wanted
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            actor = accounts.acting_user(request)
            try:
                if wanted:
                    accounts.reactivate(actor, obj)
                else:
                    accounts.deactivate(actor, obj)
            except accounts.AccountError as error:
                messages.error(request, error.message)

    @admin.action(description=_("Deactivate the selected people"))
    def deactivate_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = accounts.acting_user(request)
        for user in queryset.filter(is_active=True):
            try:
                accounts.deactivate(actor, user)
            except accounts.AccountError as error:
                messages.error(request, f"{user}: {error.message}")

    @admin.action(description=_("Reactivate the selected people"))
    def reactivate_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = accounts.acting_user(request)
        for user in queryset.filter(is_active=False):
            accounts.reactivate(actor, user)

    @admin.action(description=_("Reset the password (e-mail a link to choose a new one)"))
    def reset_password_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = accounts.acting_user(request)
        for user in queryset:
            try:
                accounts.reset_password_by_admin(actor, user)
            except accounts.AccountError as error:
                messages.error(request, f"{user}: {error.message}")

    @admin.action(description=_("Sign the selected people out of all devices"))
    def end_sessions_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = accounts.acting_user(request)
        for user in queryset:
            accounts.end_sessions(actor, user)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's password form, audited as ``user.password_change`` (no hash logged)."""
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            old_hash = user.password if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if user is not None:
                user.refresh_from_db(fields=["password"])
                if user.password != old_hash:
                    audit.log(request.user, "user.password_change", user)
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(PolicyAdmin[ApiToken]):
    policy_action = "apitoken.manage"
    office_field = "user__office"
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["user", "name", "revoked_at"]
    autocomplete_fields = ["user"]

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        self._check_save(request, obj, change)
        if not change:
            key = ApiToken.new_key()
            obj.key_prefix = key[:12]
            obj.key_hash = ApiToken.hash_key(key)
            messages.warning(
                request,
                _("The new token is %(key)s — copy it now, it will not be shown again.")
                % {"key": key},
            )
        with transaction.atomic():
            before = audit.snapshot(ApiToken.objects.get(pk=obj.pk)) if change else None
            obj.save()
            audit.log(
                request.user,
                f"apitoken.{'update' if change else 'create'}",
                obj,
                before=before,
                after=audit.snapshot(obj),
                office=obj.user.office,
            )


@admin.register(AuditEntry)
class AuditEntryAdmin(PolicyAdmin[AuditEntry]):
    """Read-only: no add, change or delete — for anybody."""

    policy_action = "audit.view"
    list_display = ["seq", "at", "actor_label", "ip", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_label", "actor_label", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin[LoginFailure]):
    list_display = ["username", "ip", "at"]
    readonly_fields = ["username", "ip", "at"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.can_anywhere(request.user, "user.manage")

    def has_view_permission(self, request: HttpRequest, obj: LoginFailure | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: LoginFailure | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: LoginFailure | None = None) -> bool:
        return policy.can_anywhere(request.user, "user.manage")

    def delete_model(self, request: HttpRequest, obj: LoginFailure) -> None:
        # Deleting failures unlocks a log-in: a change like any other, so it is audited.
        audit.log_deletion(request.user, "loginfailure.delete", obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[LoginFailure]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(TwoFactorRequirement)
class TwoFactorRequirementAdmin(ReauthAdmin[TwoFactorRequirement]):
    """Which roles must use two-step verification: one row per role, the choice holds in
    every office (``twofactor.require`` at the top office). Saved through
    :func:`twofactor.set_requirement` (audited); changing it needs a fresh confirmation."""

    list_display = ["role", "required"]
    list_editable = ["required"]
    fields = ["role", "required"]
    readonly_fields = ["role"]
    actions = None

    def _may(self, request: HttpRequest) -> bool:
        return policy.can_at_top(request.user, "twofactor.require")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_view_permission(
        self, request: HttpRequest, obj: TwoFactorRequirement | None = None
    ) -> bool:
        return self._may(request)

    def has_change_permission(
        self, request: HttpRequest, obj: TwoFactorRequirement | None = None
    ) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: TwoFactorRequirement | None = None
    ) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: TwoFactorRequirement, form: Any, change: bool
    ) -> None:
        if not self._may(request) or not isinstance(request.user, User):
            raise PermissionDenied
        twofactor.set_requirement(request.user, Role(obj.role), obj.required)
